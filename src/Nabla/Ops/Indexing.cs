namespace Nabla;

// Taking parts of tensors and putting them together: slices, concatenation, stacking, gathers.
// The derivative of taking a part is putting the gradient back in place (zeros elsewhere), and
// the derivative of putting back is taking the part again.
public sealed partial class Tensor
{
    /// <summary>The elements at positions start … start+length−1 along <paramref name="axis"/> (a copy).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range leaves the dimension.</exception>
    public Tensor Slice(int axis, int start, int length)
    {
        int d = Shapes.NormalizeAxis(axis, Rank, nameof(Slice));
        if (start < 0 || length < 0 || start + length > _shape[d])
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice: positions {start}..{start + length - 1} are outside axis {axis} of size {_shape[d]} (shape {Shapes.Format(_shape)}).");
        var shape = (int[])_shape.Clone();
        shape[d] = length;
        var y = Empty(shape, DType);
        var (outer, size, inner) = Shapes.AroundAxis(_shape, d);
        for (int o = 0; o < outer; o++)
            Array.Copy(Storage, (o * size + start) * inner, y.Storage, o * length * inner, length * inner);
        return Graph.Record(nameof(Slice), [this], y, static (g, n, at) => [g.PlaceInto(n.Inputs[0]._shape, at.Axis, at.Start)],
            (Axis: d, Start: start));
    }

    /// <summary>Zeros of <paramref name="shape"/> with this tensor placed at <paramref name="start"/> along <paramref name="axis"/>.</summary>
    private Tensor PlaceInto(int[] shape, int axis, int start)
    {
        var y = Empty(shape, DType);
        var (outer, size, inner) = Shapes.AroundAxis(shape, axis);
        int length = _shape[axis];
        for (int o = 0; o < outer; o++)
            Array.Copy(Storage, o * length * inner, y.Storage, (o * size + start) * inner, length * inner);
        return Graph.Record("SliceBackward", [this], y, static (g, n, at) => [g.Slice(at.Axis, at.Start, n.Inputs[0]._shape[at.Axis])],
            (Axis: axis, Start: start));
    }

