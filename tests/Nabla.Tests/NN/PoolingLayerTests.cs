using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>The MaxPool2d and AvgPool2d layers: their settings, and a forward that is the pooling op with them.</summary>
public sealed class PoolingLayerTests
{
    private static readonly Tensor Input = Tensor.Randn([2, 3, 7, 7], new Generator(9), DType.Float64);

    [Fact]
    public void MaxPool2d_PoolsWithItsSettings_AndHasNoParameters()
    {
        var layer = new MaxPool2d(3, 2, 1, ceilMode: true);
        Assert.Equal((3, 2, 1, 1, true), (layer.KernelSize, layer.Stride, layer.Padding, layer.Dilation, layer.CeilMode));
        Assert.Empty(layer.Parameters());
        Assert.Equal(Input.MaxPool2d(3, 2, 1, 1, true).ToArray<double>(), layer.Forward(Input).ToArray<double>());
        Assert.Equal(2, new MaxPool2d(2).Stride);
        Assert.Contains("padding must be at most half the kernel size", Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d(2, padding: 2).Forward(Input)).Message);
    }

    [Fact]
    public void AvgPool2d_PoolsWithItsSettings_AndHasNoParameters()
    {
        var layer = new AvgPool2d(3, 2, 1, ceilMode: true, countIncludePad: false);
        Assert.Equal((3, 2, 1, true, false), (layer.KernelSize, layer.Stride, layer.Padding, layer.CeilMode, layer.CountIncludePad));
        Assert.Empty(layer.Parameters());
        Assert.Equal(Input.AvgPool2d(3, 2, 1, true, false).ToArray<double>(), layer.Forward(Input).ToArray<double>());
        Assert.Equal([2, 3, 3, 3], new AvgPool2d(2).Forward(Input).Shape);
    }
}
