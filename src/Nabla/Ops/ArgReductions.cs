namespace Nabla;

// Positions of extreme values: what turns scores into predicted classes. Not differentiable (the
// result is an index), so nothing is recorded.
public sealed partial class Tensor
{
    /// <summary>
    /// The index of the largest element, overall (of the flattened tensor, a scalar) or along one
    /// axis, as an Int32 tensor; the first one on ties, and NaN counts as largest (as <c>torch.argmax</c>).
    /// </summary>
    /// <example><c>var predicted = logits.ArgMax(axis: 1);   // (N, C) scores → (N) classes</c></example>
    public Tensor ArgMax(int? axis = null, bool keepDims = false) => ArgExtremum(axis, keepDims, largest: true, nameof(ArgMax));

    /// <summary>The index of the smallest element, overall or along one axis, as <see cref="ArgMax"/>; NaN counts as smallest.</summary>
    public Tensor ArgMin(int? axis = null, bool keepDims = false) => ArgExtremum(axis, keepDims, largest: false, nameof(ArgMin));

    private Tensor ArgExtremum(int? axis, bool keepDims, bool largest, string op)
    {
        int? d = axis is null ? null : Shapes.NormalizeAxis(axis.Value, Rank, op);
        if (d is int a && _shape[a] == 0)
            throw new ArgumentException($"{op}: axis {a} of the tensor of shape {Shapes.Format(_shape)} is empty, so it has no extreme element.");
        if (d is null && Length == 0)
            throw new ArgumentException($"{op}: the tensor of shape {Shapes.Format(_shape)} is empty, so it has no extreme element.");
        if (Length == 0) return Empty(Shapes.Reduced(_shape, d, keepDims), DType.Int32);   // another axis is empty: so is the result
        int length = d is null ? Length : _shape[d.Value];
        int inner = 1;
        if (d is not null) for (int k = d.Value + 1; k < Rank; k++) inner *= _shape[k];
        int outer = Length / (length * inner);
        var result = Empty(Shapes.Reduced(_shape, d, keepDims), DType.Int32);
        var indices = result.Int32Data;
        switch (DType)
        {
            case DType.Float32: Positions(Float32Data, indices, outer, length, inner, largest); break;
            case DType.Float64: Positions(Float64Data, indices, outer, length, inner, largest); break;
            default: Positions(Int32Data, indices, outer, length, inner, largest); break;
        }
        return result;
    }

    /// <summary>For each (outer, inner) pair, the position along the reduced axis of its extreme value.</summary>
    private static void Positions<T>(T[] x, int[] indices, int outer, int length, int inner, bool largest)
        where T : System.Numerics.INumber<T>
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * length * inner + i, best = 0;
                T value = x[start];
                if (!T.IsNaN(value))
                {
                    for (int k = 1; k < length; k++)
                    {
                        T candidate = x[start + k * inner];
                        if (T.IsNaN(candidate)) { best = k; break; }
                        if (largest ? candidate > value : candidate < value) (best, value) = (k, candidate);
                    }
                }
                indices[o * inner + i] = best;
            }
        }
    }
}
