using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>Reductions against scalar loops accumulated in double precision.</summary>
public class ReductionTests
{
    public static TheoryData<int> Lengths() => [.. Enumerable.Range(0, 261)];

    private static double[] Values(int length, int seed)
    {
        var generator = new Generator((ulong)seed + 77);
        return Enumerable.Range(0, length).Select(_ => generator.NextDouble() * 2 - 1).ToArray();
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void WholeTensor_SumMaxMin_MatchScalarLoops(int length)
    {
        var data = Values(length, length);
        var x = Tensor.FromArray(data);
        Assert.Equal(data.Sum(), Reduction.Reduce(x, null, false, ReductionKind.Sum).Item(), 1e-12);
        var single = Tensor.FromArray(data.Select(v => (float)v).ToArray());
        Assert.Equal(data.Select(v => (double)(float)v).Sum(), Reduction.Reduce(single, null, false, ReductionKind.Sum).Item(), 1e-4);
        if (length == 0) return;
        Assert.Equal(data.Max(), Reduction.Reduce(x, null, false, ReductionKind.Max).Item());
        Assert.Equal(data.Min(), Reduction.Reduce(x, null, false, ReductionKind.Min).Item());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void AlongAxis_MatchesScalarLoops(int axis)
    {
        int[] shape = [3, 5, 7];
        var data = Values(105, axis);
        var x = Tensor.FromArray(data, shape);
        var sum = Reduction.Reduce(x, axis, true, ReductionKind.Sum);
        var max = Reduction.Reduce(x, axis, false, ReductionKind.Max);
        var expectedShape = (int[])shape.Clone();
        expectedShape[axis] = 1;
        Assert.Equal(expectedShape, sum.Shape);
        Assert.Equal(shape.Where((_, d) => d != axis), max.Shape);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++)
                for (int k = 0; k < 7; k++)
                {
                    int[] at = [i, j, k];
                    if (at[axis] != 0) continue;
                    double s = 0, m = double.NegativeInfinity;
                    for (int t = 0; t < shape[axis]; t++)
                    {
                        at[axis] = t;
                        double v = data[(at[0] * 5 + at[1]) * 7 + at[2]];
                        s += v;
                        m = Math.Max(m, v);
                    }
                    at[axis] = 0;
                    Assert.Equal(s, sum[at], 1e-12);
                    Assert.Equal(m, max.ToArray<double>()[axis switch { 0 => j * 7 + k, 1 => i * 7 + k, _ => i * 5 + j }]);
                }
    }

    [Fact]
    public void MaxOfEmptyTensor_IsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => Reduction.Reduce(Tensor.Zeros(0), null, false, ReductionKind.Max));
        Assert.Contains("empty", error.Message);
    }
}
