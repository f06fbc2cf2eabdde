using Nabla.NN;
using static Nabla.Tests.NN.NormalizationCases;

namespace Nabla.Tests.NN;

/// <summary>LayerNorm beyond the PyTorch fixture: gradient checks of the fused op, second derivatives, Float32, thread counts and bad input.</summary>
[Collection("Parallelism")]
public sealed class LayerNormTests
{
    [Theory]
    [InlineData(new[] { 3, 5 }, new[] { 5 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 4 })]
    public void FusedOp_PassesGradCheck_ForInputWeightAndBias(int[] inputShape, int[] normalizedShape)
    {
        var x = Random(inputShape, 1, 2, 0.5).RequiresGradient();
        var w = Random(normalizedShape, 2, 0.5, 1).RequiresGradient();
        var b = Random(normalizedShape, 3).RequiresGradient();
        int d = normalizedShape.Aggregate(1, (a, s) => a * s);

        GradCheck.Assert(t => Tensor.LayerNorm(t[0], d, t[1], t[2], 1e-5), [x, w, b]);
        GradCheck.Assert(t => Tensor.LayerNorm(t[0], d, null, null, 1e-5), [x]);
    }

    [Fact]
    public void Module_PassesGradCheck()
    {
        var layer = new LayerNorm(4, dtype: DType.Float64);
        Init.Normal(layer.Weight!, 1, 0.3, new Generator(4));
        var x = Random([3, 4], 5).RequiresGradient();

        GradCheck.Assert(t => layer.Forward(t[0]), [x]);
    }

    [Fact]
    public void SecondDerivatives_PassGradGradCheck()
    {
        var x = Random([2, 4], 6, 1.5).RequiresGradient();
        var w = Random([4], 7, 0.5, 1).RequiresGradient();
        var b = Random([4], 8).RequiresGradient();

        GradGradCheck.Assert(t => Tensor.LayerNorm(t[0], 4, t[1], t[2], 1e-5), [x, w, b]);
    }

    [Fact]
    public void FusedBackward_EqualsTheTensorOpFormula()
    {
        Tensor[] inputs = [Random([7, 6], 9, 3, 1).RequiresGradient(), Random([6], 10).RequiresGradient(), Random([6], 11).RequiresGradient()];
        NormalizationCases.AssertFusedBackwardEqualsComposed(t => Tensor.LayerNorm(t[0], 6, t[1], t[2], 1e-5), inputs, 12);
    }

    [Fact]
    public void LargeInput_GivesTheSameBitsAtAnyThreadCount()
    {
        // 640 × 256 elements: above the parallel threshold, so rows are split into pieces.
        var x = Random([640, 256], 13).RequiresGradient();
        var w = Random([256], 14, 0.5, 1).RequiresGradient();
        var b = Random([256], 15).RequiresGradient();
        var g = Random([640, 256], 16);
        double[][] Run()
        {
            var y = Tensor.LayerNorm(x, 256, w, b, 1e-5);
            var grads = Nabla.Autograd.Grad([y], [x, w, b], [g]);
            return [y.ToArray<double>(), .. grads.Select(t => t!.ToArray<double>())];
        }

        var single = ParallelismCollection.AtThreads(1, Run);
        var many = ParallelismCollection.AtThreads(4, Run);

        for (int i = 0; i < single.Length; i++) Assert.Equal(single[i], many[i]);
    }

    [Fact]
    public void Float32_AgreesWithFloat64()
    {
        var x64 = Random([4, 8], 17, 2, 3);
        var layer64 = new LayerNorm(8, dtype: DType.Float64);
        var layer32 = new LayerNorm(8);
        var x32 = x64.To(DType.Float32).RequiresGradient();

        var y32 = layer32.Forward(x32);
        y32.Backward(Tensor.OnesLike(y32));
        var y64 = layer64.Forward(x64);

        Assert.Equal(DType.Float32, y32.DType);
        var expected = y64.ToArray<double>();
        var actual = y32.ToDoubleArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5);
        // Σ over a row of the output is constant (= Σ bias), so a gradient of ones gives dx ≈ 0.
        Assert.All(x32.Grad!.ToArray<float>(), v => Assert.Equal(0, v, 1e-5));
    }

    [Fact]
    public void BadInput_GetsClearErrors()
    {
        var layer = new LayerNorm([3, 4]);

        var e = Assert.Throws<ShapeMismatchException>(() => layer.Forward(Tensor.Zeros(2, 4, 3)));
        Assert.Contains("LayerNorm([3, 4]): input of shape [2, 4, 3] must end with [3, 4]", e.Message);
        Assert.Throws<ShapeMismatchException>(() => layer.Forward(Tensor.Zeros(4)));
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros([2, 3, 4], DType.Float64))).Message);
        Assert.Contains("got [3, 0]", Assert.Throws<ArgumentException>(() => new LayerNorm([3, 0])).Message);
        Assert.Contains("got []", Assert.Throws<ArgumentException>(() => new LayerNorm([])).Message);
        Assert.Contains("eps must be positive and finite, got -1", Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm(4, eps: -1)).Message);
    }

    [Fact]
    public void Parameters_StartAtOnesAndZeros_AndAreOptional()
    {
        var layer = new LayerNorm([2, 3]);
        Assert.Equal(["weight", "bias"], layer.NamedParameters().Select(p => p.Name));
        Assert.Equal([2, 3], layer.Weight!.Shape);
        Assert.All(layer.Weight.ToArray<float>(), v => Assert.Equal(1f, v));
        Assert.All(layer.Bias!.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.Empty(new LayerNorm(3, elementwiseAffine: false).Parameters());
    }
}
