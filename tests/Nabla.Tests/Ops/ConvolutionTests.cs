namespace Nabla.Tests.Ops;

using Autograd = global::Nabla.Autograd;

/// <summary>
/// Tensor.Conv2d against PyTorch's F.conv2d in Float64 (Fixtures/torch_conv.json): the output and
/// the gradients of input, weight and bias over strides, padding, dilation, groups, rectangular and
/// 1×1 kernels, odd sizes, batches of 1 to 3 and unbatched inputs; Float32 against the same values;
/// and every bad input a user is likely to pass.
/// </summary>
public class ConvolutionTests
{
    public static TheoryData<string> Cases() => ConvFixture.Names("conv2d");

    private static Tensor Apply(ConvFixture.Case c, Tensor[] t) =>
        Tensor.Conv2d(t[0], t[1], t.Length > 2 ? t[2] : null, c.Pair("stride"), c.Pair("padding"), c.Pair("dilation"), c.Int("groups"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void OutputAndGradients_MatchPyTorch(string name)
    {
        var c = ConvFixture.Named(name);
        c.AssertMatches(t => Apply(c, t));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_OutputAndGradients_MatchPyTorchToSinglePrecision(string name)
    {
        var c = ConvFixture.Named(name);
        var inputs = c.Leaves().Select(t => t.Detach().To(DType.Float32).RequiresGradient()).ToArray();
        var y = Apply(c, inputs);
        Assert.Equal(DType.Float32, y.DType);
        AssertNear(c.Output, y, $"{name}: output");
        y.Backward(Tensor.FromArray(c.GradOutput.Values, c.GradOutput.Shape).To(DType.Float32));
        for (int i = 0; i < inputs.Length; i++)
            AssertNear(c.Grads[i], inputs[i].Grad!, $"{name}: gradient of {c.Inputs[i].Name}");
    }

    [Fact]
    public void SquareSettings_GiveTheSameAsPairs()
    {
        var c = ConvFixture.Named("conv dilation (2, 1) stride 2 padding 2");
        var t = c.Leaves();
        var pairs = Tensor.Conv2d(t[0], t[1], t[2], (2, 2), (2, 2), (2, 2));
        var square = Tensor.Conv2d(t[0], t[1], t[2], stride: 2, padding: 2, dilation: 2);
        Assert.Equal(pairs.ToArray<double>(), square.ToArray<double>());
        Assert.Equal("Conv2d", square.GradFnName);
    }

    [Fact]
    public void SecondDerivative_OfSquaredOutput_IsFinite_AndMatchesGradGradCheck()
    {
        var g = new Generator(7);
        var x = Tensor.Randn([1, 2, 4, 4], g, DType.Float64).RequiresGradient();
        var w = Tensor.Randn([2, 1, 2, 2], g, DType.Float64).RequiresGradient();
        GradGradCheck.Assert(t => Tensor.Conv2d(t[0], t[1], null, stride: 2, padding: 1, groups: 2).Pow(2).Sum(), [x, w]);
        var gx = Nabla.Autograd.Grad(Tensor.Conv2d(x, w, groups: 2).Pow(2).Sum(), x, createGraph: true);
        Assert.Equal("Conv2dInputGradient", gx.GradFnName);
    }

    // ---- bad input ---------------------------------------------------------------------------------

    private static Tensor Input(params int[] shape) => Tensor.Zeros(shape);

    [Fact]
    public void KernelLargerThanPaddedInput_NamesBothSizes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Conv2d(Input(1, 1, 3, 3), Input(2, 1, 5, 5)));
        Assert.Equal("Conv2d: input [1, 1, 3, 3], weight [2, 1, 5, 5]: kernel 5x5 is larger than the padded input 3x3.", e.Message);
        var dilated = Assert.Throws<ShapeMismatchException>(() => Tensor.Conv2d(Input(1, 1, 4, 4), Input(2, 1, 3, 3), dilation: 2));
        Assert.Contains("dilated kernel 5x5 is larger than the padded input 4x4", dilated.Message);
        // With padding 1 the same 5x5 kernel fits a 3x3 input.
        Assert.Equal([1, 2, 1, 1], Tensor.Conv2d(Input(1, 1, 3, 3), Input(2, 1, 5, 5), padding: 1).Shape);
    }

    [Fact]
    public void ChannelMismatch_NamesTheOpAndBothShapes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Conv2d(Input(2, 3, 5, 5), Input(4, 2, 3, 3)));
        Assert.StartsWith("Conv2d: input [2, 3, 5, 5], weight [4, 2, 3, 3]:", e.Message);
        Assert.Contains("3 channels", e.Message);
    }

    [Fact]
    public void GroupsThatDoNotDivideTheChannels_AreRejected()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Conv2d(Input(1, 4, 5, 5), Input(3, 2, 3, 3), groups: 2));
        Assert.Contains("groups 2 must divide both the input channels (4) and the output channels (3)", e.Message);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv2d(Input(1, 4, 5, 5), Input(4, 4, 3, 3), groups: 0));
        Assert.Contains("groups must be at least 1, got 0", zero.Message);
    }

    [Theory]
    [InlineData(new[] { 5, 5 })]
    [InlineData(new[] { 1, 3, 5, 5, 1 })]
    [InlineData(new[] { 25 })]
    public void InputOfWrongRank_IsRejected(int[] shape)
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Conv2d(Input(shape), Input(2, 1, 3, 3)));
        Assert.Contains("the input must be (N, C, H, W) or unbatched (C, H, W)", e.Message);
    }

    [Fact]
    public void WeightOfWrongRank_IsRejected()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Conv2d(Input(1, 1, 5, 5), Input(2, 3, 3)));
        Assert.Contains("weight [2, 3, 3]: the weight must be (out channels, in channels / groups, kernel height, kernel width)", e.Message);
    }

    [Theory]
    [InlineData(new[] { 3 })]
    [InlineData(new[] { 1, 2 })]
    public void BiasOfWrongShape_IsRejected(int[] biasShape)
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Conv2d(Input(1, 1, 5, 5), Input(2, 1, 3, 3), Input(biasShape)));
        Assert.Contains($"the bias must be 1-D of length 2 (the output channels), got shape [{string.Join(", ", biasShape)}]", e.Message);
    }

    [Fact]
    public void OutOfRangeSettings_NameTheSettingAndValue()
    {
        var (x, w) = (Input(1, 1, 5, 5), Input(1, 1, 3, 3));
        Assert.Contains("stride must be at least 1, got 0x0", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv2d(x, w, stride: 0)).Message);
        Assert.Contains("stride must be at least 1, got 1x-2", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv2d(x, w, null, (1, -2), (0, 0), (1, 1))).Message);
        Assert.Contains("padding must be at least 0, got -1x-1", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv2d(x, w, padding: -1)).Message);
        Assert.Contains("dilation must be at least 1, got 0x0", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv2d(x, w, dilation: 0)).Message);
    }

    [Fact]
    public void MixedOrIntegerElementTypes_AreRejected()
    {
        var x = Tensor.Zeros([1, 1, 5, 5], DType.Float64);
        Assert.Contains("element types differ", Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, Input(1, 1, 3, 3))).Message);
        Assert.Contains("element types differ", Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, Tensor.Zeros([1, 1, 3, 3], DType.Float64), Input(1))).Message);
        Assert.Contains("Conv2d: expected a floating-point tensor, got Int32",
            Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros([1, 1, 5, 5], DType.Int32), Input(1, 1, 3, 3))).Message);
    }

    [Fact]
    public void NullInputs_AreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => Tensor.Conv2d(null!, Input(1, 1, 3, 3)));
        Assert.Throws<ArgumentNullException>(() => Tensor.Conv2d(Input(1, 1, 5, 5), null!));
    }

    /// <summary>Float32 against the Float64 reference: within 1e-4 of the value's magnitude (at least 1).</summary>
    internal static void AssertNear(TensorData expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var values = actual.ToDoubleArray();
        for (int i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(values[i] - expected.Values[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected.Values[i])),
                $"{what}: [{i}] Nabla {values[i]}, PyTorch {expected.Values[i]}");
    }
}
