using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>The elementwise loops against plain scalar formulas, at every length around the vector widths.</summary>
public class ElementwiseTests
{
    public static TheoryData<int> Lengths() => [.. Enumerable.Range(0, 261)];

    private static float[] Values(int length, int seed)
    {
        var generator = new Generator((ulong)seed);
        return Enumerable.Range(0, length).Select(_ => (float)(generator.NextDouble() * 4 - 2)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Map_Exp_MatchesScalarFormula(int length)
    {
        var x = Values(length, length);
        var y = Elementwise.Map(Tensor.FromArray(x), TensorPrimitives.Exp, TensorPrimitives.Exp).ToArray<float>();
        for (int i = 0; i < length; i++) Assert.Equal(MathF.Exp(x[i]), y[i], MathF.Exp(x[i]) * 1e-6f);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Zip_AddSameShape_AndBroadcastRow_MatchScalarSums(int length)
    {
        var a = Values(length * 3, length);
        var b = Values(length, length + 1000);
        var sum = Elementwise.Zip(Tensor.FromArray(a, 3, length), Tensor.FromArray(b, length), "Add", TensorPrimitives.Add, TensorPrimitives.Add).ToArray<float>();
        for (int r = 0; r < 3; r++)
            for (int i = 0; i < length; i++) Assert.Equal(a[r * length + i] + b[i], sum[r * length + i]);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Zip_BroadcastColumn_FillsEachRowWithItsScalar(int length)
    {
        var a = Values(length * 2, length);
        var column = new double[] { 0.5, -3 };
        var product = Elementwise.Zip(Tensor.FromArray(a.Select(v => (double)v).ToArray(), 2, length), Tensor.FromArray(column, 2, 1),
            "Multiply", TensorPrimitives.Multiply, TensorPrimitives.Multiply).ToArray<double>();
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < length; i++) Assert.Equal(a[r * length + i] * column[r], product[r * length + i]);
    }

    [Fact]
    public void Zip_BroadcastsBothOperands_AsNumPy()
    {
        // [3,1] with [1,4] → [3,4]: y[i,j] = a[i] − b[j]
        var a = Tensor.FromArray(new double[] { 1, 2, 3 }, 3, 1);
        var b = Tensor.FromArray(new double[] { 10, 20, 30, 40 }, 1, 4);
        var y = Elementwise.Zip(a, b, "Subtract", TensorPrimitives.Subtract, TensorPrimitives.Subtract);
        Assert.Equal([3, 4], y.Shape);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) Assert.Equal(i + 1 - (j + 1) * 10.0, y[i, j]);
    }

    [Fact]
    public void BroadcastTo_RepeatsAlongNewAndUnitDimensions()
    {
        var x = Tensor.FromArray(new[] { 1, 2 }, 2, 1);
        var y = Elementwise.BroadcastTo(x, [3, 2, 2]);
        Assert.Equal(new[] { 1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2 }, y.ToArray<int>());
    }

    [Fact]
    public void AddInPlace_AccumulatesAndChecksShapes()
    {
        var target = Tensor.FromArray(new float[] { 1, 2 });
        Elementwise.AddInPlace(target, Tensor.FromArray(new float[] { 3, 4 }));
        Assert.Equal(new float[] { 4, 6 }, target.ToArray<float>());
        Assert.Throws<ShapeMismatchException>(() => Elementwise.AddInPlace(target, Tensor.FromArray(new float[] { 1, 2, 3 })));
    }
}
