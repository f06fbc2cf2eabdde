using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// im2col against its definition, element by element, and col2im as its exact adjoint
/// (⟨unfold(x), c⟩ = ⟨x, fold(c)⟩), over strides, padding, dilation and odd sizes.
/// </summary>
public class Im2ColTests
{
    public static TheoryData<int, int, int, int, int, int, int> Geometries() => new()
    {
        // channels, height, width, kernel, stride, padding, dilation
        { 1, 5, 5, 3, 1, 0, 1 },
        { 2, 6, 7, 3, 1, 1, 1 },
        { 3, 7, 5, 2, 2, 1, 1 },
        { 2, 9, 8, 3, 3, 2, 2 },
        { 1, 4, 4, 5, 1, 2, 1 },
        { 2, 5, 6, 1, 2, 1, 1 },
        // "Same" convolutions (stride 1, output as wide as the input): the shifted-plane path.
        { 3, 14, 14, 3, 1, 1, 1 },
        { 2, 7, 9, 3, 1, 2, 2 },
        { 1, 1, 6, 3, 1, 1, 1 },
        { 1, 3, 1, 3, 1, 1, 1 },
    };

    private static Window2d Window(int h, int w, int k, int s, int p, int d) =>
        Window2d.Create("test", h, w, (k, k), (s, s), (p, p), (d, d), ceilMode: false);

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Unfold_MatchesTheDefinition(int channels, int height, int width, int kernel, int stride, int padding, int dilation)
    {
        var win = Window(height, width, kernel, stride, padding, dilation);
        var g = new Generator(1);
        var image = Enumerable.Range(0, channels * height * width).Select(_ => g.NextNormal()).ToArray();
        var cols = new double[channels * kernel * kernel * win.OutputPlane];
        Array.Fill(cols, double.NaN); // every entry must be written, zeros included
        Im2Col.Unfold<double>(image, channels, win, cols);
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < kernel; i++)
                for (int j = 0; j < kernel; j++)
                    for (int oy = 0; oy < win.OutputHeight; oy++)
                        for (int ox = 0; ox < win.OutputWidth; ox++)
                        {
                            int y = oy * stride - padding + i * dilation, x = ox * stride - padding + j * dilation;
                            double expected = y >= 0 && y < height && x >= 0 && x < width ? image[(c * height + y) * width + x] : 0;
                            int row = (c * kernel + i) * kernel + j;
                            Assert.Equal(expected, cols[row * win.OutputPlane + oy * win.OutputWidth + ox]);
                        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void FoldAdd_IsTheAdjointOfUnfold(int channels, int height, int width, int kernel, int stride, int padding, int dilation)
    {
        var win = Window(height, width, kernel, stride, padding, dilation);
        var g = new Generator(2);
        var image = Enumerable.Range(0, channels * height * width).Select(_ => g.NextNormal()).ToArray();
        var other = Enumerable.Range(0, channels * kernel * kernel * win.OutputPlane).Select(_ => g.NextNormal()).ToArray();
        var cols = new double[other.Length];
        Im2Col.Unfold<double>(image, channels, win, cols);
        var folded = Enumerable.Repeat(0.0, image.Length).ToArray();
        Im2Col.FoldAdd<double>(other, channels, win, folded);
        double left = cols.Zip(other, (a, b) => a * b).Sum(), right = image.Zip(folded, (a, b) => a * b).Sum();
        Assert.Equal(left, right, 1e-10);
    }
}
