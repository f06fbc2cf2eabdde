using System.Globalization;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>
/// StandardScaler and MinMaxScaler against scikit-learn 1.2 on iris, diabetes and breast cancer
/// and on constant columns: fitted statistics, streamed (PartialFit) statistics, transformed and
/// inverse-transformed rows; then saving and restoring, and the bad inputs a user would make.
/// </summary>
public class ScalerTests
{
    internal static double[,] Features(string? file, List<List<double>>? inline)
    {
        if (file is null) return SklearnFixture.Matrix(inline!);
        var lines = File.ReadAllLines(SharedData.PathOf(file)).Skip(1).ToArray();
        var rows = lines.Select(l => l.Split(',')).ToArray();
        var x = new double[rows.Length, rows[0].Length - 1];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < x.GetLength(1); j++) x[i, j] = double.Parse(rows[i][j], CultureInfo.InvariantCulture);
        return x;
    }

    private static double[,] Batch(double[,] x, int start, int count)
    {
        int n = Math.Min(count, x.GetLength(0) - start), f = x.GetLength(1);
        var batch = new double[n, f];
        Buffer.BlockCopy(x, start * f * sizeof(double), batch, 0, n * f * sizeof(double));
        return batch;
    }

    private static void AssertRows(List<int> rows, List<List<double>> expected, double[,] actual, string what)
    {
        for (int r = 0; r < rows.Count; r++)
            SklearnFixture.AssertClose(expected[r], [.. Enumerable.Range(0, actual.GetLength(1)).Select(j => actual[rows[r], j])], $"{what} row {rows[r]}");
    }

    public static TheoryData<string> StandardNames() => [.. SklearnFixture.Value.StandardScaler.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(StandardNames))]
    public void StandardScaler_MatchesScikitLearn(string name)
    {
        var c = SklearnFixture.Value.StandardScaler.Single(c => c.Name == name);
        var x = Features(c.Data, c.X);
        var scaler = new StandardScaler(c.WithMean, c.WithStd);
        if (c.Batch is int size)
            for (int start = 0; start < x.GetLength(0); start += size) scaler.PartialFit(Batch(x, start, size));
        else
            scaler.Fit(x);
        AssertOptional(c.Mean, scaler.MeanValues, "mean");
        AssertOptional(c.Var, scaler.Var, "var");
        AssertOptional(c.Scale, scaler.Scale, "scale");
        Assert.All(scaler.NSamplesSeen, n => Assert.Equal(c.NSamplesSeen, n));
        var transformed = scaler.Transform(x);
        AssertRows(c.Rows, c.Transformed, transformed, "transformed");
        AssertRows(c.Rows, c.Inverse, scaler.InverseTransform(transformed), "inverse");

        // The tensor path gives the same numbers, and the restored scaler transforms alike.
        var tensor = scaler.Transform(Tensor.FromArray(x));
        Assert.Equal(DType.Float64, tensor.DType);
        Assert.Equal(transformed.Cast<double>(), tensor.ToDoubleArray());
        var restored = (StandardScaler)scaler.GetState().Restore();
        Assert.Equal(transformed.Cast<double>(), restored.Transform(x).Cast<double>());
    }

    private static void AssertOptional(List<double>? expected, IReadOnlyList<double>? actual, string what)
    {
        if (expected is null) Assert.Null(actual);
        else SklearnFixture.AssertClose(expected, actual!, what);
    }

    public static TheoryData<string> MinMaxNames() => [.. SklearnFixture.Value.MinMaxScaler.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(MinMaxNames))]
    public void MinMaxScaler_MatchesScikitLearn(string name)
    {
        var c = SklearnFixture.Value.MinMaxScaler.Single(c => c.Name == name);
        var x = Features(c.Data, c.X);
        var scaler = new MinMaxScaler((c.FeatureRange[0], c.FeatureRange[1]), c.Clip);
        if (c.Batch is int size)
            for (int start = 0; start < x.GetLength(0); start += size) scaler.PartialFit(Batch(x, start, size));
        else
            scaler.Fit(x);
        SklearnFixture.AssertClose(c.DataMin, scaler.DataMin, "data min");
        SklearnFixture.AssertClose(c.DataMax, scaler.DataMax, "data max");
        SklearnFixture.AssertClose(c.DataRange, scaler.DataRange, "data range");
        SklearnFixture.AssertClose(c.Scale, scaler.Scale, "scale");
        SklearnFixture.AssertClose(c.Min, scaler.Min, "min");
        Assert.Equal(c.NSamplesSeen, scaler.NSamplesSeen);
        var transformed = scaler.Transform(x);
        AssertRows(c.Rows, c.Transformed, transformed, "transformed");
        if (c.Probe is not null)
            SklearnFixture.AssertClose(c.ProbeTransformed!, scaler.Transform(SklearnFixture.Matrix(c.Probe)), "probe");
        var restored = (MinMaxScaler)scaler.GetState().Restore();
        Assert.Equal(transformed.Cast<double>(), restored.Transform(x).Cast<double>());
        if (!c.Clip)
        {
            var back = scaler.InverseTransform(transformed);
            for (int i = 0; i < x.GetLength(0); i++)
                for (int j = 0; j < x.GetLength(1); j++) Assert.Equal(x[i, j], back[i, j], 1e-9 * Math.Max(1, Math.Abs(x[i, j])));
        }
    }

    [Fact]
    public void Float32Input_GivesFloat32Output()
    {
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        var y = new StandardScaler().FitTransform(x);
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(new[] { 3, 2 }, y.Shape);
        Assert.Equal(-Math.Sqrt(1.5), y[0, 0], 6);
    }

    [Fact]
    public void NaN_IsIgnoredInFit_AndKeptInTransform()
    {
        var x = new double[,] { { 1, 10 }, { double.NaN, 20 }, { 3, 30 } };
        var scaler = new StandardScaler().Fit(x);
        Assert.Equal(2, scaler.MeanValues![0]);
        Assert.Equal(new long[] { 2, 3 }, scaler.NSamplesSeen);
        Assert.True(double.IsNaN(scaler.Transform(x)[1, 0]));
    }

    [Fact]
    public void TransformBeforeFit_IsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new StandardScaler().Transform(new double[1, 2]));
        Assert.Contains("not fitted", e.Message);
        Assert.Throws<InvalidOperationException>(() => new MinMaxScaler().Transform(Tensor.Zeros(1, 2)));
        Assert.Throws<InvalidOperationException>(() => new MinMaxScaler().Scale);
    }

    [Fact]
    public void WrongFeatureCount_NamesBothCounts()
    {
        var scaler = new StandardScaler().Fit(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var e = Assert.Throws<ShapeMismatchException>(() => scaler.Transform(new double[2, 2]));
        Assert.Contains("2 features", e.Message);
        Assert.Contains("3 features", e.Message);
        Assert.Throws<ShapeMismatchException>(() => scaler.PartialFit(new double[2, 4]));
    }

    [Fact]
    public void NonMatrixOrEmptyInput_IsRejected()
    {
        Assert.Throws<ShapeMismatchException>(() => new StandardScaler().Fit(Tensor.Zeros(5)));
        Assert.Throws<ArgumentException>(() => new MinMaxScaler().Fit(new double[0, 3]));
    }

    [Fact]
    public void InvertedFeatureRange_IsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => new MinMaxScaler((1, 0)));
        Assert.Contains("(1, 0)", e.Message);
    }

    [Fact]
    public void State_IsNamedTensorsAndMetadata()
    {
        var state = new StandardScaler(withMean: false).Fit(new double[,] { { 1 }, { 3 } }).GetState();
        Assert.Equal("StandardScaler", state.Kind);
        Assert.Equal("false", state.Metadata["with_mean"]);
        Assert.Equal(1.0, state.Tensors["scale"].Item());
        var broken = state with { Metadata = new Dictionary<string, string>() };
        Assert.Throws<InvalidDataException>(() => broken.Restore());
        Assert.Throws<InvalidDataException>(() => (state with { Kind = "Mystery" }).Restore());
    }
}
