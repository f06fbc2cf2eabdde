namespace Nabla;

// Ops that move elements without computing new values: reshaping, permuting axes, squeezing.
// Their derivatives move the gradient back the same way.
public sealed partial class Tensor
{
    /// <summary>
    /// The same elements in a new shape (one dimension may be −1, inferred). Shares storage with
    /// this tensor, as a PyTorch view of a contiguous tensor does.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The new shape holds a different number of elements.</exception>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var target = (int[])shape.Clone();
        int inferred = Array.IndexOf(target, -1);
        if (inferred >= 0 && Array.IndexOf(target, -1, inferred + 1) >= 0)
            throw new ArgumentException($"Reshape: only one dimension can be -1, got {Shapes.Format(shape)}.", nameof(shape));
        if (inferred >= 0)
        {
            int known = 1;
            for (int i = 0; i < target.Length; i++) if (i != inferred) known *= target[i];
            if (known == 0 || Length % known != 0)
                throw new ShapeMismatchException($"Reshape: shape {Shapes.Format(shape)} is invalid for a tensor of shape {Shapes.Format(_shape)} ({Length} elements).");
            target[inferred] = Length / known;
        }
        Shapes.Validate(target, nameof(Reshape));
        if (Shapes.Numel(target) != Length)
            throw new ShapeMismatchException($"Reshape: shape {Shapes.Format(shape)} holds {Shapes.Numel(target)} elements but the tensor of shape {Shapes.Format(_shape)} has {Length}.");
        var y = new Tensor(Storage, target, DType);
        return Graph.Record(nameof(Reshape), [this], y, static (g, n) => [g.Reshape(n.Inputs[0]._shape)]);
    }

    /// <summary>A 1-D tensor with all the elements.</summary>
    public Tensor Flatten() => Reshape(-1);

    /// <summary>The axes reordered: result axis i is this tensor's axis <c>axes[i]</c>, as <c>torch.permute</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="axes"/> is not a permutation of 0..Rank−1.</exception>
    public Tensor Permute(params int[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length != Rank)
            throw new ArgumentException($"Permute: a tensor of rank {Rank} (shape {Shapes.Format(_shape)}) needs {Rank} axes, got {Shapes.Format(axes)}.", nameof(axes));
        var order = new int[Rank];
        var seen = new bool[Rank];
        for (int i = 0; i < Rank; i++)
        {
            order[i] = Shapes.NormalizeAxis(axes[i], Rank, nameof(Permute));
            if (seen[order[i]]) throw new ArgumentException($"Permute: axis {axes[i]} appears twice in {Shapes.Format(axes)}.", nameof(axes));
            seen[order[i]] = true;
        }
        var y = PermuteCopy(order);
        if (!Graph.ShouldRecord(this)) return y;
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++) inverse[order[i]] = i;
        return Graph.Record(nameof(Permute), [this], y, static (g, _, inverse) => [g.Permute(inverse)], inverse);
    }

    /// <summary>The transpose of a matrix (rank 2), or swaps two axes of any tensor.</summary>
    /// <exception cref="ArgumentException">Called without axes on a tensor that is not 2-D.</exception>
    public Tensor Transpose(int axis0 = 0, int axis1 = 1)
    {
        int a = Shapes.NormalizeAxis(axis0, Rank, nameof(Transpose)), b = Shapes.NormalizeAxis(axis1, Rank, nameof(Transpose));
        var order = Enumerable.Range(0, Rank).ToArray();
        (order[a], order[b]) = (order[b], order[a]);
        return Permute(order);
    }

    /// <summary>
    /// The transpose of a matrix; for any rank, the axes in reverse order, as NumPy's <c>.T</c>
    /// (a vector or a scalar is itself). Never throws, so debuggers and notebooks that list a
    /// tensor's properties can show it.
    /// </summary>
    public Tensor T => Permute([.. Enumerable.Range(0, Rank).Reverse()]);

    /// <summary>Removes every dimension of size 1, or only <paramref name="axis"/> when given (if it has size 1).</summary>
    public Tensor Squeeze(int? axis = null)
    {
        if (axis is { } a)
        {
            int d = Shapes.NormalizeAxis(a, Rank, nameof(Squeeze));
            return _shape[d] == 1 ? Reshape([.. _shape[..d], .. _shape[(d + 1)..]]) : this;
        }
        return Reshape(_shape.Where(s => s != 1).ToArray());
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="axis"/> (−1 appends at the end).</summary>
    public Tensor Unsqueeze(int axis)
    {
        int d = Shapes.NormalizeAxis(axis, Rank + 1, nameof(Unsqueeze));
        return Reshape([.. _shape[..d], 1, .. _shape[d..]]);
    }

    private Tensor PermuteCopy(int[] order)
    {
        var shape = new int[Rank];
        for (int i = 0; i < Rank; i++) shape[i] = _shape[order[i]];
        var y = Empty(shape, DType);
        switch (DType)
        {
            case DType.Float32: PermuteInto(Float32Data, _shape, order, y.Float32Data); break;
            case DType.Float64: PermuteInto(Float64Data, _shape, order, y.Float64Data); break;
            default: PermuteInto(Int32Data, _shape, order, y.Int32Data); break;
        }
        return y;
    }

    /// <summary>Walks the output in order, stepping through the input with its permuted strides.</summary>
    private static void PermuteInto<T>(T[] x, int[] shape, int[] order, T[] y)
    {
        if (y.Length == 0) return;
        int rank = shape.Length;
        var inStrides = Shapes.Strides(shape);
        var stride = new int[rank];
        var size = new int[rank];
        for (int i = 0; i < rank; i++) { stride[i] = inStrides[order[i]]; size[i] = shape[order[i]]; }
        var index = new int[rank];
        int offset = 0;
        int innerSize = rank == 0 ? 1 : size[rank - 1], innerStride = rank == 0 ? 0 : stride[rank - 1];
        for (int o = 0; o < y.Length; o += innerSize)
        {
            for (int k = 0, src = offset; k < innerSize; k++, src += innerStride) y[o + k] = x[src];
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                offset += stride[d];
                if (index[d] < size[d]) break;
                offset -= stride[d] * size[d];
                index[d] = 0;
            }
        }
    }
}
