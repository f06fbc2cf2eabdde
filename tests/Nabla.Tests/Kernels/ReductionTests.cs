using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>The reduction kernels against scalar loops accumulated in double precision.</summary>
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
    public void WholeArray_SumMaxMin_MatchScalarLoops(int length)
    {
        var data = Values(length, length);
        Assert.Equal(data.Sum(), Reduction.ReduceAll(data, ReductionKind.Sum), 1e-12);
        var single = data.Select(v => (float)v).ToArray();
        Assert.Equal(data.Select(v => (double)(float)v).Sum(), Reduction.ReduceAll(single, ReductionKind.Sum), 1e-4);
        if (length == 0) return;
        Assert.Equal(data.Max(), Reduction.ReduceAll(data, ReductionKind.Max));
        Assert.Equal(data.Min(), Reduction.ReduceAll(data, ReductionKind.Min));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void AlongAxis_MatchesScalarLoops(int axis)
    {
        int[] shape = [3, 5, 7];
        var data = Values(105, axis);
        int outer = shape[..axis].Aggregate(1, (p, s) => p * s), inner = shape[(axis + 1)..].Aggregate(1, (p, s) => p * s);
        var sum = new double[outer * inner];
        var max = new double[outer * inner];
        Reduction.Reduce(data, outer, shape[axis], inner, sum, ReductionKind.Sum);
        Reduction.Reduce(data, outer, shape[axis], inner, max, ReductionKind.Max);
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
                    int reduced = axis switch { 0 => j * 7 + k, 1 => i * 7 + k, _ => i * 5 + j };
                    Assert.Equal(s, sum[reduced], 1e-12);
                    Assert.Equal(m, max[reduced]);
                }
    }
}
