using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>The Conv2d layer: PyTorch's default initialisation ranges, seeding, registration, forward, bad settings.</summary>
public sealed class Conv2dTests
{
    [Fact]
    public void Initialisation_FillsPyTorchsDefaultRange_FromTheGenerator()
    {
        var layer = new Conv2d(4, 8, 3, groups: 2, generator: new Generator(5));
        double bound = 1 / Math.Sqrt(2 * 3 * 3); // fan_in = in/groups · kH · kW
        Assert.Equal([8, 2, 3, 3], layer.Weight.Shape);
        Assert.Equal([8], layer.Bias!.Shape);
        var weights = layer.Weight.ToArray<float>();
        Assert.All(weights, v => Assert.InRange(v, -bound, bound));
        Assert.All(layer.Bias.ToArray<float>(), v => Assert.InRange(v, -bound, bound));
        // Spread over the range, not bunched: the largest magnitude is near the bound.
        Assert.True(weights.Max(Math.Abs) > 0.8 * bound);
        Assert.Equal(weights, new Conv2d(4, 8, 3, groups: 2, generator: new Generator(5)).Weight.ToArray<float>());
        Assert.NotEqual(weights, new Conv2d(4, 8, 3, groups: 2, generator: new Generator(6)).Weight.ToArray<float>());
    }

    [Fact]
    public void Parameters_AreRegistered_AndRequireGradients()
    {
        var layer = new Conv2d(1, 2, (3, 2), (1, 1), (1, 0), (1, 1), bias: true, generator: new Generator(1), dtype: DType.Float64);
        Assert.Equal(["weight", "bias"], layer.NamedParameters().Select(p => p.Name));
        Assert.All(layer.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.Equal(DType.Float64, layer.Weight.DType);
        Assert.Null(new Conv2d(1, 2, 3, bias: false).Bias);
        Assert.Single(new Conv2d(1, 2, 3, bias: false).Parameters());
    }

    [Fact]
    public void Forward_IsTheConvolutionWithTheLayersSettings()
    {
        var layer = new Conv2d(2, 4, (3, 2), (2, 1), (1, 1), (1, 2), groups: 2, generator: new Generator(3), dtype: DType.Float64);
        var x = Tensor.Randn([2, 2, 7, 6], new Generator(4), DType.Float64);
        var expected = Tensor.Conv2d(x, layer.Weight, layer.Bias, (2, 1), (1, 1), (1, 2), 2);
        var y = layer.Forward(x);
        Assert.Equal([2, 4, 4, 6], y.Shape);
        Assert.Equal(expected.ToArray<double>(), y.ToArray<double>());
        y.Sum().Backward();
        Assert.NotNull(layer.Weight.Grad);
        Assert.NotNull(layer.Bias!.Grad);
    }

    [Fact]
    public void BadSettings_AreRejectedWithTheValue()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(0, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 2, 3, groups: 0));
        Assert.Contains("kernel size must be at least 1, got 0x0", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 2, 0)).Message);
        Assert.Contains("stride must be at least 1, got 0x0", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 2, 3, stride: 0)).Message);
        Assert.Contains("padding must be at least 0, got -1x-1", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 2, 3, padding: -1)).Message);
        Assert.Contains("dilation must be at least 1, got 0x0", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 2, 3, dilation: 0)).Message);
        Assert.Contains("groups 2 must divide both the input channels (3) and the output channels (4)",
            Assert.Throws<ArgumentException>(() => new Conv2d(3, 4, 3, groups: 2)).Message);
        Assert.Contains("got Int32", Assert.Throws<ArgumentException>(() => new Conv2d(1, 2, 3, dtype: DType.Int32)).Message);
        var layer = new Conv2d(3, 2, 3);
        Assert.StartsWith("Conv2d: input [1, 2, 5, 5], weight [2, 3, 3, 3]:", Assert.Throws<ShapeMismatchException>(() => layer.Forward(Tensor.Zeros(1, 2, 5, 5))).Message);
    }
}
