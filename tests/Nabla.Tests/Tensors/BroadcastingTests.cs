namespace Nabla.Tests.Tensors;

/// <summary>NumPy broadcasting: trailing dimensions aligned; each pair equal or one of them 1.</summary>
public class BroadcastingTests
{
    public static TheoryData<int[], int[], int[]> Compatible => new()
    {
        { [2, 3], [2, 3], [2, 3] },
        { [2, 3], [3], [2, 3] },
        { [3], [2, 3], [2, 3] },
        { [2, 1], [1, 3], [2, 3] },
        { [2, 1, 4], [3, 1], [2, 3, 4] },
        { [5, 1, 3, 1], [4, 1, 6], [5, 4, 3, 6] },
        { [], [2, 3], [2, 3] },
        { [2, 3], [], [2, 3] },
        { [], [], [] },
        { [1], [7], [7] },
        { [1, 1], [4], [1, 4] },
        { [0], [1], [0] },
        { [2, 0], [2, 1], [2, 0] },
        { [3, 0, 1], [5], [3, 0, 5] },
    };

    public static TheoryData<int[], int[], int> Incompatible => new()
    {
        { [3], [4], 0 },
        { [2, 3], [2], 1 },
        { [2, 3], [3, 3], 0 },
        { [4, 2, 3], [3, 3], 1 },
        { [0], [3], 0 },
    };

    [Theory]
    [MemberData(nameof(Compatible))]
    public void Broadcast_FollowsNumPy_InEitherOrder(int[] a, int[] b, int[] expected)
    {
        Assert.Equal(expected, Shapes.Broadcast(a, b, "Add"));
        Assert.Equal(expected, Shapes.Broadcast(b, a, "Add"));
        Assert.True(Shapes.BroadcastsTo(a, expected));
        Assert.True(Shapes.BroadcastsTo(b, expected));
    }

    [Theory]
    [MemberData(nameof(Incompatible))]
    public void Broadcast_OfIncompatibleShapes_ThrowsNamingOpShapesAndDimension(int[] a, int[] b, int dimension)
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Shapes.Broadcast(a, b, "Multiply"));
        Assert.StartsWith("Multiply:", e.Message);
        Assert.Contains(Shapes.Format(a), e.Message);
        Assert.Contains(Shapes.Format(b), e.Message);
        Assert.Contains($"dimension {dimension}", e.Message);
    }

    [Fact]
    public void BroadcastsTo_IsOneWay()
    {
        Assert.True(Shapes.BroadcastsTo([3], [2, 3]));
        Assert.False(Shapes.BroadcastsTo([2, 3], [3]));
        Assert.False(Shapes.BroadcastsTo([2], [2, 3]));
        Assert.True(Shapes.BroadcastsTo([], [4]));
    }

    [Fact]
    public void BroadcastStrides_AreZeroAlongExpandedDimensions()
    {
        Assert.Equal([0, 1], Shapes.BroadcastStrides([3], [2, 3]));
        Assert.Equal([0, 4, 0, 1], Shapes.BroadcastStrides([3, 1, 4], [2, 3, 5, 4]));
        Assert.Equal([0, 0], Shapes.BroadcastStrides([], [2, 3]));
    }

    [Fact]
    public void BinaryOps_ExpandBothOperands()
    {
        var column = Tensor.FromArray(new double[] { 10, 20 }, 2, 1);
        var row = Tensor.FromArray(new double[] { 1, 2, 3 });
        var sum = column + row;
        Assert.Equal([2, 3], sum.Shape);
        Assert.Equal([11, 12, 13, 21, 22, 23], sum.ToArray<double>());
        Assert.Equal([9, 18, 27, 19, 38, 57], (column * row - row).ToArray<double>());
    }

    [Fact]
    public void BinaryOps_WithARankZeroTensor_ActAsWithAScalar()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 2, 2);
        var s = Tensor.Scalar(0.5, DType.Float64);
        Assert.Equal([2, 2], (x / s).Shape);
        Assert.Equal([2, 4, 6, 8], (x / s).ToArray<double>());
        Assert.Equal([0.5, 0.25, 0.5 / 3, 0.125], (s / x).ToArray<double>());
    }

    [Fact]
    public void BinaryOps_OfIncompatibleShapes_ThrowShapeMismatch()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(2));
        Assert.Contains("Add", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[2]", e.Message);
    }

    [Fact]
    public void BroadcastTo_CopiesAlongNewAndUnitDimensions()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3 }, 3, 1);
        var y = x.BroadcastTo(2, 3, 2);
        Assert.Equal([2, 3, 2], y.Shape);
        Assert.Equal([1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3], y.ToArray<double>());
        Assert.Same(x, x.BroadcastTo(3, 1));
    }

    [Fact]
    public void BroadcastTo_AnIncompatibleShape_Throws()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(3, 2).BroadcastTo(3, 3));
        Assert.Contains("[3, 2]", e.Message);
        Assert.Contains("[3, 3]", e.Message);
        Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(2, 3).BroadcastTo(3));
    }

    [Fact]
    public void BroadcastTo_Gradient_SumsBackOverTheExpandedDimensions()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3 }, 3, 1).RequiresGradient();
        var g = Tensor.Arange(12, DType.Float64).Reshape(2, 3, 2);
        x.BroadcastTo(2, 3, 2).Backward(g);
        // Σ over the new leading axis and the expanded last axis of 0..11 laid out [2, 3, 2].
        Assert.Equal([0 + 1 + 6 + 7, 2 + 3 + 8 + 9, 4 + 5 + 10 + 11], x.Grad!.ToArray<double>());
        Assert.Equal([3, 1], x.Grad.Shape);
    }

    [Fact]
    public void BinaryOpGradients_AreSummedToEachOperandsShape()
    {
        var a = Tensor.FromArray(new double[] { 1, 2 }, 2, 1).RequiresGradient();
        var b = Tensor.FromArray(new double[] { 3, 4, 5 }).RequiresGradient();
        (a * b).Sum().Backward();
        Assert.Equal([2, 1], a.Grad!.Shape);
        Assert.Equal([12, 12], a.Grad.ToArray<double>());
        Assert.Equal([3], b.Grad!.Shape);
        Assert.Equal([3, 3, 3], b.Grad.ToArray<double>());
    }
}
