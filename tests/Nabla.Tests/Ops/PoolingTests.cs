namespace Nabla.Tests.Ops;

/// <summary>
/// MaxPool2d and AvgPool2d against PyTorch's F.max_pool2d and F.avg_pool2d in Float64
/// (Fixtures/torch_conv.json): stride unlike the kernel, padding, dilation, ceil mode, excluded
/// padding, ties (the gradient goes to the first maximum), unbatched input; Float32 against the
/// same values; and the bad inputs.
/// </summary>
public class PoolingTests
{
    public static TheoryData<string> MaxCases() => ConvFixture.Names("max_pool2d");

    public static TheoryData<string> AverageCases() => ConvFixture.Names("avg_pool2d");

    private static Tensor ApplyMax(ConvFixture.Case c, Tensor x) =>
        x.MaxPool2d(c.Pair("kernel"), c.Pair("stride"), c.Pair("padding"), c.Pair("dilation"), c.Bool("ceilMode"));

    private static Tensor ApplyAverage(ConvFixture.Case c, Tensor x) =>
        x.AvgPool2d(c.Pair("kernel"), c.Pair("stride"), c.Pair("padding"), c.Bool("ceilMode"), c.Bool("countIncludePad"));

    [Theory]
    [MemberData(nameof(MaxCases))]
    public void MaxPool_OutputAndGradient_MatchPyTorch(string name)
    {
        var c = ConvFixture.Named(name);
        c.AssertMatches(t => ApplyMax(c, t[0]));
    }

    [Theory]
    [MemberData(nameof(AverageCases))]
    public void AvgPool_OutputAndGradient_MatchPyTorch(string name)
    {
        var c = ConvFixture.Named(name);
        c.AssertMatches(t => ApplyAverage(c, t[0]));
    }

    [Theory]
    [MemberData(nameof(MaxCases))]
    [MemberData(nameof(AverageCases))]
    public void Float32_MatchesPyTorchToSinglePrecision(string name)
    {
        var c = ConvFixture.Named(name);
        var x = c.Leaves()[0].Detach().To(DType.Float32).RequiresGradient();
        var y = c.Op == "max_pool2d" ? ApplyMax(c, x) : ApplyAverage(c, x);
        ConvolutionTests.AssertNear(c.Output, y, $"{name}: output");
        y.Backward(Tensor.FromArray(c.GradOutput.Values, c.GradOutput.Shape).To(DType.Float32));
        ConvolutionTests.AssertNear(c.Grads[0], x.Grad!, $"{name}: gradient");
    }

