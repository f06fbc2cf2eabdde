using Nabla.Text;

namespace Nabla.Tests.Text;

public class SparseRowsTests
{
    // [[0, 1.5, 0, 2], [0, 0, 0, 0], [3, 0, 0, 0]]
    private static SparseRows Sample() => new(3, 4, [0, 2, 2, 3], [1, 3, 0], [1.5, 2, 3]);

    [Fact]
    public void RowsExposeTheirEntries()
    {
        var matrix = Sample();
        Assert.Equal((3, 4, 3), (matrix.RowCount, matrix.ColumnCount, matrix.NonZeroCount));
        Assert.Equal([1, 3], matrix.ColumnsOf(0).ToArray());
        Assert.Equal([1.5, 2], matrix.ValuesOf(0).ToArray());
        Assert.True(matrix.ColumnsOf(1).IsEmpty);
        Assert.Equal([0, 2, 2, 3], matrix.RowPointers.ToArray());
        Assert.Equal([3.0], matrix.ValuesOf(2).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.ColumnsOf(3));
    }

    [Fact]
    public void ToDenseFillsTheZeros()
    {
        double[] expected = [0, 1.5, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0];
        var dense = Sample().ToDense();
        Assert.Equal(DType.Float64, dense.DType);
        Assert.Equal([3, 4], dense.Shape);
        Assert.Equal(expected, dense.ToArray<double>());
        Assert.Equal(expected.Select(v => (float)v), Sample().ToDense(DType.Float32).ToArray<float>());
        Assert.Throws<ArgumentException>(() => Sample().ToDense(DType.Int32));
    }

    [Fact]
    public void TheArraysAreCopied()
    {
        int[] columns = [1, 3, 0];
        double[] values = [1.5, 2, 3];
        var matrix = new SparseRows(3, 4, [0, 2, 2, 3], columns, values);
        columns[0] = 2;
        values[0] = 9;
        Assert.Equal(1, matrix.ColumnIndices[0]);
        Assert.Equal(1.5, matrix.Values[0]);
    }

    [Theory]
    [InlineData(new[] { 0, 2, 3 }, new[] { 1, 3, 0 }, "need 4 row pointers, got 3")]
    [InlineData(new[] { 1, 2, 2, 3 }, new[] { 1, 3, 0 }, "must start at 0 and end at the entry count 3")]
    [InlineData(new[] { 0, 2, 1, 3 }, new[] { 1, 3, 0 }, "row pointer 2 (1) is below row pointer 1 (2)")]
    [InlineData(new[] { 0, 2, 2, 3 }, new[] { 3, 1, 0 }, "row 0's columns must increase, but column 1 follows 3")]
    [InlineData(new[] { 0, 2, 2, 3 }, new[] { 1, 1, 0 }, "row 0's columns must increase, but column 1 follows 1")]
    [InlineData(new[] { 0, 2, 2, 3 }, new[] { 1, 4, 0 }, "entry 1 (row 0) has column 4, outside 0..3")]
    public void MalformedRowsAreRefused(int[] rowPointers, int[] columns, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new SparseRows(3, 4, rowPointers, columns, [1.5, 2, 3]));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void MismatchedOrMissingArraysAreRefused()
    {
        Assert.Contains("3 column indices but 2 values", Assert.Throws<ArgumentException>(() => new SparseRows(3, 4, [0, 2, 2, 3], [1, 3, 0], [1, 2])).Message);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => new SparseRows(3, 4, [0, 2, 2, 3], [1, 3, 0], null!)).ParamName);
        Assert.Equal("rowCount", Assert.Throws<ArgumentOutOfRangeException>(() => new SparseRows(-1, 4, [0], [], [])).ParamName);
    }
}
