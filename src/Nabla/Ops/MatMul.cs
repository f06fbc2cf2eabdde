using Nabla.Kernels;

namespace Nabla;

// Matrix products, as torch.matmul: vectors, matrices, and batches with broadcast batch dimensions.
public sealed partial class Tensor
{
    /// <summary>
    /// The matrix product, following <c>torch.matmul</c>: 1-D·1-D is a dot product, a 1-D operand is
    /// treated as a row (left) or column (right) vector and that dimension removed afterwards, and
    /// leading (batch) dimensions broadcast.
    /// </summary>
    /// <remarks>Derivatives: dA = G·Bᵀ and dB = Aᵀ·G, computed with transposed-operand flags, not copies.</remarks>
    /// <exception cref="ShapeMismatchException">The inner dimensions differ, or batch dimensions do not broadcast.</exception>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckFloat(this, other, nameof(MatMul));
        ElementwiseDispatch.RequireSameType(this, other, nameof(MatMul));
        if (Rank == 0 || other.Rank == 0)
            throw new ShapeMismatchException($"MatMul: {Shapes.Format(_shape)} × {Shapes.Format(other._shape)}: both operands need at least one dimension (use * for scalars).");
        int inner = _shape[^1], otherInner = other.Rank == 1 ? other._shape[0] : other._shape[^2];
        if (inner != otherInner)
            throw new ShapeMismatchException($"MatMul: {Shapes.Format(_shape)} × {Shapes.Format(other._shape)}: inner dimensions {inner} and {otherInner} differ.");

        var a = Rank == 1 ? Unsqueeze(0) : this;
        var b = other.Rank == 1 ? other.Unsqueeze(1) : other;
        Tensor y;
        if (b.Rank == 2 && a.Rank > 2)
        {
            // A batch of matrices times one matrix is one tall product: no per-batch calls.
            var rows = a.Reshape(-1, inner);
            y = Product(rows, b, false, false).Reshape([.. a._shape[..^1], b._shape[1]]);
        }
        else
        {
            y = Product(a, b, false, false);
        }
        if (Rank == 1) y = y.Squeeze(-2);
        if (other.Rank == 1) y = y.Squeeze(-1);
        return y;
    }

    /// <summary>
    /// op(A)·op(B) over the last two dimensions, batch dimensions broadcast; op transposes the last two
    /// dimensions when its flag is set. The primitive behind <see cref="MatMul"/> and its own derivative.
    /// </summary>
    internal static Tensor Product(Tensor a, Tensor b, bool transA, bool transB)
    {
        int m = transA ? a._shape[^1] : a._shape[^2], k = transA ? a._shape[^2] : a._shape[^1];
        int kb = transB ? b._shape[^1] : b._shape[^2], n = transB ? b._shape[^2] : b._shape[^1];
        if (k != kb)
            throw new ShapeMismatchException($"MatMul: {Shapes.Format(a._shape)}{(transA ? "ᵀ" : "")} × {Shapes.Format(b._shape)}{(transB ? "ᵀ" : "")}: inner dimensions {k} and {kb} differ.");
        int[] batch;
        try { batch = Shapes.Broadcast(a._shape[..^2], b._shape[..^2], nameof(MatMul)); }
        catch (ShapeMismatchException e)
        {
            throw new ShapeMismatchException($"MatMul: {Shapes.Format(a._shape)} × {Shapes.Format(b._shape)}: batch dimensions {Shapes.Format(a._shape[..^2])} and {Shapes.Format(b._shape[..^2])} cannot be broadcast together.", e);
        }
        var y = Empty([.. batch, m, n], a.DType);
        int batchCount = Shapes.Numel(batch);
        var aStrides = Shapes.BroadcastStrides(a._shape[..^2], batch);
        var bStrides = Shapes.BroadcastStrides(b._shape[..^2], batch);
        for (int i = 0; i < batchCount; i++)
        {
            long aBatch = 0, bBatch = 0;
            for (int d = batch.Length - 1, rest = i; d >= 0; rest /= batch[d], d--)
            {
                aBatch += rest % batch[d] * aStrides[d];
                bBatch += rest % batch[d] * bStrides[d];
            }
            int aOffset = (int)(aBatch * m * k), bOffset = (int)(bBatch * k * n), yOffset = i * m * n;
            if (a.DType == DType.Float32)
                Gemm.Multiply(transA, transB, m, n, k, a.Float32Data, aOffset, b.Float32Data, bOffset, y.Float32Data, yOffset, accumulate: false);
            else
                Gemm.Multiply(transA, transB, m, n, k, a.Float64Data, aOffset, b.Float64Data, bOffset, y.Float64Data, yOffset, accumulate: false);
        }
        return Graph.Record(nameof(MatMul), [a, b], y, static (g, node, transposed) =>
        {
            var (a, b) = (node.Inputs[0], node.Inputs[1]);
            var (transA, transB) = transposed;
            Tensor? ga = null, gb = null;
            if (a.RequiresGrad)
                ga = (transA ? Product(b, g, transB, true) : Product(g, b, false, !transB)).SumTo(a._shape);
            if (b.RequiresGrad)
                gb = (transB ? Product(g, a, true, transA) : Product(a, g, !transA, false)).SumTo(b._shape);
            return [ga, gb];
        }, (transA, transB));
    }
}
