using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// <see cref="NarrowGemm"/> against plain loops: the scores X·P and the gradient C + Gᵀ·X on shapes
/// around its tiles (4 rows × 12 columns of scores, 6 classes × 8 features of gradient), its depth
/// blocks (256) and the vector and scalar column tails, with row strides wider than the rows.
/// </summary>
/// <remarks>
/// The vector path runs where AVX2 and FMA are (and the scalar one in the CI runs with
/// <c>DOTNET_EnableHWIntrinsic=0</c>); the scalar routines are also driven directly, so they are
/// checked on every machine.
/// </remarks>
public class NarrowGemmTests
{
    private const double Sentinel = -6789.25;

    /// <summary>Sums of up to 600 terms of size at most 1: rounding stays far below this.</summary>
    private const double Tolerance = 1e-10;

    public static TheoryData<int, int, int> PanelShapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int rows in new[] { 1, 3, 4, 5, 9, 33 })
            foreach (int depth in new[] { 1, 7, 255, 256, 257, 600 })
                foreach (int width in new[] { 4, 8, 12, 16, 28 })
                    data.Add(rows, depth, width);
        return data;
    }

    public static TheoryData<int, int, int> GradientShapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int narrow in new[] { 1, 2, 3, 5, 6, 7, 10, 13 })
            foreach (int columns in new[] { 1, 3, 4, 5, 8, 11, 12, 16, 37 })
                foreach (int rows in new[] { 1, 6, 40 })
                    data.Add(narrow, columns, rows);
        return data;
    }

    [Theory]
    [MemberData(nameof(PanelShapes))]
    public void MultiplyPanel_MatchesReference(int rows, int depth, int width)
    {
        var (x, ldx, panel) = PanelOperands(rows, depth, width, seed: rows * 1009 + depth * 31 + width);
        var expected = ReferenceScores(x, ldx, rows, depth, panel, width);

        var c = Filled(rows * width + 3);
        NarrowGemm.MultiplyPanel(x, ldx, rows, depth, panel, width, c);
        AssertClose(expected, c, rows * width);
        Assert.Equal([Sentinel, Sentinel, Sentinel], c[(rows * width)..]);

        var scalar = Filled(rows * width);
        NarrowGemm.MultiplyPanelScalar(x, ldx, rows, depth, panel, width, scalar);
        AssertClose(expected, scalar, rows * width);
    }

    [Theory]
    [MemberData(nameof(GradientShapes))]
    public void AddTransposedProduct_AddsToC_AndMatchesReference(int narrow, int columns, int rows)
    {
        var random = new Random(narrow * 7919 + columns * 101 + rows);
        int ldg = narrow + 3, ldx = columns + 2, ldc = columns + 1;
        var g = RandomValues(random, rows * ldg);
        var x = RandomValues(random, rows * ldx);
        var c0 = RandomValues(random, narrow * ldc);
        for (int r = 0; r < narrow; r++) c0[r * ldc + columns] = Sentinel;
        var expected = (double[])c0.Clone();
        for (int r = 0; r < narrow; r++)
            for (int j = 0; j < columns; j++)
                for (int i = 0; i < rows; i++) expected[r * ldc + j] += g[i * ldg + r] * x[i * ldx + j];

        var c = (double[])c0.Clone();
        NarrowGemm.AddTransposedProduct(g, ldg, narrow, x, ldx, rows, columns, c, ldc);
        AssertClose(expected, c, c.Length);
        for (int r = 0; r < narrow; r++) Assert.Equal(Sentinel, c[r * ldc + columns]);

        var scalar = (double[])c0.Clone();
        NarrowGemm.AddTransposedProductScalar(g, ldg, narrow, x, ldx, rows, columns, scalar, ldc);
        AssertClose(expected, scalar, scalar.Length);
    }

    /// <summary>An element's value does not depend on the tile it falls in, which is what lets callers cut the rows into blocks of any size.</summary>
    [Fact]
    public void RowsSplitAcrossCalls_GiveTheSameBits()
    {
        const int rows = 23, depth = 300, width = 12, narrow = 10, columns = 45;
        var (x, ldx, panel) = PanelOperands(rows, depth, width, seed: 5);
        var whole = new double[rows * width];
        NarrowGemm.MultiplyPanel(x, ldx, rows, depth, panel, width, whole);
        var pieces = new double[rows * width];
        NarrowGemm.MultiplyPanel(x, ldx, 9, depth, panel, width, pieces);
        NarrowGemm.MultiplyPanel(x.AsSpan(9 * ldx), ldx, rows - 9, depth, panel, width, pieces.AsSpan(9 * width));
        Assert.Equal(whole, pieces);

        var random = new Random(6);
        var g = RandomValues(random, rows * width);
        var features = RandomValues(random, rows * columns);
        var once = new double[narrow * columns];
        NarrowGemm.AddTransposedProduct(g, width, narrow, features, columns, rows, columns, once, columns);
        var twice = new double[narrow * columns];
        NarrowGemm.AddTransposedProduct(g, width, narrow, features, columns, 14, columns, twice, columns);
        NarrowGemm.AddTransposedProduct(g.AsSpan(14 * width), width, narrow, features.AsSpan(14 * columns), columns, rows - 14, columns, twice, columns);
        Assert.Equal(once, twice);
    }

    [Fact]
    public void ZeroDepth_GivesZeroScores()
    {
        var c = Filled(8);
        NarrowGemm.MultiplyPanel([], 0, 2, 0, [], 4, c);
        Assert.Equal(new double[8], c);
    }

    [Fact]
    public void BadArguments_AreRejectedWithTheOperandNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => NarrowGemm.MultiplyPanel(new double[10], 5, 3, 5, new double[20], 4, new double[12]));
        Assert.Equal("x", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => NarrowGemm.MultiplyPanel(new double[15], 5, 3, 5, new double[19], 4, new double[12]));
        Assert.Equal("panel", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => NarrowGemm.MultiplyPanel(new double[15], 5, 3, 5, new double[20], 4, new double[11]));
        Assert.Equal("c", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => NarrowGemm.MultiplyPanel(new double[15], 5, 3, 5, new double[30], 6, new double[18]));
        Assert.Equal("width", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => NarrowGemm.AddTransposedProduct(new double[8], 3, 3, new double[6], 2, 3, 2, new double[6], 2));
        Assert.Equal("g", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => NarrowGemm.AddTransposedProduct(new double[9], 3, 3, new double[6], 2, 3, 2, new double[5], 2));
        Assert.Equal("c", ex.ParamName);
    }

    /// <summary>X (rows × depth at a wider stride) and a panel whose columns beyond the last vector's real ones are zero, as callers pad it.</summary>
    private static (double[] X, int Ldx, double[] Panel) PanelOperands(int rows, int depth, int width, int seed)
    {
        var random = new Random(seed);
        int ldx = depth + 5;
        var x = RandomValues(random, (rows - 1) * ldx + depth);
        var panel = RandomValues(random, depth * width);
        for (int p = 0; p < depth; p++) panel[p * width + width - 1] = 0;
        return (x, ldx, panel);
    }

    private static double[] ReferenceScores(double[] x, int ldx, int rows, int depth, double[] panel, int width)
    {
        var c = new double[rows * width];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < width; j++)
                for (int p = 0; p < depth; p++) c[i * width + j] += x[i * ldx + p] * panel[p * width + j];
        return c;
    }

    private static double[] RandomValues(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = random.NextDouble() * 2 - 1;
        return values;
    }

    private static double[] Filled(int length)
    {
        var values = new double[length];
        Array.Fill(values, Sentinel);
        return values;
    }

    private static void AssertClose(double[] expected, double[] actual, int length)
    {
        for (int i = 0; i < length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Tolerance,
                $"[{i}]: {actual[i]:R}, expected {expected[i]:R}");
    }
}
