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
        var y = new float[length];
        Elementwise.Map(x, y, TensorPrimitives.Exp);
        for (int i = 0; i < length; i++) Assert.Equal(MathF.Exp(x[i]), y[i], MathF.Exp(x[i]) * 1e-6f);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Zip_AddSameShape_AndBroadcastRow_MatchScalarSums(int length)
    {
        var a = Values(length * 3, length);
        var b = Values(length, length + 1000);
        var same = new float[length];
        Elementwise.Zip(a[..length], b, same, TensorPrimitives.Add);
        for (int i = 0; i < length; i++) Assert.Equal(a[i] + b[i], same[i]);

        // a [3, length] + b [length]: b read with stride 0 along the rows.
        var sum = new float[length * 3];
        Elementwise.Broadcast(a, [length, 1], b, [0, 1], sum, [3, length], TensorPrimitives.Add);
        for (int r = 0; r < 3; r++)
            for (int i = 0; i < length; i++) Assert.Equal(a[r * length + i] + b[i], sum[r * length + i]);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Broadcast_Column_FillsEachRowWithItsScalar(int length)
    {
        var a = Values(length * 2, length).Select(v => (double)v).ToArray();
        var column = new double[] { 0.5, -3 };
        var product = new double[length * 2];
        // a [2, length] · column [2, 1]: the column read with stride 0 along each row.
        Elementwise.Broadcast(a, [length, 1], column, [1, 0], product, [2, length], TensorPrimitives.Multiply);
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < length; i++) Assert.Equal(a[r * length + i] * column[r], product[r * length + i]);
    }

    [Fact]
    public void BroadcastCopy_RepeatsAlongNewAndUnitDimensions()
    {
        // [2, 1] to [3, 2, 2]: strides [0, 1, 0].
        var y = new int[12];
        Elementwise.BroadcastCopy([1, 2], [0, 1, 0], y, [3, 2, 2]);
        Assert.Equal(new[] { 1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2 }, y);
    }
}
