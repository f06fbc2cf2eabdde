using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// The convolution's weight gradient against its definition, Σₙ Σ_(oy, ox) gy[n, o, oy, ox]·x[n, c, tap]
/// summed in Float64 loops, on both of its paths: a dot product per tap and output channel when
/// there are few of them (conv 1→16 3×3), and the GEMM otherwise (16→32 3×3), with groups, stride
/// and padding, so the dot products' edges and the taps' order are checked.
/// </summary>
public class Conv2dKernelTests
{
    [Theory]
    [InlineData(20, 1, 16, 10, 1, 1, 1)]
    [InlineData(3, 4, 6, 9, 2, 2, 0)]
    [InlineData(3, 16, 32, 7, 1, 1, 1)]
    [InlineData(2, 16, 64, 6, 2, 1, 1)]
    public void WeightGradient_MatchesTheDefinition(int batch, int inChannels, int outChannels, int size, int groups, int stride, int padding)
    {
        var window = Window2d.Create("Conv2d", size, size, (3, 3), (stride, stride), (padding, padding), (1, 1), ceilMode: false);
        var geometry = new Conv2dGeometry(batch, inChannels, outChannels, groups, window);
        var g = new Generator(11);
        double[] x = Normal(g, batch * inChannels * size * size), gy = Normal(g, batch * outChannels * window.OutputPlane);
        int groupIn = inChannels / groups, groupOut = outChannels / groups;

        var expected = new double[outChannels * groupIn * 9];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outChannels; o++)
                for (int c = 0; c < groupIn; c++)
                    for (int i = 0; i < 3; i++)
                        for (int j = 0; j < 3; j++)
                            for (int oy = 0; oy < window.OutputHeight; oy++)
                                for (int ox = 0; ox < window.OutputWidth; ox++)
                                {
                                    int iy = oy * stride - padding + i, ix = ox * stride - padding + j;
                                    if ((uint)iy >= (uint)size || (uint)ix >= (uint)size) continue;
                                    int channel = o / groupOut * groupIn + c;
                                    expected[((o * groupIn + c) * 3 + i) * 3 + j] +=
                                        gy[((n * outChannels + o) * window.OutputHeight + oy) * window.OutputWidth + ox]
                                        * x[((n * inChannels + channel) * size + iy) * size + ix];
                                }

        var actual = new double[expected.Length];
        Conv2dKernel.WeightGradient(x, gy, actual, geometry);
        for (int k = 0; k < expected.Length; k++)
            Assert.Equal(expected[k], actual[k], 1e-10 * (1 + Math.Abs(expected[k])));

        var actual32 = new float[expected.Length];
        Conv2dKernel.WeightGradient(x.Select(v => (float)v).ToArray(), gy.Select(v => (float)v).ToArray(), actual32, geometry);
        for (int k = 0; k < expected.Length; k++)
            Assert.Equal(expected[k], actual32[k], 1e-4 * (1 + Math.Abs(expected[k])));
    }

    private static double[] Normal(Generator g, int length) => [.. Enumerable.Range(0, length).Select(_ => g.NextNormal())];
}
