namespace Nabla.Tests.NN;

using Autograd = global::Nabla.Autograd;

/// <summary>What the LayerNorm and BatchNorm tests share: seeded inputs, and the fused backward kernel checked against its tensor-op form.</summary>
internal static class NormalizationCases
{
    /// <summary>A Float64 leaf of seeded normal values, scale·z + shift (call RequiresGradient to check it).</summary>
    public static Tensor Random(int[] shape, ulong seed, double scale = 1, double shift = 0) =>
        (Tensor.Randn(shape, new Generator(seed), DType.Float64) * scale + shift).Detach();

    /// <summary>
    /// The gradients of sum(f(inputs) ⊙ g) from the plain backward pass (the fused kernel) and from a
    /// createGraph pass (the formula in tensor ops) agree to rounding.
    /// </summary>
    public static void AssertFusedBackwardEqualsComposed(Func<Tensor[], Tensor> f, Tensor[] inputs, ulong seed)
    {
        var y = f(inputs);
        var g = Tensor.Randn(y.Shape.ToArray(), new Generator(seed), y.DType);
        var fused = Autograd.Grad([y], inputs, [g], retainGraph: true);
        var composed = Autograd.Grad([y], inputs, [g], createGraph: true);
        // The bias gradient (Σ g) depends on no input, so only the input's is sure to be in a graph.
        Assert.True(composed[0]!.RequiresGrad, "the createGraph gradient of the input must be differentiable");
        for (int i = 0; i < inputs.Length; i++)
            new TensorData(composed[i]!.Shape.ToArray(), composed[i]!.ToDoubleArray()).AssertClose($"fused gradient of input {i}", fused[i]!, "the tensor-op formula");
    }
}
