namespace Nabla.Tests.Ops;

/// <summary>Tensor.Square, as torch.square: x² with gradient 2x (gradchecked with every op in OpTableTests).</summary>
public class SquareTests
{
    [Fact]
    public void Square_GivesSquares_AndGradientTwoX()
    {
        var x = Tensor.FromArray([-1.5, 0.0, 2.0, 3.0], [2, 2]).RequiresGradient();
        var y = x.Square();
        y.Sum().Backward();
        Assert.Equal([2.25, 0.0, 4.0, 9.0], y.ToDoubleArray());
        Assert.Equal([2, 2], y.ShapeArray);
        Assert.Equal([-3.0, 0.0, 4.0, 6.0], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void Square_KeepsFloat32()
    {
        var y = Tensor.FromArray([1.5f, -2f]).Square();
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal([2.25, 4.0], y.ToDoubleArray());
    }

    [Fact]
    public void Square_OfInt32_IsRefusedByName() =>
        Assert.StartsWith("Square: expected a floating-point tensor, got Int32", Assert.Throws<ArgumentException>(() => Tensor.FromArray([1, 2]).Square()).Message);
}
