using System.Numerics.Tensors;

namespace Nabla.Tests.Ops;

/// <summary>The tensor side of the elementwise kernels: result shapes, broadcasting by shape, element types.</summary>
public class ElementwiseDispatchTests
{
    [Fact]
    public void Zip_BroadcastsBothOperands_AsNumPy()
    {
        // [3,1] with [1,4] → [3,4]: y[i,j] = a[i] − b[j]
        var a = Tensor.FromArray(new double[] { 1, 2, 3 }, 3, 1);
        var b = Tensor.FromArray(new double[] { 10, 20, 30, 40 }, 1, 4);
        var y = ElementwiseDispatch.Zip(a, b, "Subtract", TensorPrimitives.Subtract, TensorPrimitives.Subtract);
        Assert.Equal([3, 4], y.Shape);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) Assert.Equal(i + 1 - (j + 1) * 10.0, y[i, j]);
    }

    [Fact]
    public void Zip_BroadcastRowAndColumn_MatchScalarFormulas()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var row = ElementwiseDispatch.Zip(a, Tensor.FromArray(new float[] { 10, 20, 30 }), "Add", TensorPrimitives.Add, TensorPrimitives.Add);
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, row.ToArray<float>());
        var column = ElementwiseDispatch.Zip(a, Tensor.FromArray(new float[] { 2, -1 }, 2, 1), "Multiply", TensorPrimitives.Multiply, TensorPrimitives.Multiply);
        Assert.Equal(new float[] { 2, 4, 6, -4, -5, -6 }, column.ToArray<float>());
    }

    [Fact]
    public void BroadcastTo_RepeatsAlongNewAndUnitDimensions()
    {
        var x = Tensor.FromArray(new[] { 1, 2 }, 2, 1);
        var y = ElementwiseDispatch.BroadcastTo(x, [3, 2, 2]);
        Assert.Equal(new[] { 1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2 }, y.ToArray<int>());
    }

    [Fact]
    public void AddInPlace_AccumulatesAndChecksShapes()
    {
        var target = Tensor.FromArray(new float[] { 1, 2 });
        ElementwiseDispatch.AddInPlace(target, Tensor.FromArray(new float[] { 3, 4 }));
        Assert.Equal(new float[] { 4, 6 }, target.ToArray<float>());
        Assert.Throws<ShapeMismatchException>(() => ElementwiseDispatch.AddInPlace(target, Tensor.FromArray(new float[] { 1, 2, 3 })));
    }
}
