using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// The 2×2 stride-2 pooling fast paths against the definition, window by window, in Float32 (the
/// vectorised path) and Float64: planes wide enough for whole vectors of windows plus a tail, odd
/// sizes, rows narrower than a vector (whose vector reads run on into the next lines, except on a
/// plane's last rows), and inputs full of ties and NaNs, where the choice of argmax is what is tested.
/// </summary>
public class Pool2dKernelTests
{
    private static Window2d PairWindow(int height, int width) =>
        Window2d.Create("test", height, width, (2, 2), (2, 2), (0, 0), (1, 1), ceilMode: false);

    /// <summary>Values from a few integers and NaN, so most windows hold ties, some a NaN, some two.</summary>
    private static double[] TiesAndNaNs(int length, int seed)
    {
        var g = new Generator((ulong)seed);
        return [.. Enumerable.Range(0, length).Select(_ => g.NextInt(5) switch { 0 => double.NaN, int v => v })];
    }

    [Theory]
    [InlineData(3, 28, 28)]
    [InlineData(2, 19, 37)]
    [InlineData(1, 2, 2)]
    [InlineData(2, 9, 50)]
    [InlineData(4, 14, 14)]
    [InlineData(3, 13, 13)]
    [InlineData(3, 12, 15)]
    [InlineData(2, 5, 4)]
    [InlineData(1, 16, 2)]
    public void MaxPairs_ChooseAsTheDefinition_Float32AndFloat64(int planes, int height, int width)
    {
        var w = PairWindow(height, width);
        var x = TiesAndNaNs(planes * w.InputPlane, height * width);
        var expected = new double[planes * w.OutputPlane];
        var expectedArgmax = new int[expected.Length];
        for (int p = 0, k = 0; p < planes; p++)
            for (int oy = 0; oy < w.OutputHeight; oy++)
                for (int ox = 0; ox < w.OutputWidth; ox++, k++)
                {
                    // PyTorch's rule: a later tap wins when it is larger or NaN.
                    int best = -1;
                    foreach (var (i, j) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
                    {
                        int at = (2 * oy + i) * width + 2 * ox + j;
                        double v = x[p * w.InputPlane + at];
                        if (best < 0 || v > expected[k] || double.IsNaN(v)) (best, expected[k]) = (at, v);
                    }
                    expectedArgmax[k] = best;
                }

        var y64 = new double[expected.Length];
        var argmax64 = new int[expected.Length];
        Pool2dKernel.Max(x, y64, argmax64, planes, w);
        Assert.Equal(expectedArgmax, argmax64);
        Assert.Equal(expected, y64);

        var y32 = new float[expected.Length];
        var argmax32 = new int[expected.Length];
        Pool2dKernel.Max(x.Select(v => (float)v).ToArray(), y32, argmax32, planes, w);
        Assert.Equal(expectedArgmax, argmax32);
        Assert.Equal(expected.Select(v => (float)v), y32);
    }

    [Theory]
    [InlineData(3, 28, 28)]
    [InlineData(2, 19, 37)]
    public void AveragePairs_MatchTheDefinition_AndTheAdjointIsExact(int planes, int height, int width)
    {
        var w = PairWindow(height, width);
        var g = new Generator(7);
        var x = Enumerable.Range(0, planes * w.InputPlane).Select(_ => (float)g.NextNormal()).ToArray();
        var gy = Enumerable.Range(0, planes * w.OutputPlane).Select(_ => (float)g.NextNormal()).ToArray();
        var y = new float[gy.Length];
        var gx = new float[x.Length];
        Pool2dKernel.Average(x, y, planes, w, countIncludePad: true);
        Pool2dKernel.AverageAdjoint(gy, gx, planes, w, countIncludePad: true);
        var expectedGx = new float[x.Length];
        for (int p = 0, k = 0; p < planes; p++)
            for (int oy = 0; oy < w.OutputHeight; oy++)
                for (int ox = 0; ox < w.OutputWidth; ox++, k++)
                {
                    int at = p * w.InputPlane + 2 * oy * width + 2 * ox;
                    Assert.Equal((x[at] + x[at + 1] + x[at + width] + x[at + width + 1]) / 4, y[k]);
                    foreach (int tap in new[] { at, at + 1, at + width, at + width + 1 }) expectedGx[tap] = gy[k] / 4;
                }
        // The last row and column of an odd plane are under no window and get no gradient.
        Assert.Equal(expectedGx, gx);
    }
}
