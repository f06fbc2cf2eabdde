using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla;

// A fully connected layer and the ReLU after it, as one op.
public sealed partial class Tensor
{
    /// <summary>
    /// max(x·Wᵀ + b, 0) as one op, on rows <paramref name="input"/> (n, in) checked by the layer: what
    /// <see cref="NN.Sequential"/> runs for a <see cref="NN.Linear"/> directly followed by a
    /// <see cref="NN.ReLU"/>. The rectifier runs over the affine output in place, so the
    /// pre-activation tensor is never made.
    /// </summary>
    /// <remarks>
    /// Derivative: G′ = G where the output is positive, else 0 (ReLU's), then Linear's: dx = G′·W,
    /// dW = G′ᵀ·x, db = the column sums of G′. A plain backward pass builds G′ in pooled scratch memory
    /// that lives only for the pass and adds dW and db straight into the parameters'
    /// <see cref="Grad"/>; so a step of an MLP allocates neither the pre-activations nor the masked
    /// gradients (for a Float64 batch of 64 rows and 256 units, two large-object arrays a layer).
    /// A recorded pass (<c>createGraph</c>) writes the same with tensor ops, so gradients of gradients work.
    /// </remarks>
    internal static Tensor LinearRelu(Tensor input, Tensor weight, Tensor? bias)
    {
        CheckFloat(input, weight, nameof(Linear));
        ElementwiseDispatch.RequireSameType(input, weight, nameof(Linear));
        int rows = input._shape[0], outFeatures = weight._shape[0], inFeatures = weight._shape[1];
        var y = Uninitialized([rows, outFeatures], input.DType);
        if (input.DType == DType.Float32)
        {
            AffineForward(input.Float32Data, weight.Float32Data, bias?.Float32Data, y.Float32Data, rows, outFeatures, inFeatures);
            TensorPrimitives.Max(y.Float32Data, 0f, y.Float32Data);
        }
        else
        {
            AffineForward(input.Float64Data, weight.Float64Data, bias?.Float64Data, y.Float64Data, rows, outFeatures, inFeatures);
            TensorPrimitives.Max(y.Float64Data, 0d, y.Float64Data);
        }
        ReadOnlySpan<Tensor> inputs = bias is null ? [input, weight] : [input, weight, bias];
        return Graph.Record("LinearRelu", inputs, y, static (g, n) =>
        {
            var (x, w, y) = (n.Inputs[0], n.Inputs[1], n.Output!);
            var b = n.Inputs.Length == 3 ? n.Inputs[2] : null;
            if (!Graph.IsBackwardRecorded)
                return g.DType == DType.Float32 ? RectifiedAffineGradients<float>(g, x, w, b, y) : RectifiedAffineGradients<double>(g, x, w, b, y);
            var masked = g * MaskDispatch.Positive(y);
            var gx = x.RequiresGrad ? Product(masked, w, false, false) : null;
            var gw = w.RequiresGrad ? Product(masked, x, true, false) : null;
            return b is null ? [gx, gw] : [gx, gw, b.RequiresGrad ? masked.Sum(0) : null];
        });
    }

    /// <summary>The plain pass's gradients of x, W and b (null where added into a leaf's Grad or not needed), from G masked into pooled scratch.</summary>
    private static Tensor?[] RectifiedAffineGradients<T>(Tensor g, Tensor x, Tensor w, Tensor? b, Tensor y)
        where T : unmanaged, INumber<T>
    {
        int rows = y._shape[0], outFeatures = w._shape[0], inFeatures = w._shape[1];
        var masked = ArrayPool<T>.Shared.Rent(rows * outFeatures);
        try
        {
            var span = masked.AsSpan(0, rows * outFeatures);
            Masks.WherePositive<T>(y.Span<T>(), g.Span<T>(), span);
            Tensor? gx = null, gw = null, gb = null;
            if (x.RequiresGrad)
            {
                gx = Uninitialized([rows, inFeatures], x.DType);
                Gemm.Dispatch(false, false, rows, inFeatures, outFeatures, masked, 0, (T[])w.Storage, 0, (T[])gx.Storage, 0, accumulate: false);
            }
            if (w.RequiresGrad)
            {
                var target = Graph.LeafGradTarget(w, out bool overwrite);
                var into = target ?? Uninitialized(w.ShapeArray, w.DType);
                Gemm.Dispatch(true, false, outFeatures, inFeatures, rows, masked, 0, (T[])x.Storage, 0, (T[])into.Storage, 0, accumulate: target is not null && !overwrite);
                gw = target is null ? into : null;
            }
            if (b is not null && b.RequiresGrad)
            {
                var target = Graph.LeafGradTarget(b, out bool overwrite);
                if (overwrite) Array.Clear(target!.Storage);
                var into = target ?? ZerosLike(b);
                AddRows<T>(span, into.Span<T>());
                gb = target is null ? into : null;
            }
            return b is null ? [gx, gw] : [gx, gw, gb];
        }
        finally
        {
            ArrayPool<T>.Shared.Return(masked);
        }
    }
}
