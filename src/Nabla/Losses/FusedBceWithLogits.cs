using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Losses;

/// <summary>
/// Binary cross-entropy with logits as one op: ℓ = w·((1 − y)·x + (1 + (p − 1)·y)·softplus(−x)),
/// with softplus(−x) = max(−x, 0) + log1p(e^(−|x|)) so logits of ±100 neither overflow nor lose
/// the small term, and the reduction in the same pass.
/// </summary>
/// <remarks>
/// <para>Derivatives: ∂ℓ/∂x = w·(σ(x)·(1 + (p − 1)·y) − p·y); ∂ℓ/∂y = w·((p − 1)·softplus(−x) − x).</para>
/// <para>
/// A plain backward pass computes the input gradient with a fused kernel. When the backward pass is
/// recorded (<c>createGraph</c>) the same formula is written with tensor ops, so second derivatives
/// work; the target's gradient always is.
/// </para>
/// </remarks>
internal sealed class FusedBceWithLogits
{
    /// <summary>Elements per pass of the span kernels: long enough for SIMD, small enough for the L1 cache.</summary>
    private const int BlockSize = 1024;

    private readonly Tensor? _weight;
    private readonly Tensor? _posWeight;
    private readonly Reduction _reduction;

    private FusedBceWithLogits(Tensor? weight, Tensor? posWeight, Reduction reduction)
        => (_weight, _posWeight, _reduction) = (weight, posWeight, reduction);

    /// <summary>The loss of logits <paramref name="x"/> against targets <paramref name="y"/>; weights already expanded to x's shape and type.</summary>
    public static Tensor Apply(Tensor x, Tensor y, Tensor? weight, Tensor? posWeight, Reduction reduction)
    {
        var op = new FusedBceWithLogits(weight, posWeight, reduction);
        var output = reduction == Reduction.None ? Tensor.Empty(x.ShapeArray, x.DType) : Tensor.Empty([], x.DType);
        if (x.DType == DType.Float32) op.Forward<float>(x, y, output);
        else op.Forward<double>(x, y, output);
        return Graph.Record("BceWithLogits", [x, y], output, static (g, n, op) => op.Backward(g, n), op);
    }

    private static ReadOnlySpan<T> Part<T>(Tensor? t, int start, int length) => t is null ? default : t.Span<T>().Slice(start, length);

    private void Forward<T>(Tensor x, Tensor y, Tensor output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length;
        var buffer = ArrayPool<T>.Shared.Rent(2 * BlockSize);
        double total = 0;
        try
        {
            for (int start = 0; start < n; start += BlockSize)
            {
                int length = Math.Min(BlockSize, n - start);
                var xs = Part<T>(x, start, length);
                var ys = Part<T>(y, start, length);
                var softplus = buffer.AsSpan(0, length);
                var loss = _reduction == Reduction.None ? output.Span<T>().Slice(start, length) : buffer.AsSpan(BlockSize, length);

                TensorPrimitives.Abs(xs, softplus);
                TensorPrimitives.Negate(softplus, softplus);
                TensorPrimitives.Exp(softplus, softplus);
                TensorPrimitives.LogP1(softplus, softplus);
                TensorPrimitives.Negate(xs, loss);
                TensorPrimitives.Max(loss, T.Zero, loss);
                TensorPrimitives.Add(softplus, loss, softplus);
                if (_posWeight is not null)
                {
                    TensorPrimitives.Subtract(Part<T>(_posWeight, start, length), T.One, loss);
                    TensorPrimitives.MultiplyAdd(loss, ys, T.One, loss);
                    TensorPrimitives.Multiply(softplus, loss, softplus);
                }
                TensorPrimitives.Subtract(T.One, ys, loss);
                TensorPrimitives.MultiplyAdd(loss, xs, softplus, loss);
                if (_weight is not null) TensorPrimitives.Multiply(loss, Part<T>(_weight, start, length), loss);
                if (_reduction != Reduction.None) total += double.CreateTruncating(TensorPrimitives.Sum<T>(loss));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
        if (_reduction != Reduction.None) output.Span<T>()[0] = T.CreateTruncating(_reduction == Reduction.Mean ? total / n : total);
    }

    private Tensor?[] Backward(Tensor g, Node node)
    {
        var (x, y) = (node.Inputs[0], node.Inputs[1]);
        Tensor? inputGrad = null;
        if (x.RequiresGrad)
        {
            if (Graph.IsBackwardRecorded) inputGrad = Upstream(g, x) * InputDerivative(x, y);
            else
            {
                inputGrad = Tensor.Empty(x.ShapeArray, x.DType);
                if (x.DType == DType.Float32) InputGradient<float>(g, x, y, inputGrad);
                else InputGradient<double>(g, x, y, inputGrad);
            }
        }
        return [inputGrad, y.RequiresGrad ? Upstream(g, x) * TargetDerivative(x) : null];
    }

    /// <summary>The output's gradient per element: as is without reduction, divided by the count for the mean.</summary>
    private Tensor Upstream(Tensor g, Tensor x) => _reduction == Reduction.Mean ? g / x.Length : g;

    /// <summary>w·(σ(x)·(1 + (p − 1)·y) − p·y), as tensor ops.</summary>
    private Tensor InputDerivative(Tensor x, Tensor y)
    {
        var sigmoid = x.Sigmoid();
        var derivative = _posWeight is null ? sigmoid - y : sigmoid * ((_posWeight - 1.0) * y + 1.0) - _posWeight * y;
        return _weight is null ? derivative : derivative * _weight;
    }

    /// <summary>w·((p − 1)·softplus(−x) − x), as tensor ops.</summary>
    private Tensor TargetDerivative(Tensor x)
    {
        var derivative = _posWeight is null ? -x : (_posWeight - 1.0) * (-x).Softplus() - x;
        return _weight is null ? derivative : derivative * _weight;
    }

    /// <summary>The fused input gradient: <see cref="InputDerivative"/> times the upstream gradient, blockwise with span kernels.</summary>
    private void InputGradient<T>(Tensor g, Tensor x, Tensor y, Tensor grad) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length;
        T scale = _reduction switch
        {
            Reduction.Mean => g.Span<T>()[0] / T.CreateTruncating(n),
            Reduction.Sum => g.Span<T>()[0],
            _ => T.One,
        };
        var buffer = ArrayPool<T>.Shared.Rent(BlockSize);
        try
        {
            for (int start = 0; start < n; start += BlockSize)
            {
                int length = Math.Min(BlockSize, n - start);
                var xs = Part<T>(x, start, length);
                var ys = Part<T>(y, start, length);
                var gs = grad.Span<T>().Slice(start, length);
                TensorPrimitives.Sigmoid(xs, gs);
                if (_posWeight is not null)
                {
                    var ps = Part<T>(_posWeight, start, length);
                    var factor = buffer.AsSpan(0, length);
                    TensorPrimitives.Subtract(ps, T.One, factor);
                    TensorPrimitives.MultiplyAdd(factor, ys, T.One, factor);
                    TensorPrimitives.Multiply(gs, factor, gs);
                    TensorPrimitives.Multiply(ps, ys, factor);
                    TensorPrimitives.Subtract(gs, factor, gs);
                }
                else
                {
                    TensorPrimitives.Subtract(gs, ys, gs);
                }
                if (_weight is not null) TensorPrimitives.Multiply(gs, Part<T>(_weight, start, length), gs);
                if (_reduction == Reduction.None) TensorPrimitives.Multiply(gs, Part<T>(g, start, length), gs);
                else TensorPrimitives.Multiply(gs, scale, gs);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }
}
