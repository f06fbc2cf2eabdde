using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// The least-squares solver behind LinearRegression and Ridge (QR, never the normal equations):
/// an ill-conditioned problem (κ ≈ 3e9) against NumPy's lstsq (Fixtures/numpy_lstsq.json), and the
/// chunked reduction of many rows, exact on exact data and bit-identical at 1 and 2 threads.
/// </summary>
[Collection("Parallelism")]
public class LeastSquaresTests
{
    /// <remarks>
    /// Two backward-stable solvers differ by about κ·ε ≈ 6e-7 relative in the weights of such a
    /// problem (LAPACK's gelsy is 4e-6 from gelsd here), so the weights are held to 5e-6 and the
    /// well-determined predictions X·w to 1e-8 (y is of order 1 to 10).
    /// </remarks>
    [Fact]
    public void IllConditionedData_MatchesNumPysLstsq_WhereTheNormalEquationsFail()
    {
        var f = FixtureFile.Load<IllConditionedFixture>("numpy_lstsq.json");
        // The case is hard: κ ≈ 3e9, and NumPy's own normal-equations solve loses every digit.
        Assert.InRange(f.ConditionNumber, 1e9, 1e11);
        Assert.True(f.NormalEquationsRelativeError > 0.1, $"the normal equations err by {f.NormalEquationsRelativeError:E2} only");

        var x = Tensor.FromArray(f.X, f.Rows, f.Columns);
        var model = new LinearRegression(fitIntercept: false).Fit(x, f.Y);
        new TensorData([f.Columns], f.Coef).AssertClose("coef", model.Coef, 5e-6, 0, "NumPy lstsq");
        new TensorData([f.Rows], f.Predictions).AssertClose("predictions", model.Predict(x), 1e-9, 1e-8, "NumPy lstsq");
    }

    [Fact]
    public void MoreFeaturesThanRows_GivesTheLeastNormSolution()
    {
        // 30 rows of 400 features: X·w = y has many solutions; lstsq's is the one of least norm,
        // w = Xᵀ·a with X·Xᵀ·a = y, so w lies in the span of the rows and fits y exactly.
        const int rows = 30, columns = 400;
        var generator = new Generator(5);
        var x = Tensor.Randn([rows, columns], generator, DType.Float64);
        var y = Tensor.Randn([rows], generator, DType.Float64);

        var w = new LinearRegression(fitIntercept: false).Fit(x, y).Coef;

        double[] a = SolveSymmetric(x.MatMul(x.Transpose(0, 1)).ToArray<double>(), y.ToArray<double>(), rows);
        var expected = x.Transpose(0, 1).MatMul(Tensor.FromArray(a, rows, 1)).Reshape(columns);
        new TensorData([columns], expected.ToArray<double>()).AssertClose("coef", w, 1e-9, 1e-10, "Xᵀ(XXᵀ)⁻¹y");
        new TensorData([rows], y.ToArray<double>()).AssertClose("fit", x.MatMul(w.Reshape(columns, 1)).Reshape(rows), 1e-9, 1e-10, "y");
    }

    /// <summary>Solves the symmetric positive definite system A·a = b (n × n) by Gaussian elimination, for a reference.</summary>
    private static double[] SolveSymmetric(double[] matrix, double[] b, int n)
    {
        var m = (double[])matrix.Clone();
        var v = (double[])b.Clone();
        for (int k = 0; k < n; k++)
            for (int i = k + 1; i < n; i++)
            {
                double factor = m[i * n + k] / m[k * n + k];
                for (int j = k; j < n; j++) m[i * n + j] -= factor * m[k * n + j];
                v[i] -= factor * v[k];
            }
        var a = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = v[i];
            for (int j = i + 1; j < n; j++) sum -= m[i * n + j] * a[j];
            a[i] = sum / m[i * n + i];
        }
        return a;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FeaturesWhoseFactorisationCannotBeHeld_AreRefusedBeforeAllocating(bool ridge)
    {
        // Three rows of 100,000 features: the F × F factorisations would take 240 GB (and overflow one array).
        var x = Tensor.Zeros([3, 100_000], DType.Float64);
        var y = Tensor.FromArray(new double[] { 1, 2, 3 });

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InsufficientMemoryException>(() => { if (ridge) new Ridge(1).Fit(x, y); else new LinearRegression().Fit(x, y); });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.StartsWith("least squares on 100,000 features needs 223.5 GB for its 100,001 × 100,001 factorisations", e.Message);
        // The centred copy of the 2.4 MB data, nothing of the factorisations' size.
        Assert.InRange(allocated, 0, 16_000_000);
    }

    [Fact]
    public void ManyChunks_RecoverExactWeights_BitIdenticallyAtOneAndTwoThreads()
    {
        // 40,000 rows: three chunks of the tall-skinny QR, merged; y is exactly X·w + 3 for two targets.
        const int rows = 40_000, columns = 7;
        var generator = new Generator(11);
        var x = Tensor.Randn([rows, columns], generator, DType.Float64);
        var weights = Tensor.FromArray(new double[] { 1, -2, 0.5, 4, -3, 2.5, 0.25, 3, 1, -1, 2, 0, -0.5, 1.5 }, columns, 2);
        var y = x.MatMul(weights) + 3.0;

        double[] Fit() => [.. new LinearRegression().Fit(x, y).Coef.ToDoubleArray(), .. new Ridge(alpha: 10).Fit(x, y).Coef.ToDoubleArray()];
        var single = ParallelismCollection.AtThreads(1, Fit);
        var dual = ParallelismCollection.AtThreads(2, Fit);

        Assert.Equal(single.Select(BitConverter.DoubleToInt64Bits), dual.Select(BitConverter.DoubleToInt64Bits));
        var expected = weights.Transpose(0, 1).ToDoubleArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], single[i], 1e-12);
        // Ridge shrinks the weights, but only a little with so many rows.
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], single[expected.Length + i], 1e-3 * Math.Abs(expected[i]) + 1e-4);
        Assert.True(single.Skip(expected.Length).Select(Math.Abs).Sum() < expected.Select(Math.Abs).Sum());
    }

    /// <summary>Fixtures/numpy_lstsq.json, written by tools/fixtures/numpy_lstsq.py.</summary>
    private sealed record IllConditionedFixture(string NumpyVersion, int Seed, int Rows, int Columns, double[] X, double[] Y, double[] Coef,
        double[] Predictions, double GelsyRelativeDifference, double ConditionNumber, double NormalEquationsRelativeError);
}