    [Fact]
    public void MaxPool_Ties_SendTheGradientToTheFirstMaximum()
    {
        var x = Tensor.FromArray(new double[] { 1, 1, 1, 1 }, 1, 1, 2, 2).RequiresGradient();
        x.MaxPool2d(2).Sum().Backward();
        Assert.Equal([1.0, 0, 0, 0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void MaxPool_PropagatesNaN()
    {
        var x = Tensor.FromArray(new double[] { 1, double.NaN, 3, 2 }, 1, 1, 2, 2);
        Assert.True(double.IsNaN(x.MaxPool2d(2).ToArray<double>()[0]));
    }

    [Fact]
    public void SquareSettings_GiveTheSameAsPairs()
    {
        var x = Tensor.Randn([2, 3, 7, 7], new Generator(3), DType.Float64);
        Assert.Equal(x.MaxPool2d((3, 3), (2, 2), (1, 1), (1, 1), true).ToArray<double>(), x.MaxPool2d(3, 2, 1, 1, true).ToArray<double>());
        Assert.Equal(x.AvgPool2d((3, 3), (2, 2), (1, 1), true, false).ToArray<double>(), x.AvgPool2d(3, 2, 1, true, false).ToArray<double>());
        Assert.Equal([2, 3, 3, 3], x.MaxPool2d(2).Shape);
        Assert.Equal("MaxPool2d", x.RequiresGradient().MaxPool2d(2).GradFnName);
    }

    [Fact]
    public void SecondDerivatives_PassGradGradCheck()
    {
        var g = new Generator(11);
        // Distinct, well-separated values: finite differences never cross a change of argmax.
        var values = Enumerable.Range(0, 32).Select(i => 0.5 * i).OrderBy(_ => g.NextDouble()).ToArray();
        var x = Tensor.FromArray(values, 2, 1, 4, 4).RequiresGradient();
        GradGradCheck.Assert(t => t[0].MaxPool2d(3, 1, 1).Pow(2).Sum(), [x]);
        GradGradCheck.Assert(t => t[0].AvgPool2d(3, 2, 1, ceilMode: true, countIncludePad: false).Pow(2).Sum(), [x]);
    }

    // ---- bad input ---------------------------------------------------------------------------------

    [Fact]
    public void WindowLargerThanPaddedInput_NamesBothSizes()
    {
        var x = Tensor.Zeros(1, 1, 3, 3);
        Assert.Equal("MaxPool2d: input [1, 1, 3, 3]: kernel 4x4 is larger than the padded input 3x3.",
            Assert.Throws<ShapeMismatchException>(() => x.MaxPool2d(4)).Message);
        Assert.Contains("dilated kernel 5x5 is larger than the padded input 3x3",
            Assert.Throws<ShapeMismatchException>(() => x.MaxPool2d(3, dilation: 2)).Message);
        Assert.StartsWith("AvgPool2d: input [1, 1, 3, 3]: kernel 4x2",
            Assert.Throws<ShapeMismatchException>(() => x.AvgPool2d((4, 2))).Message);
    }

    [Fact]
    public void PaddingOverHalfTheKernel_IsRejected()
    {
        var x = Tensor.Zeros(1, 1, 6, 6);
        Assert.Contains("MaxPool2d: padding must be at most half the kernel size, got padding 2x2 for kernel 3x3",
            Assert.Throws<ArgumentOutOfRangeException>(() => x.MaxPool2d(3, padding: 2)).Message);
        Assert.Contains("AvgPool2d: padding must be at most half the kernel size, got padding 0x2 for kernel 2x2",
            Assert.Throws<ArgumentOutOfRangeException>(() => x.AvgPool2d((2, 2), padding: (0, 2))).Message);
    }

    [Fact]
    public void OutOfRangeSettings_NameTheSettingAndValue()
    {
        var x = Tensor.Zeros(1, 1, 6, 6);
        Assert.Contains("kernel size must be at least 1, got 0x0", Assert.Throws<ArgumentOutOfRangeException>(() => x.MaxPool2d(0)).Message);
        Assert.Contains("stride must be at least 1, got 0x0", Assert.Throws<ArgumentOutOfRangeException>(() => x.AvgPool2d(2, stride: 0)).Message);
        Assert.Contains("padding must be at least 0, got -1x-1", Assert.Throws<ArgumentOutOfRangeException>(() => x.MaxPool2d(2, padding: -1)).Message);
        Assert.Contains("dilation must be at least 1, got 0x0", Assert.Throws<ArgumentOutOfRangeException>(() => x.MaxPool2d(2, dilation: 0)).Message);
    }

    [Theory]
    [InlineData(new[] { 6, 6 })]
    [InlineData(new[] { 1, 1, 1, 6, 6 })]
    public void InputOfWrongRank_IsRejected(int[] shape)
    {
        var x = Tensor.Zeros(shape);
        Assert.Contains("the input must be (N, C, H, W) or unbatched (C, H, W)", Assert.Throws<ShapeMismatchException>(() => x.MaxPool2d(2)).Message);
        Assert.Contains("the input must be (N, C, H, W) or unbatched (C, H, W)", Assert.Throws<ShapeMismatchException>(() => x.AvgPool2d(2)).Message);
    }

    [Fact]
    public void IntegerInput_IsRejected()
    {
        var x = Tensor.Zeros([1, 1, 4, 4], DType.Int32);
        Assert.Contains("MaxPool2d: expected a floating-point tensor, got Int32", Assert.Throws<ArgumentException>(() => x.MaxPool2d(2)).Message);
        Assert.Contains("AvgPool2d: expected a floating-point tensor, got Int32", Assert.Throws<ArgumentException>(() => x.AvgPool2d(2)).Message);
    }

    [Theory]
    [InlineData(2, 2, 0, DType.Float32)]
    [InlineData(3, 2, 0, DType.Float32)]
    [InlineData(3, 2, 1, DType.Float64)]
    public void MaxPool_WithoutGradients_GivesTheRecordedOutput(int kernel, int stride, int padding, DType dtype)
    {
        var x = Tensor.Randn([3, 4, 11, 9], new Generator(5), dtype);
        var recorded = x.Detach().RequiresGradient().MaxPool2d(kernel, stride, padding);
        Tensor plain;
        using (Nabla.Autograd.NoGrad()) plain = x.RequiresGradient().MaxPool2d(kernel, stride, padding);
        Assert.True(plain.IsLeaf);
        Assert.Equal(recorded.Shape, plain.Shape);
        Assert.Equal(recorded.ToDoubleArray(), plain.ToDoubleArray());
    }
}
