namespace Nabla.Bench;

/// <summary>
/// The eager-overhead workload shared with the PyTorch anchor: a chain of 1,000
/// <c>y = y * 1.0001 + 0.0001</c> on a 1-element tensor that requires gradients, so the time is
/// almost all per-op bookkeeping (graph nodes, allocation, dispatch), not arithmetic.
/// </summary>
public static class EagerChain
{
    /// <summary>Links in the chain; each is two ops.</summary>
    public const int Length = 1000;

    /// <summary>Ops per chain, the divisor of every per-op figure (the anchor's "/ 2000").</summary>
    public const int Ops = 2 * Length;

    /// <summary>A fresh leaf x = [1] that requires gradients.</summary>
    public static Tensor Leaf() => Tensor.Ones(1).RequiresGradient();

    /// <summary>The forward chain from <paramref name="x"/>, recorded in the graph when x requires gradients.</summary>
    public static Tensor Forward(Tensor x)
    {
        var y = x;
        for (int i = 0; i < Length; i++) y = y * 1.0001 + 0.0001;
        return y;
    }
}
