namespace Nabla;

/// <summary>Shape arithmetic shared by every op: element counts, axes, broadcasting, formatting.</summary>
internal static class Shapes
{
    public static readonly int[] Scalar = [];

    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        if (n > Array.MaxLength)
            throw new ArgumentException($"A tensor of shape {Format(shape)} has {n} elements, more than one array can hold ({Array.MaxLength}).");
        return (int)n;
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static int[] Validate(int[] shape, string op)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"{op}: dimensions must be non-negative, got shape {Format(shape)}.");
        Numel(shape);
        return (int[])shape.Clone();
    }

    /// <summary>Turns a possibly negative axis into 0..rank-1, naming the op when it is out of range.</summary>
    public static int NormalizeAxis(int axis, int rank, string op)
    {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"{op}: axis {axis} is out of range for a tensor of rank {rank} (valid: {-rank}..{rank - 1}).");
        return normalized;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ShapeMismatchException($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Whether <paramref name="from"/> broadcasts to exactly <paramref name="to"/>.</summary>
    public static bool BroadcastsTo(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length > to.Length) return false;
        int lead = to.Length - from.Length;
        for (int i = 0; i < from.Length; i++)
            if (from[i] != 1 && from[i] != to[lead + i]) return false;
        return true;
    }

    /// <summary>Row-major strides of <paramref name="shape"/> laid against <paramref name="outShape"/>, 0 where broadcast.</summary>
    public static long[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape)
    {
        var strides = new long[outShape.Length];
        long stride = 1;
        int lead = outShape.Length - shape.Length;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[lead + i] = shape[i] == 1 ? 0 : stride;
            stride *= shape[i];
        }
        return strides;
    }

    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = stride; stride *= shape[i]; }
        return strides;
    }

    /// <summary>Shape after reducing <paramref name="axis"/> (all axes when null).</summary>
    public static int[] Reduced(int[] shape, int? axis, bool keepDims)
    {
        if (axis is null) return keepDims ? Enumerable.Repeat(1, shape.Length).ToArray() : Scalar;
        var result = (int[])shape.Clone();
        if (keepDims) { result[axis.Value] = 1; return result; }
        return [.. shape[..axis.Value], .. shape[(axis.Value + 1)..]];
    }

    /// <summary>Splits a shape around an axis into (outer, axis length, inner) for strided loops.</summary>
    public static (int Outer, int Length, int Inner) AroundAxis(ReadOnlySpan<int> shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }
}
