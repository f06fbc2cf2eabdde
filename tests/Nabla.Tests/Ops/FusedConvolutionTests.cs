using Nabla.NN;

namespace Nabla.Tests.Ops;

/// <summary>
/// The fused ops that <see cref="Sequential"/> runs for a <see cref="Conv2d"/> followed by a
/// <see cref="ReLU"/> (and a <see cref="MaxPool2d"/>): the same output and gradients, bit for bit,
/// as the layers applied one after the other; second derivatives through them; the same results at
/// every thread count.
/// </summary>
[Collection("Parallelism")]
public class FusedConvolutionTests
{
    /// <summary>The output and the input, weight and bias gradients, through Sequential (fused) or layer by layer.</summary>
    private static float[][] Run(bool fused, Module? pool, int batch, int inChannels, int outChannels, int size, int groups, int stride, bool bias)
    {
        var g = new Generator(7);
        var conv = new Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, groups: groups, bias: bias, generator: g);
        Module[] layers = pool is null ? [conv, new ReLU()] : [conv, new ReLU(), pool];
        var x = Tensor.Randn([batch, inChannels, size, size], g).RequiresGradient();
        var y = x;
        if (fused) y = new Sequential(layers).Forward(x);
        else foreach (var layer in layers) y = layer.Forward(y);
        y.Backward(Tensor.Randn([.. y.Shape], g));
        float[][] results = [y.ToArray<float>(), x.Grad!.ToArray<float>(), conv.Weight.Grad!.ToArray<float>()];
        return bias ? [.. results, conv.Bias!.Grad!.ToArray<float>()] : results;
    }

    /// <summary>No pooling, the common 2×2 pooling, and an overlapping padded one (whose windows share inputs, so gradients add up).</summary>
    private static Module? Pool(int kind) => kind switch
    {
        0 => null,
        1 => new MaxPool2d(2),
        _ => new MaxPool2d(3, stride: 2, padding: 1),
    };

    [Theory]
    [InlineData(0, 64, 16, 32, 14, 1, 1, true)]
    [InlineData(0, 5, 1, 16, 28, 1, 1, true)]
    [InlineData(0, 3, 4, 6, 9, 2, 2, false)]
    [InlineData(1, 64, 16, 32, 14, 1, 1, true)]
    [InlineData(1, 5, 1, 16, 28, 1, 1, true)]
    [InlineData(1, 3, 4, 6, 9, 2, 1, false)]
    [InlineData(2, 4, 3, 8, 11, 1, 1, true)]
    public void Sequential_MatchesTheLayersOneByOne(int pool, int batch, int inChannels, int outChannels, int size, int groups, int stride, bool bias)
    {
        var separate = Run(fused: false, Pool(pool), batch, inChannels, outChannels, size, groups, stride, bias);
        var fused = Run(fused: true, Pool(pool), batch, inChannels, outChannels, size, groups, stride, bias);
        Assert.Equal(separate.Length, fused.Length);
        for (int i = 0; i < separate.Length; i++)
            Assert.True(separate[i].AsSpan().SequenceEqual(fused[i]), $"result {i} differs between the fused and the separate layers");
        Assert.Contains(0f, fused[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Sequential_OnAnUnbatchedImage_MatchesTheLayersOneByOne(int pool)
    {
        var g = new Generator(11);
        var conv = new Conv2d(2, 3, 3, padding: 1, generator: g);
        Module[] layers = Pool(pool) is { } p ? [conv, new ReLU(), p] : [conv, new ReLU()];
        var x = Tensor.Randn([2, 6, 6], g);
        var separate = x;
        foreach (var layer in layers) separate = layer.Forward(separate);
        var fused = new Sequential(layers).Forward(x);
        Assert.Equal(separate.Shape, fused.Shape);
        Assert.Equal(separate.ToArray<float>(), fused.ToArray<float>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void SecondDerivatives_ThroughTheFusedOps_MatchFiniteDifferences(int pool)
    {
        var g = new Generator(3);
        var conv = new Conv2d(2, 4, 3, padding: 1, generator: g, dtype: DType.Float64);
        var model = new Sequential(Pool(pool) is { } p ? [conv, new ReLU(), p] : [conv, new ReLU()]);
        var x = Tensor.Randn([2, 2, 6, 6], g, DType.Float64).RequiresGradient();
        GradGradCheck.Assert(t => model.Forward(t[0]).Pow(2).Sum(), [x, conv.Weight, conv.Bias!]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void FusedOps_GiveTheSameResults_AtEveryThreadCount(int pool)
    {
        var one = ParallelismCollection.AtThreads(1, () => Run(fused: true, Pool(pool), 64, 16, 32, 14, 1, 1, bias: true));
        foreach (int threads in new[] { 2, 3 })
        {
            var many = ParallelismCollection.AtThreads(threads, () => Run(fused: true, Pool(pool), 64, 16, 32, 14, 1, 1, bias: true));
            for (int i = 0; i < one.Length; i++)
                Assert.True(one[i].AsSpan().SequenceEqual(many[i]), $"result {i} differs between 1 and {threads} threads");
        }
    }

    [Fact]
    public void Evaluation_WithoutGradients_MatchesTheLayersOneByOne()
    {
        var g = new Generator(13);
        Module[] layers = [new Conv2d(1, 4, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2)];
        var x = Tensor.Randn([3, 1, 8, 8], g);
        using (Nabla.Autograd.NoGrad())
        {
            var separate = x;
            foreach (var layer in layers) separate = layer.Forward(separate);
            Assert.Equal(separate.ToArray<float>(), new Sequential(layers).Forward(x).ToArray<float>());
        }
    }
}