    /// <summary>Joins tensors along an existing axis; all other dimensions must agree.</summary>
    /// <exception cref="ShapeMismatchException">Two tensors differ in a dimension other than <paramref name="axis"/>.</exception>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Concat: needs at least one tensor.", nameof(tensors));
        var first = tensors[0];
        int d = Shapes.NormalizeAxis(axis, first.Rank, nameof(Concat));
        int total = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (t.DType != first.DType)
                throw new ArgumentException($"Concat: tensor {i} is {t.DType} but tensor 0 is {first.DType}.", nameof(tensors));
            bool fits = t.Rank == first.Rank;
            for (int k = 0; fits && k < t.Rank; k++) fits = k == d || t._shape[k] == first._shape[k];
            if (!fits)
                throw new ShapeMismatchException($"Concat: tensor {i} has shape {Shapes.Format(t._shape)}, which does not fit tensor 0's {Shapes.Format(first._shape)} along axis {axis}.");
            total += t._shape[d];
        }
        var shape = (int[])first._shape.Clone();
        shape[d] = total;
        var y = Empty(shape, first.DType);
        var (outer, _, inner) = Shapes.AroundAxis(shape, d);
        int position = 0;
        foreach (var t in tensors)
        {
            int length = t._shape[d];
            for (int o = 0; o < outer; o++)
                Array.Copy(t.Storage, o * length * inner, y.Storage, (o * total + position) * inner, length * inner);
            position += length;
        }
        return Graph.Record(nameof(Concat), tensors.ToArray(), y, static (g, n, axis) =>
        {
            var grads = new Tensor?[n.Inputs.Length];
            int start = 0;
            for (int i = 0; i < grads.Length; i++)
            {
                int length = n.Inputs[i]._shape[axis];
                if (n.Inputs[i].RequiresGrad) grads[i] = g.Slice(axis, start, length);
                start += length;
            }
            return grads;
        }, d);
    }

    /// <summary>Joins tensors of the same shape along a new axis.</summary>
    /// <exception cref="ShapeMismatchException">The tensors' shapes differ.</exception>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Stack: needs at least one tensor.", nameof(tensors));
        for (int i = 1; i < tensors.Count; i++)
            if (!Shapes.SameShape(tensors[i]._shape, tensors[0]._shape))
                throw new ShapeMismatchException($"Stack: tensor {i} has shape {Shapes.Format(tensors[i]._shape)} but tensor 0 has {Shapes.Format(tensors[0]._shape)}; stacked tensors must have the same shape.");
        int d = Shapes.NormalizeAxis(axis, tensors[0].Rank + 1, nameof(Stack));
        return Concat(tensors.Select(t => t.Unsqueeze(d)).ToArray(), d);
    }

    /// <summary>
    /// Picks whole slices along <paramref name="axis"/> by position, as <c>torch.index_select</c>:
    /// the rows of an embedding table for token ids, for example.
    /// </summary>
    /// <param name="axis">The axis to select along.</param>
    /// <param name="indices">A 1-D Int32 tensor of positions (repeats allowed).</param>
    /// <exception cref="IndexOutOfRangeException">A position is outside the axis.</exception>
    public Tensor IndexSelect(int axis, Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int d = Shapes.NormalizeAxis(axis, Rank, nameof(IndexSelect));
        var positions = RequireIndices(indices, nameof(IndexSelect), 1);
        var (outer, size, inner) = Shapes.AroundAxis(_shape, d);
        foreach (int p in positions) CheckIndex(p, size, d, nameof(IndexSelect));
        var shape = (int[])_shape.Clone();
        shape[d] = positions.Length;
        var y = Empty(shape, DType);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < positions.Length; i++)
                Array.Copy(Storage, (o * size + positions[i]) * inner, y.Storage, (o * positions.Length + i) * inner, inner);
        return Graph.Record(nameof(IndexSelect), [this], y, static (g, n, at) => [g.IndexAdd(n.Inputs[0]._shape, at.Axis, at.Indices)],
            (Axis: d, Indices: indices));
    }

    /// <summary>Zeros of <paramref name="shape"/> with this tensor's slices added at the given positions.</summary>
    private Tensor IndexAdd(int[] shape, int axis, Tensor indices)
    {
        var y = Empty(shape, DType);
        var positions = indices.Int32Data;
        var (outer, size, inner) = Shapes.AroundAxis(shape, axis);
        if (DType == DType.Float32) AddSlices(Float32Data, y.Float32Data, positions, outer, size, inner);
        else AddSlices(Float64Data, y.Float64Data, positions, outer, size, inner);
        return Graph.Record("IndexSelectBackward", [this], y, static (g, _, at) => [g.IndexSelect(at.Axis, at.Indices)],
            (Axis: axis, Indices: indices));
    }

    private static void AddSlices<T>(T[] source, T[] target, int[] positions, int outer, int size, int inner)
        where T : System.Numerics.INumberBase<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < positions.Length; i++)
            {
                var to = target.AsSpan((o * size + positions[i]) * inner, inner);
                var from = source.AsSpan((o * positions.Length + i) * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Add<T>(to, from, to);
            }
    }

    /// <summary>
    /// Picks one element per position along <paramref name="axis"/>, as <c>torch.gather</c>:
    /// <c>y[i][j] = x[i][index[i][j]]</c> for axis 1 (the score of each sample's class, for example).
    /// </summary>
    /// <param name="axis">The axis the indices point along.</param>
    /// <param name="index">An Int32 tensor of this tensor's rank; the result has its shape.</param>
    /// <exception cref="ShapeMismatchException">The index's rank differs, or it is larger than this tensor off the axis.</exception>
    /// <exception cref="IndexOutOfRangeException">A position is outside the axis.</exception>
    public Tensor Gather(int axis, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        int d = Shapes.NormalizeAxis(axis, Rank, nameof(Gather));
        var positions = RequireIndices(index, nameof(Gather), Rank);
        for (int k = 0; k < Rank; k++)
            if (k != d && index._shape[k] > _shape[k])
                throw new ShapeMismatchException($"Gather: index shape {Shapes.Format(index._shape)} is larger than input shape {Shapes.Format(_shape)} in dimension {k}.");
        var y = Empty(index._shape, DType);
        foreach (var (target, source) in GatherPairs(_shape, index._shape, positions, d))
            Array.Copy(Storage, source, y.Storage, target, 1);
        return Graph.Record(nameof(Gather), [this], y, static (g, n, at) => [g.ScatterAdd(n.Inputs[0]._shape, at.Axis, at.Index)],
            (Axis: d, Index: index));
    }

    /// <summary>Zeros of <paramref name="shape"/> with this tensor's elements added where <paramref name="index"/> points.</summary>
    private Tensor ScatterAdd(int[] shape, int axis, Tensor index)
    {
        var y = Empty(shape, DType);
        foreach (var (source, target) in GatherPairs(shape, index._shape, index.Int32Data, axis))
            y.SetFlat(target, y.GetFlat(target) + GetFlat(source));
        return Graph.Record("GatherBackward", [this], y, static (g, _, at) => [g.Gather(at.Axis, at.Index)], (Axis: axis, Index: index));
    }

    /// <summary>(flat position in the index-shaped tensor, flat position in the full tensor) for each index element.</summary>
    private static IEnumerable<(int IndexPosition, int FullPosition)> GatherPairs(int[] fullShape, int[] indexShape, int[] positions, int axis)
    {
        int rank = fullShape.Length;
        var fullStrides = Shapes.Strides(fullShape);
        var counter = new int[rank];
        for (int flat = 0; flat < positions.Length; flat++)
        {
            int p = positions[flat];
            CheckIndex(p, fullShape[axis], axis, nameof(Gather));
            int full = 0;
            for (int k = 0; k < rank; k++) full += (k == axis ? p : counter[k]) * fullStrides[k];
            yield return (flat, full);
            for (int k = rank - 1; k >= 0; k--)
            {
                if (++counter[k] < indexShape[k]) break;
                counter[k] = 0;
            }
        }
    }

    private static int[] RequireIndices(Tensor indices, string op, int rank)
    {
        if (indices.DType != DType.Int32)
            throw new ArgumentException($"{op}: indices must be an Int32 tensor, got {indices.DType}.", nameof(indices));
        if (indices.Rank != rank)
            throw new ShapeMismatchException($"{op}: indices must have rank {rank}, got shape {Shapes.Format(indices._shape)}.");
        return indices.Int32Data;
    }

    private static void CheckIndex(int position, int size, int axis, string op)
    {
        if (position < 0 || position >= size)
            throw new IndexOutOfRangeException($"{op}: index {position} is out of range for axis {axis} of size {size}.");
    }

    /// <summary>
    /// A copy converted to <paramref name="dtype"/> (floating point to Int32 truncates toward zero).
    /// Between floating-point types the gradient flows back converted.
    /// </summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType) return this;
        var y = Empty(_shape, dtype);
        switch ((DType, dtype))
        {
            case (DType.Float32, DType.Float64):
                for (int i = 0; i < Length; i++) y.Float64Data[i] = Float32Data[i];
                break;
            case (DType.Float64, DType.Float32):
                for (int i = 0; i < Length; i++) y.Float32Data[i] = (float)Float64Data[i];
                break;
            default:
                for (int i = 0; i < Length; i++) y.SetFlat(i, dtype == DType.Int32 ? Math.Truncate(GetFlat(i)) : GetFlat(i));
                break;
        }
        if (dtype == DType.Int32) return y;
        return Graph.Record(nameof(To), [this], y, static (g, n) => [g.To(n.Inputs[0].DType)]);
    }
}
