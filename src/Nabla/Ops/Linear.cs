using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla;

// The affine map of a fully connected layer as one op, as torch.nn.functional.linear.
public sealed partial class Tensor
{
    /// <summary>
    /// y = x·Wᵀ + b, as <c>torch.nn.functional.linear</c>: <paramref name="input"/> (..., in),
    /// <paramref name="weight"/> (out, in), <paramref name="bias"/> (out) or null; the result is (..., out).
    /// </summary>
    /// <remarks>
    /// One op rather than a product and a broadcast add: the bias is written first and the product
    /// added onto it, with Wᵀ read through the matrix kernel's transposed-operand flag.
    /// Derivatives: dx = G·W, dW = Gᵀ·x, db = the column sums of G. A plain <c>Backward()</c> adds
    /// dW and db straight into the parameters' <see cref="Grad"/> (no temporary, no copy); a recorded
    /// pass (<c>createGraph</c>) writes them with tensor ops, so gradients of gradients work.
    /// </remarks>
    /// <exception cref="ShapeMismatchException">The weight is not 2-D, the input does not end with the weight's in-features, or the bias is not 1-D of out-features.</exception>
    /// <exception cref="ArgumentException">Int32 tensors, or element types that differ.</exception>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        CheckFloat(input, weight, nameof(Linear));
        ElementwiseDispatch.RequireSameType(input, weight, nameof(Linear));
        if (weight.Rank != 2)
            throw new ShapeMismatchException($"Linear: input {Shapes.Format(input._shape)}, weight {Shapes.Format(weight._shape)}: the weight must be 2-D (out features, in features).");
        int outFeatures = weight._shape[0], inFeatures = weight._shape[1];
        if (input.Rank == 0 || input._shape[^1] != inFeatures)
            throw new ShapeMismatchException($"Linear: input {Shapes.Format(input._shape)}, weight {Shapes.Format(weight._shape)}: the input must end with {inFeatures} features.");
        if (bias is not null)
        {
            ElementwiseDispatch.RequireSameType(input, bias, nameof(Linear));
            if (bias.Rank != 1 || bias._shape[0] != outFeatures)
                throw new ShapeMismatchException($"Linear: weight {Shapes.Format(weight._shape)}, bias {Shapes.Format(bias._shape)}: the bias must be 1-D of length {outFeatures} (the out features).");
        }
        if (input.Rank == 2) return Affine(input, weight, bias);
        var rows = input.Reshape(-1, inFeatures);
        return Affine(rows, weight, bias).Reshape([.. input._shape[..^1], outFeatures]);
    }

    /// <summary>The checked op on rows (n, in): y = x·Wᵀ + b.</summary>
    private static Tensor Affine(Tensor x, Tensor w, Tensor? bias)
    {
        int rows = x._shape[0], outFeatures = w._shape[0], inFeatures = w._shape[1];
        var y = Empty([rows, outFeatures], x.DType);
        if (x.DType == DType.Float32) AffineForward(x.Float32Data, w.Float32Data, bias?.Float32Data, y.Float32Data, rows, outFeatures, inFeatures);
        else AffineForward(x.Float64Data, w.Float64Data, bias?.Float64Data, y.Float64Data, rows, outFeatures, inFeatures);
        ReadOnlySpan<Tensor> inputs = bias is null ? [x, w] : [x, w, bias];
        return Graph.Record(nameof(Linear), inputs, y, static (g, n) =>
        {
            var (x, w) = (n.Inputs[0], n.Inputs[1]);
            var b = n.Inputs.Length == 3 ? n.Inputs[2] : null;
            var gx = x.RequiresGrad ? Product(g, w, false, false) : null;
            if (Graph.IsBackwardRecorded)
            {
                // Recorded (createGraph): tensor ops, themselves differentiable.
                var gw = w.RequiresGrad ? Product(g, x, true, false) : null;
                return b is null ? [gx, gw] : [gx, gw, b.RequiresGrad ? g.Sum(0) : null];
            }
            return b is null ? [gx, ParameterGradient(g, x, w)] : [gx, ParameterGradient(g, x, w), BiasGradient(g, b)];
        });
    }

    /// <summary>y = x·Wᵀ + b on row-major arrays (x rows × in, W out × in, y rows × out, b out or null): the bias written first, the product added onto it.</summary>
    internal static void AffineForward<T>(T[] x, T[] w, T[]? bias, T[] y, int rows, int outFeatures, int inFeatures)
        where T : unmanaged, INumberBase<T>
    {
        if (bias is not null)
            for (int r = 0; r < rows; r++) bias.AsSpan(0, outFeatures).CopyTo(y.AsSpan(r * outFeatures, outFeatures));
        Gemm.Dispatch(false, true, rows, outFeatures, inFeatures, x, 0, w, 0, y, 0, accumulate: bias is not null);
    }

    /// <summary>dW = Gᵀ·x, added into W's <see cref="Grad"/> when the pass allows (then null is returned), else a new tensor.</summary>
    private static Tensor? ParameterGradient(Tensor g, Tensor x, Tensor w)
    {
        if (!w.RequiresGrad) return null;
        var target = Graph.LeafGradTarget(w, out bool overwrite);
        if (target is null) return Product(g, x, true, false);
        int rows = g._shape[0], outFeatures = w._shape[0], inFeatures = w._shape[1];
        if (g.DType == DType.Float32)
            Gemm.Multiply(true, false, outFeatures, inFeatures, rows, g.Float32Data, 0, x.Float32Data, 0, target.Float32Data, 0, accumulate: !overwrite);
        else
            Gemm.Multiply(true, false, outFeatures, inFeatures, rows, g.Float64Data, 0, x.Float64Data, 0, target.Float64Data, 0, accumulate: !overwrite);
        return null;
    }

    /// <summary>db = the column sums of G, added into b's <see cref="Grad"/> when the pass allows (then null is returned), else a new tensor.</summary>
    private static Tensor? BiasGradient(Tensor g, Tensor b)
    {
        if (!b.RequiresGrad) return null;
        var target = Graph.LeafGradTarget(b, out bool overwrite);
        if (overwrite) Array.Clear(target!.Storage);
        var sum = target ?? ZerosLike(b);
        if (g.DType == DType.Float32) AddRows<float>(g.Float32Data, sum.Float32Data);
        else AddRows<double>(g.Float64Data, sum.Float64Data);
        return target is null ? sum : null;
    }

    /// <summary>sum += each row of <paramref name="matrix"/>, in row order (the same result at any thread count).</summary>
    internal static void AddRows<T>(ReadOnlySpan<T> matrix, Span<T> sum) where T : unmanaged, INumberBase<T>
    {
        for (int start = 0; start < matrix.Length; start += sum.Length)
            TensorPrimitives.Add(sum, matrix.Slice(start, sum.Length), sum);
    }
}
