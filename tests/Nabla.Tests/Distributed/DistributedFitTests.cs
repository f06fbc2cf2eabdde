using Nabla.Data;
using Nabla.Distributed;
using Nabla.Estimators;

namespace Nabla.Tests.Distributed;

/// <summary>
/// Each distributed fit against the same estimator fitted in one process on all the rows, on real
/// data split into uneven blocks: rank r holds r + 1 shares, and from 3 ranks on, rank 1 holds none.
/// </summary>
public sealed class DistributedFitTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void LinearRegression_EqualsTheSingleProcessFit(int ranks)
    {
        var (x, y) = Diabetes();
        var whole = new LinearRegression().Fit(x, y);
        var fits = ThreadGroupCommunicator.Run(ranks, comm =>
        {
            var (start, end) = Block(x.GetLength(0), comm.Rank, comm.Size);
            return new LinearRegression().Fit(comm, Rows(x, start, end), y[start..end]);
        });
        foreach (var fit in fits)
        {
            AssertClose(whole.Coef.ToArray<double>(), fit.Coef.ToArray<double>(), 1e-10);
            AssertClose([whole.Intercept.Item()], [fit.Intercept.Item()], 1e-10);
            AssertClose(whole.Predict(x).ToArray<double>(), fit.Predict(x).ToArray<double>(), 1e-10);
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(4, false)]
    public void Ridge_CountsThePenaltyOnce_AndEqualsTheSingleProcessFit(int ranks, bool fitIntercept)
    {
        // Two targets: the disease progression and the first feature's square, so the triangle carries several columns of Qᵀy.
        var (x, y) = Diabetes();
        var targets = new double[y.Length, 2];
        for (int i = 0; i < y.Length; i++) (targets[i, 0], targets[i, 1]) = (y[i], x[i, 0] * x[i, 0]);
        var whole = new Ridge(alpha: 0.05, fitIntercept).Fit(x, targets);
        var fits = ThreadGroupCommunicator.Run(ranks, comm =>
        {
            var (start, end) = Block(x.GetLength(0), comm.Rank, comm.Size);
            return new Ridge(alpha: 0.05, fitIntercept).Fit(comm, Rows(x, start, end), Rows(targets, start, end));
        });
        foreach (var fit in fits)
        {
            AssertClose(whole.Coef.ToArray<double>(), fit.Coef.ToArray<double>(), 1e-10);
            AssertClose(whole.Intercept.ToArray<double>(), fit.Intercept.ToArray<double>(), 1e-10);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void BinaryLogisticRegression_EqualsTheSingleProcessFit_WithTheSameIterationsOnEveryRank(int ranks)
    {
        var data = Datasets.BreastCancer();
        var x = new StandardScaler().FitTransform(ToArray(data.Features));
        var y = data.Target.ToArray<int>();
        AssertLogisticMatches(x, y, ranks, () => new LogisticRegression(C: 0.5));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void MultinomialLogisticRegression_WithBalancedClassWeights_EqualsTheSingleProcessFit(int ranks)
    {
        // Iris sorted by class: the blocks hold different classes, and a block may miss some.
        var data = Datasets.Iris();
        var x = new StandardScaler().FitTransform(ToArray(data.Features));
        var y = Array.ConvertAll(data.Target.ToArray<int>(), k => data.ClassNames![k]);
        AssertLogisticMatches(x, y, ranks, () => new LogisticRegression(C: 10, classWeight: ClassWeight.Balanced));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void StandardScaler_EqualsTheSingleProcessFit_SkippingNaN(int ranks)
    {
        var (x, _) = Diabetes();
        // Shift the features away from zero, where a naive sum of squares would lose digits of the variance, and hide some values.
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < x.GetLength(1); j++) x[i, j] = (i * 7 + j) % 13 == 0 ? double.NaN : 1e3 + x[i, j];
        var whole = new StandardScaler().Fit(x);
        var fits = ThreadGroupCommunicator.Run(ranks, comm =>
        {
            var (start, end) = Block(x.GetLength(0), comm.Rank, comm.Size);
            return new StandardScaler().Fit(comm, Rows(x, start, end));
        });
        foreach (var fit in fits)
        {
            Assert.Equal(whole.NSamplesSeen, fit.NSamplesSeen);
            AssertClose([.. whole.MeanValues!], [.. fit.MeanValues!], 1e-12);
            AssertClose([.. whole.Var!], [.. fit.Var!], 1e-12);
            AssertClose([.. whole.Scale!], [.. fit.Scale!], 1e-12);
        }
    }

    [Fact]
    public void RanksWithDifferentFeatureCounts_AreRefused_NamingBoth()
    {
        var error = Assert.Throws<InvalidDataException>(() => ThreadGroupCommunicator.Run(3, comm =>
            new LinearRegression().Fit(comm, new double[2, comm.Rank == 2 ? 4 : 3], new double[2])));
        Assert.Contains("from 3 to 4 features", error.Message);
    }

    [Fact]
    public void RanksWithoutAnySample_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ThreadGroupCommunicator.Run(2, comm =>
            new StandardScaler().Fit(comm, new double[0, 3])));
        Assert.Contains("no rank holds a sample", error.Message);
    }

    private static void AssertLogisticMatches<TLabel>(double[,] x, TLabel[] y, int ranks, Func<LogisticRegression> create) where TLabel : notnull
    {
        var whole = create().Fit(x, y);
        var fits = ThreadGroupCommunicator.Run(ranks, comm =>
        {
            var (start, end) = Block(x.GetLength(0), comm.Rank, comm.Size);
            return create().Fit(comm, Rows(x, start, end), y[start..end]);
        });
        foreach (var fit in fits)
        {
            Assert.Equal(whole.Classes, fit.Classes);
            Assert.Equal(fits[0].NIter, fit.NIter);
            Assert.Equal(fits[0].Coef.ToArray<double>(), fit.Coef.ToArray<double>());
            AssertClose(whole.Coef.ToArray<double>(), fit.Coef.ToArray<double>(), 1e-6);
            AssertClose(whole.Intercept.ToArray<double>(), fit.Intercept.ToArray<double>(), 1e-6);
        }
    }

    /// <summary>Rank r's rows [start, end): r + 1 shares of the rows, none for rank 1 from 3 ranks on.</summary>
    internal static (int Start, int End) Block(int rows, int rank, int ranks)
    {
        static int Shares(int r, int ranks) => ranks >= 3 && r == 1 ? 0 : r + 1;
        int total = 0, before = 0;
        for (int r = 0; r < ranks; r++)
        {
            if (r < rank) before += Shares(r, ranks);
            total += Shares(r, ranks);
        }
        return (rows * before / total, rows * (before + Shares(rank, ranks)) / total);
    }

    private static (double[,] X, double[] Y) Diabetes()
    {
        var data = Datasets.Diabetes();
        return (ToArray(data.Features), data.Target.ToDoubleArray());
    }

    private static double[,] ToArray(Tensor t)
    {
        var values = t.ToDoubleArray();
        var array = new double[t.Size(0), t.Size(1)];
        Buffer.BlockCopy(values, 0, array, 0, values.Length * sizeof(double));
        return array;
    }

    private static double[,] Rows(double[,] x, int start, int end)
    {
        int columns = x.GetLength(1);
        var rows = new double[end - start, columns];
        Buffer.BlockCopy(x, start * columns * sizeof(double), rows, 0, (end - start) * columns * sizeof(double));
        return rows;
    }

    /// <summary>Every value within <paramref name="relative"/> of the largest expected magnitude.</summary>
    private static void AssertClose(double[] expected, double[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale, $"value {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {relative * scale:R})");
    }
}
