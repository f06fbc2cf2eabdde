using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Losses;

/// <summary>
/// The L2 penalty c·Σᵢ‖wᵢ‖² over several tensors as one op: the squares summed in one pass over
/// each tensor (no w·w temporary), in the result's type.
/// </summary>
/// <remarks>
/// Derivative: ∂/∂wᵢ = 2c·wᵢ. A plain backward pass adds g·2c·wᵢ straight into each leaf's
/// <see cref="Tensor.Grad"/> (no temporary the size of the weights, which for a layer of a few
/// hundred thousand weights would be a large-object allocation every step); a recorded pass
/// (<c>createGraph</c>) returns it as tensor ops, so second derivatives work.
/// </remarks>
internal sealed class FusedSquaredNorm
{
    private readonly double _factor;

    private FusedSquaredNorm(double factor) => _factor = factor;

    /// <summary>c·Σ‖wᵢ‖² as a scalar of <paramref name="dtype"/>, computed as (<paramref name="factor"/>·Σ)/<paramref name="divisor"/>.</summary>
    public static Tensor Apply(Tensor[] weights, double factor, double divisor, DType dtype)
    {
        double squares = 0;
        foreach (var w in weights)
            squares += w.DType == DType.Float32 ? TensorPrimitives.SumOfSquares<float>(w.Span<float>()) : TensorPrimitives.SumOfSquares<double>(w.Span<double>());
        var output = Tensor.Scalar(factor * squares / divisor, dtype);
        return Graph.Record("SquaredNorm", weights, output, new FusedSquaredNorm(factor / divisor).Backward);
    }

    private Tensor?[] Backward(Tensor g, Node node)
    {
        double upstream = g.Item() * 2 * _factor;
        var inputs = node.Inputs;
        var grads = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var w = inputs[i];
            if (!w.RequiresGrad) continue;
            if (Graph.IsBackwardRecorded)
            {
                grads[i] = w * (g.To(w.DType) * (2 * _factor));
                continue;
            }
            var target = Graph.LeafGradTarget(w, out bool overwrite);
            var into = target ?? Tensor.Uninitialized(w.ShapeArray, w.DType);
            bool add = target is not null && !overwrite;
            if (w.DType == DType.Float32) Scaled(w.Span<float>(), (float)upstream, into.Span<float>(), add);
            else Scaled(w.Span<double>(), upstream, into.Span<double>(), add);
            grads[i] = target is null ? into : null;
        }
        return grads;
    }

    /// <summary>grad += c·w, or grad = c·w without <paramref name="add"/> (one pass fewer over grad).</summary>
    private static void Scaled<T>(ReadOnlySpan<T> w, T c, Span<T> grad, bool add) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (add) TensorPrimitives.MultiplyAdd(w, c, grad, grad);
        else TensorPrimitives.Multiply(w, c, grad);
    }
}
