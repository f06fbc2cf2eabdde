using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

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
/// <para>
/// An MLP estimator pays both passes every batch, over every weight, so a large tensor is cut into
/// <see cref="Elementwise.ChunkSize"/> pieces run in parallel: the gradient is elementwise, and the
/// partial sums of squares are added in piece order, so both are the same at any thread count.
/// </para>
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
            squares += w.DType == DType.Float32 ? SumOfSquares(w.Float32Data) : SumOfSquares(w.Float64Data);
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
            var target = Graph.LeafGradTarget(w);
            var into = target ?? Tensor.ZerosLike(w);
            if (w.DType == DType.Float32) AddScaled(w.Float32Data, (float)upstream, into.Float32Data);
            else AddScaled(w.Float64Data, upstream, into.Float64Data);
            grads[i] = target is null ? into : null;
        }
        return grads;
    }

    /// <summary>Σx², summed in the element type within each piece and in Float64 across pieces.</summary>
    private static double SumOfSquares<T>(T[] x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < Elementwise.ParallelThreshold) return double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(x));
        var partial = new double[(x.Length + Elementwise.ChunkSize - 1) / Elementwise.ChunkSize];
        Parallelism.For(partial.Length, p => partial[p] = double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(Piece(x, p))));
        double total = 0;
        foreach (double s in partial) total += s;
        return total;
    }

    /// <summary>grad += c·w.</summary>
    private static void AddScaled<T>(T[] w, T c, T[] grad) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Zip(grad, w, grad, (g, x, y) => TensorPrimitives.MultiplyAdd(x, c, g, y));

    private static ReadOnlySpan<T> Piece<T>(T[] x, int piece)
    {
        int start = piece * Elementwise.ChunkSize;
        return x.AsSpan(start, Math.Min(Elementwise.ChunkSize, x.Length - start));
    }
}
