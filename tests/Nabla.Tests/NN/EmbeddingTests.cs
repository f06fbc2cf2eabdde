using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>Embedding beyond the PyTorch fixture: initialisation, the padding row, gradient checks and bad ids.</summary>
public sealed class EmbeddingTests
{
    [Fact]
    public void Weights_AreStandardNormal_WithAZeroPaddingRow()
    {
        var layer = new Embedding(400, 50, paddingIndex: -1, generator: new Generator(1), dtype: DType.Float64);

        Assert.Equal(399, layer.PaddingIndex);
        var w = layer.Weight.ToArray<double>();
        Assert.All(w[(399 * 50)..], v => Assert.Equal(0, v));
        var used = w[..(399 * 50)];
        double mean = used.Average(), std = Math.Sqrt(used.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(0, mean, 0.03);
        Assert.Equal(1, std, 0.03);
    }

    [Fact]
    public void Gradient_AddsIntoUsedRows_AndNeverIntoThePaddingRow()
    {
        var layer = new Embedding(5, 2, paddingIndex: 1, generator: new Generator(2));
        var ids = Tensor.FromArray([3, 1, 3, 0, 1, 1], 2, 3);

        var y = layer.Forward(ids);
        y.Sum().Backward();

        Assert.Equal([2, 3, 2], y.Shape);
        Assert.Equal([1f, 1, 0, 0, 0, 0, 2, 2, 0, 0], layer.Weight.Grad!.ToArray<float>());
    }

    [Fact]
    public void Lookup_PassesGradCheck_AndGradGradCheck()
    {
        var ids = Tensor.FromArray([2, 0, 2, 3], 2, 2);
        var table = Tensor.Randn([4, 3], new Generator(3), DType.Float64).RequiresGradient();

        // The padding row is left out of the gradient on purpose (finite differences would see it), so the
        // checks run with a padding id that is not looked up; the padding path still runs (its mask is all ones).
        GradCheck.Assert(t => t[0].Embedding(t[1], paddingIndex: 1), [table, ids]);
        GradCheck.Assert(t => t[0].Embedding(t[1], paddingIndex: null), [table, ids]);
        GradGradCheck.Assert(t => t[0].Embedding(t[1], paddingIndex: 1).Pow(3), [table, ids]);
        var layer = new Embedding(4, 3, dtype: DType.Float64);
        GradCheck.Assert(t => layer.Forward(t[0]) * t[1], [ids, Tensor.Randn([2, 2, 3], new Generator(4), DType.Float64).RequiresGradient()]);
    }

    [Fact]
    public void BadIds_NameTheIdAndItsPosition()
    {
        var layer = new Embedding(10, 3);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => layer.Forward(Tensor.FromArray([1, 2, 3, 4, 12, 5], 2, 3)));
        Assert.Contains("Embedding(10, 3): id 12 at position [1, 1] of the ids (shape [2, 3]) is outside [0, 10)", e.Message);
        Assert.Contains("id -1 at position [0]", Assert.Throws<ArgumentOutOfRangeException>(() => layer.Forward(Tensor.FromArray([-1, 0]))).Message);
        Assert.Contains("the ids must be an Int32 tensor, got Float32", Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros(2))).Message);
        Assert.Contains("the padding index must be in [-10, 10), got 10",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(10, 3, paddingIndex: 10)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(0, 3));
    }
}
