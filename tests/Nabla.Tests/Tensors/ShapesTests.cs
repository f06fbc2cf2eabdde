namespace Nabla.Tests.Tensors;

public class ShapesTests
{
    [Fact]
    public void Numel_IsTheProduct_OneForAScalar()
    {
        Assert.Equal(1, Shapes.Numel([]));
        Assert.Equal(24, Shapes.Numel([2, 3, 4]));
        Assert.Equal(0, Shapes.Numel([5, 0, 7]));
    }

    [Fact]
    public void Numel_OverTheArrayLimit_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Shapes.Numel([1 << 16, 1 << 16]));
        Assert.Contains("[65536, 65536]", e.Message);
    }

    [Fact]
    public void Format_LooksLikeAList()
    {
        Assert.Equal("[]", Shapes.Format([]));
        Assert.Equal("[7]", Shapes.Format([7]));
        Assert.Equal("[2, 3, 4]", Shapes.Format([2, 3, 4]));
    }

    [Fact]
    public void Validate_ReturnsACopy_AndRejectsNegativeDimensions()
    {
        int[] shape = [2, 3];
        var copy = Shapes.Validate(shape, "Op");
        Assert.NotSame(shape, copy);
        Assert.Equal(shape, copy);
        var e = Assert.Throws<ArgumentException>(() => Shapes.Validate([2, -1], "Zeros"));
        Assert.StartsWith("Zeros:", e.Message);
        Assert.Throws<ArgumentNullException>(() => Shapes.Validate(null!, "Zeros"));
    }

    [Theory]
    [InlineData(0, 3, 0)]
    [InlineData(2, 3, 2)]
    [InlineData(-1, 3, 2)]
    [InlineData(-3, 3, 0)]
    public void NormalizeAxis_CountsNegativeAxesFromTheEnd(int axis, int rank, int expected)
    {
        Assert.Equal(expected, Shapes.NormalizeAxis(axis, rank, "Sum"));
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(-4, 3)]
    [InlineData(0, 0)]
    public void NormalizeAxis_OutOfRange_ThrowsWithTheValidRange(int axis, int rank)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Shapes.NormalizeAxis(axis, rank, "Sum"));
        Assert.Contains("Sum: axis", e.Message);
        Assert.Contains($"valid: {-rank}..{rank - 1}", e.Message);
    }

    [Fact]
    public void Strides_AreRowMajor()
    {
        Assert.Equal([12, 4, 1], Shapes.Strides([2, 3, 4]));
        Assert.Equal([1], Shapes.Strides([5]));
        Assert.Empty(Shapes.Strides([]));
    }

    [Fact]
    public void Reduced_DropsOrKeepsTheAxis()
    {
        Assert.Equal([2, 4], Shapes.Reduced([2, 3, 4], 1, keepDims: false));
        Assert.Equal([2, 1, 4], Shapes.Reduced([2, 3, 4], 1, keepDims: true));
        Assert.Empty(Shapes.Reduced([2, 3, 4], null, keepDims: false));
        Assert.Equal([1, 1, 1], Shapes.Reduced([2, 3, 4], null, keepDims: true));
    }

    [Fact]
    public void AroundAxis_SplitsIntoOuterLengthInner()
    {
        Assert.Equal((2, 3, 4), Shapes.AroundAxis([2, 3, 4], 1));
        Assert.Equal((1, 2, 12), Shapes.AroundAxis([2, 3, 4], 0));
        Assert.Equal((6, 4, 1), Shapes.AroundAxis([2, 3, 4], 2));
    }

    [Fact]
    public void SameShape_ComparesElementwise()
    {
        Assert.True(Shapes.SameShape([2, 3], [2, 3]));
        Assert.False(Shapes.SameShape([2, 3], [3, 2]));
        Assert.False(Shapes.SameShape([2, 3], [1, 2, 3]));
        Assert.True(Shapes.SameShape([], []));
    }
}
