namespace Nabla.Distributed;

/// <summary>
/// The sum over the ranks as a differentiable op: every rank gets y = Σ_r x_r. Since every rank's
/// output depends on every rank's input, the gradient of x_r is the sum over the ranks of the
/// gradients of y: the backward pass is the same allreduce of the upstream gradient.
/// </summary>
/// <remarks>
/// Collective in both directions: every rank must run the forward, and later the backward, of the
/// same graph, so the ranks' backward passes meet at the same allreduce calls in the same order.
/// </remarks>
internal static class AllReduceSum
{
    /// <summary>A new tensor holding the sum over the ranks of <paramref name="input"/> (Float32 or Float64), recorded for backward.</summary>
    public static Tensor Apply(Tensor input, Communicator communicator)
    {
        var sum = Tensor.Zeros([.. input.ShapeArray], input.DType);
        if (input.DType == DType.Float32)
        {
            input.Span<float>().CopyTo(sum.Span<float>());
            communicator.AllReduce(sum.Span<float>());
        }
        else
        {
            input.Span<double>().CopyTo(sum.Span<double>());
            communicator.AllReduce(sum.Span<double>());
        }
        return Graph.Record(nameof(AllReduceSum), [input], sum, static (g, _, comm) => [Apply(g, comm)], communicator);
    }
}
