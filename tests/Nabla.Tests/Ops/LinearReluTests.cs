using Nabla.NN;

namespace Nabla.Tests.Ops;

/// <summary>
/// The fused op that <see cref="Sequential"/> runs for a <see cref="Linear"/> followed by a
/// <see cref="ReLU"/>: the same output and gradients, bit for bit, as the two layers one after the
/// other, in both types and with the gradients added into existing ones; its first and second
/// derivatives against finite differences.
/// </summary>
public class LinearReluTests
{
    /// <summary>The output and the input, weight and bias gradients, through Sequential (fused) or layer by layer.</summary>
    private static double[][] Run(bool fused, DType dtype, int batch, int inFeatures, int outFeatures, bool bias, bool accumulate)
    {
        var g = new Generator(5);
        var linear = new Linear(inFeatures, outFeatures, bias, generator: g, dtype: dtype);
        var x = Tensor.Randn([batch, inFeatures], g, dtype).RequiresGradient();
        var upstream = Tensor.Randn([batch, outFeatures], g, dtype);
        for (int pass = 0; pass < (accumulate ? 2 : 1); pass++)
        {
            var y = fused ? new Sequential(linear, new ReLU()).Forward(x) : new ReLU().Forward(linear.Forward(x));
            y.Backward(upstream);
            if (pass == 0 && !accumulate) return Results(y, x, linear);
            if (pass == 1) return Results(y, x, linear);
        }
        throw new InvalidOperationException("unreachable");
    }

    private static double[][] Results(Tensor y, Tensor x, Linear linear)
    {
        double[][] results = [y.ToDoubleArray(), x.Grad!.ToDoubleArray(), linear.Weight.Grad!.ToDoubleArray()];
        return linear.Bias is null ? results : [.. results, linear.Bias.Grad!.ToDoubleArray()];
    }

    [Theory]
    [InlineData(DType.Float32, 64, 784, 256, true, false)]
    [InlineData(DType.Float64, 64, 784, 256, true, true)]
    [InlineData(DType.Float64, 7, 5, 3, false, false)]
    [InlineData(DType.Float32, 1, 9, 17, true, true)]
    public void Sequential_MatchesTheLayersOneByOne(DType dtype, int batch, int inFeatures, int outFeatures, bool bias, bool accumulate)
    {
        var separate = Run(fused: false, dtype, batch, inFeatures, outFeatures, bias, accumulate);
        var fused = Run(fused: true, dtype, batch, inFeatures, outFeatures, bias, accumulate);
        Assert.Equal(separate.Length, fused.Length);
        for (int i = 0; i < separate.Length; i++)
            Assert.True(separate[i].AsSpan().SequenceEqual(fused[i]), $"result {i} differs between the fused and the separate layers");
        Assert.Contains(0.0, fused[0]);
    }

    [Fact]
    public void InputsOfAnotherRank_TakeTheLayersOneByOne()
    {
        var g = new Generator(2);
        var linear = new Linear(4, 3, generator: g);
        var x = Tensor.Randn([2, 5, 4], g);
        Assert.Equal(new ReLU().Forward(linear.Forward(x)).ToArray<float>(), new Sequential(linear, new ReLU()).Forward(x).ToArray<float>());
    }

    [Fact]
    public void FirstAndSecondDerivatives_MatchFiniteDifferences()
    {
        var g = new Generator(9);
        // Away from the kink: no pre-activation within finite-difference reach of 0.
        var x = Tensor.Randn([3, 4], g, DType.Float64).RequiresGradient();
        var w = Tensor.Randn([5, 4], g, DType.Float64).RequiresGradient();
        var b = (Tensor.Randn([5], g, DType.Float64) + 0.1).RequiresGradient();
        GradCheck.Assert(t => Tensor.LinearRelu(t[0], t[1], t[2]), [x, w, b]);
        GradGradCheck.Assert(t => Tensor.LinearRelu(t[0], t[1], t[2]), [x, w, b]);
        GradCheck.Assert(t => Tensor.LinearRelu(t[0], t[1], null), [x, w]);
    }
}
