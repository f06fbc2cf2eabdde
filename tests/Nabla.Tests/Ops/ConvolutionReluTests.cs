using Nabla.NN;

namespace Nabla.Tests.Ops;

/// <summary>
/// The fused convolution + ReLU that <see cref="Sequential"/> runs for a <see cref="Conv2d"/>
/// followed by a <see cref="ReLU"/>: the same output and gradients, bit for bit, as the two layers
/// applied one after the other; second derivatives through it; the same results at every thread count.
/// </summary>
[Collection("Parallelism")]
public class ConvolutionReluTests
{
    /// <summary>The output and the input, weight and bias gradients, fused (through Sequential) or layer by layer.</summary>
    private static float[][] Run(bool fused, int batch, int inChannels, int outChannels, int size, int groups, int stride, bool bias)
    {
        var g = new Generator(7);
        var conv = new Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, groups: groups, bias: bias, generator: g);
        var x = Tensor.Randn([batch, inChannels, size, size], g).RequiresGradient();
        var y = fused ? new Sequential(conv, new ReLU()).Forward(x) : new ReLU().Forward(conv.Forward(x));
        y.Backward(Tensor.Randn([.. y.Shape], g));
        float[][] results = [y.ToArray<float>(), x.Grad!.ToArray<float>(), conv.Weight.Grad!.ToArray<float>()];
        return bias ? [.. results, conv.Bias!.Grad!.ToArray<float>()] : results;
    }

    [Theory]
    [InlineData(64, 16, 32, 14, 1, 1, true)]
    [InlineData(5, 1, 16, 28, 1, 1, true)]
    [InlineData(3, 4, 6, 9, 2, 2, false)]
    public void SequentialConvRelu_MatchesTheLayersOneByOne(int batch, int inChannels, int outChannels, int size, int groups, int stride, bool bias)
    {
        var separate = Run(fused: false, batch, inChannels, outChannels, size, groups, stride, bias);
        var fused = Run(fused: true, batch, inChannels, outChannels, size, groups, stride, bias);
        Assert.Equal(separate.Length, fused.Length);
        for (int i = 0; i < separate.Length; i++)
            Assert.True(separate[i].AsSpan().SequenceEqual(fused[i]), $"result {i} differs between the fused and the separate layers");
        Assert.Contains(0f, fused[0]);
    }

    [Fact]
    public void SequentialConvRelu_OnAnUnbatchedImage_MatchesTheLayersOneByOne()
    {
        var g = new Generator(11);
        var conv = new Conv2d(2, 3, 3, padding: 1, generator: g);
        var x = Tensor.Randn([2, 5, 5], g);
        var separate = conv.Forward(x).Relu();
        var fused = new Sequential(conv, new ReLU()).Forward(x);
        Assert.Equal(separate.Shape, fused.Shape);
        Assert.Equal(separate.ToArray<float>(), fused.ToArray<float>());
    }

    [Fact]
    public void SecondDerivatives_ThroughTheFusedOp_MatchFiniteDifferences()
    {
        var g = new Generator(3);
        var conv = new Conv2d(2, 4, 3, padding: 1, generator: g, dtype: DType.Float64);
        var model = new Sequential(conv, new ReLU());
        var x = Tensor.Randn([2, 2, 5, 5], g, DType.Float64).RequiresGradient();
        GradGradCheck.Assert(t => model.Forward(t[0]).Pow(2).Sum(), [x, conv.Weight, conv.Bias!]);
    }

    [Fact]
    public void FusedOp_GivesTheSameResults_AtEveryThreadCount()
    {
        var one = ParallelismCollection.AtThreads(1, () => Run(fused: true, 64, 16, 32, 14, 1, 1, bias: true));
        foreach (int threads in new[] { 2, 3 })
        {
            var many = ParallelismCollection.AtThreads(threads, () => Run(fused: true, 64, 16, 32, 14, 1, 1, bias: true));
            for (int i = 0; i < one.Length; i++)
                Assert.True(one[i].AsSpan().SequenceEqual(many[i]), $"result {i} differs between 1 and {threads} threads");
        }
    }
}
