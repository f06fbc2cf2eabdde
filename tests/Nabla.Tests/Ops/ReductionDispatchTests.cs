using Nabla.Kernels;

namespace Nabla.Tests.Ops;

/// <summary>The tensor side of the reduction kernels: result shapes and the errors for reducing nothing.</summary>
public class ReductionDispatchTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void AlongAxis_KeepsOrDropsTheAxis(int axis)
    {
        int[] shape = [3, 5, 7];
        var x = Tensor.Arange(105, dtype: DType.Float64).Reshape(shape);
        var sum = ReductionDispatch.Reduce(x, axis, true, ReductionKind.Sum);
        var max = ReductionDispatch.Reduce(x, axis, false, ReductionKind.Max);
        var expectedShape = (int[])shape.Clone();
        expectedShape[axis] = 1;
        Assert.Equal(expectedShape, sum.Shape);
        Assert.Equal(shape.Where((_, d) => d != axis), max.Shape);
        Assert.Equal(x.Sum(axis, keepDims: true).ToArray<double>(), sum.ToArray<double>());
    }

    [Fact]
    public void WholeTensor_IsAScalar()
    {
        var x = Tensor.FromArray(new float[] { 1, 5, -2 });
        Assert.Equal(4, ReductionDispatch.Reduce(x, null, false, ReductionKind.Sum).Item());
        Assert.Equal([1], ReductionDispatch.Reduce(x, null, true, ReductionKind.Max).Shape);
    }

    [Fact]
    public void MaxOfEmptyTensor_IsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => ReductionDispatch.Reduce(Tensor.Zeros(0), null, false, ReductionKind.Max));
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void MinAlongAnEmptyAxis_IsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => ReductionDispatch.Reduce(Tensor.Zeros(2, 0), 1, false, ReductionKind.Min));
        Assert.Contains("axis 1 of size 0", error.Message);
    }
}
