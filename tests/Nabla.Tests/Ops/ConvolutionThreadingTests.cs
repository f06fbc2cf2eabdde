namespace Nabla.Tests.Ops;

/// <summary>
/// Convolution and pooling give bit-identical outputs and gradients at 1, 2 and 3 threads: the
/// batch is cut into fixed pieces and the weight-gradient partials are added in a fixed order.
/// </summary>
[Collection("Parallelism")]
public class ConvolutionThreadingTests
{
    /// <summary>Output and every gradient of a conv → max-pool → avg-pool chain, as flat arrays.</summary>
    private static float[][] Run(int batch, int inChannels, int outChannels, int size, int groups)
    {
        var g = new Generator(42);
        var x = Tensor.Randn([batch, inChannels, size, size], g).RequiresGradient();
        var w = Tensor.Randn([outChannels, inChannels / groups, 3, 3], g).RequiresGradient();
        var b = Tensor.Randn([outChannels], g).RequiresGradient();
        var y = Tensor.Conv2d(x, w, b, padding: 1, groups: groups);
        var pooled = y.MaxPool2d(2).AvgPool2d(3, 1, 1);
        pooled.Backward(Tensor.Randn([.. pooled.Shape], g));
        return [y.ToArray<float>(), pooled.ToArray<float>(), x.Grad!.ToArray<float>(), w.Grad!.ToArray<float>(), b.Grad!.ToArray<float>()];
    }

    [Theory]
    [InlineData(64, 16, 32, 14, 1)]
    [InlineData(37, 4, 6, 9, 2)]
    [InlineData(3, 1, 16, 28, 1)]
    public void Results_DoNotDependOnTheThreadCount(int batch, int inChannels, int outChannels, int size, int groups)
    {
        var one = ParallelismCollection.AtThreads(1, () => Run(batch, inChannels, outChannels, size, groups));
        foreach (int threads in new[] { 2, 3 })
        {
            var many = ParallelismCollection.AtThreads(threads, () => Run(batch, inChannels, outChannels, size, groups));
            for (int i = 0; i < one.Length; i++)
                Assert.True(one[i].AsSpan().SequenceEqual(many[i]), $"result {i} differs between 1 and {threads} threads");
        }
    }
}
