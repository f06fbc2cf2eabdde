using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>The same computation at 1 and 2 threads gives bit-identical results.</summary>
[Collection("Parallelism")]
public class DeterminismTests
{
    [Fact]
    public void LargeElementwiseReductionAndBackward_AreBitIdenticalAcrossThreadCounts()
    {
        float[] Run()
        {
            var generator = new Generator(42);
            var x = Tensor.Randn([600, 700], generator).RequiresGradient();
            var bias = Tensor.Randn([700], generator).RequiresGradient();
            var y = (x * 1.5f + bias).Tanh();
            var loss = y.Sum() + y.Sum(axis: 0).Sum() * 0.5 + y.Mean(axis: 1).Sum();
            loss.Backward();
            return [(float)loss.Item(), .. x.Grad!.ToArray<float>(), .. bias.Grad!.ToArray<float>()];
        }

        var single = ParallelismCollection.AtThreads(1, Run);
        var dual = ParallelismCollection.AtThreads(2, Run);
        Assert.Equal(single.Length, dual.Length);
        for (int i = 0; i < single.Length; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(single[i]), BitConverter.SingleToInt32Bits(dual[i]));
    }

    [Fact]
    public void MaxDegreeOfParallelism_RejectsZero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxDegreeOfParallelism = 0);
    }
}
