namespace Nabla.Tests.Tensors;

public class TensorAccessTests
{
    [Fact]
    public void ToArray_ReturnsACopy()
    {
        var t = Tensor.FromArray(new double[] { 1, 2, 3 });
        var copy = t.ToArray<double>();
        copy[0] = 42;
        Assert.Equal(1, t.ToArray<double>()[0]);
    }

    [Fact]
    public void ToArray_OfTheWrongElementType_ThrowsNamingTheRightOne()
    {
        var t = Tensor.FromArray(new float[] { 1, 2 });
        var e = Assert.Throws<InvalidOperationException>(() => t.ToArray<double>());
        Assert.Contains("Float32", e.Message);
        Assert.Contains("ToArray<float>", e.Message);
        Assert.Throws<InvalidOperationException>(() => Tensor.FromArray(new[] { 1 }).ToArray<float>());
    }

    [Fact]
    public void ToDoubleArray_ConvertsEveryType()
    {
        Assert.Equal([0.5, -2], Tensor.FromArray(new float[] { 0.5f, -2 }).ToDoubleArray());
        Assert.Equal([0.1, 3], Tensor.FromArray(new double[] { 0.1, 3 }).ToDoubleArray());
        Assert.Equal([7, -8], Tensor.FromArray(new[] { 7, -8 }).ToDoubleArray());
    }

    [Fact]
    public void Item_ReadsTheOnlyElement_OfAnyRank()
    {
        Assert.Equal(3.5, Tensor.Scalar(3.5).Item());
        Assert.Equal(-1, Tensor.FromArray(new double[] { -1 }, 1, 1, 1).Item());
        Assert.Equal(9, Tensor.FromArray(new[] { 9 }).Item());
    }

    [Fact]
    public void Item_OfSeveralElements_ThrowsWithTheShape()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2, 3).Item());
        Assert.Contains("[2, 3]", e.Message);
        Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(0).Item());
    }

    [Fact]
    public void Indexer_ReadsByIndices_NegativeCountingFromTheEnd()
    {
        var t = Tensor.Arange(24, DType.Float64).Reshape(2, 3, 4);
        Assert.Equal(0, t[0, 0, 0]);
        Assert.Equal(23, t[1, 2, 3]);
        Assert.Equal(23, t[-1, -1, -1]);
        Assert.Equal(1 * 12 + 0 * 4 + 2, t[1, -3, 2]);
        Assert.Equal(5, Tensor.Scalar(5)[Array.Empty<int>()]);
    }

    [Fact]
    public void Indexer_WithTheWrongNumberOfIndices_Throws()
    {
        var t = Tensor.Zeros(2, 3);
        var e = Assert.Throws<ArgumentException>(() => t[1]);
        Assert.Contains("needs 2 indices, got 1", e.Message);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(0, 3)]
    [InlineData(-3, 0)]
    [InlineData(0, -4)]
    public void Indexer_OutOfRange_ThrowsNamingTheDimension(int i, int j)
    {
        var t = Tensor.Zeros(2, 3);
        var e = Assert.Throws<IndexOutOfRangeException>(() => t[i, j]);
        Assert.Contains("dimension", e.Message);
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void SizeAndRank_DescribeTheShape()
    {
        var t = Tensor.Zeros(2, 3, 5);
        Assert.Equal(3, t.Rank);
        Assert.Equal(30, t.Length);
        Assert.Equal(2, t.Size(0));
        Assert.Equal(5, t.Size(-1));
        Assert.Equal(3, t.Size(-2));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Size(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Size(-4));
    }

    [Fact]
    public void Shape_CannotBeModifiedThroughTheView()
    {
        var t = Tensor.Zeros(2, 3);
        var asList = Assert.IsAssignableFrom<IList<int>>(t.Shape);
        Assert.Throws<NotSupportedException>(() => asList[0] = 5);
        Assert.Equal([2, 3], t.Shape);
    }

    [Fact]
    public void Detach_SharesValues_ButLeavesTheGraph()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }).RequiresGradient();
        var y = x * 2.0;
        var d = y.Detach();
        Assert.False(d.RequiresGrad);
        Assert.True(d.IsLeaf);
        Assert.Equal(y.ToArray<double>(), d.ToArray<double>());
        Assert.Equal(y.Shape, d.Shape);
    }

    [Fact]
    public void ToString_IsTheFormattersText()
    {
        Assert.Equal("tensor([1., 2.], shape=[2], dtype=Float64)", Tensor.FromArray(new double[] { 1, 2 }).ToString());
    }
}
