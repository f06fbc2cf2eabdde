using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>The reductions the ops need, for Float32 and Float64.</summary>
internal enum ReductionKind { Sum, Max, Min }

/// <summary>
/// Sum, max and min over a whole array or the middle dimension of an (outer, length, inner) view.
/// Whole-array sums are cut into fixed chunks whose partial sums are added in chunk order, so the
/// result is the same at any thread count. Max and min need at least one element to reduce; the
/// caller checks, and names the shape in its error.
/// </summary>
internal static class Reduction
{
    /// <summary>The <paramref name="kind"/> of all of <paramref name="x"/> (non-empty for Max and Min).</summary>
    public static T ReduceAll<T>(T[] x, ReductionKind kind) where T : unmanaged, INumber<T>, IRootFunctions<T>
        => kind == ReductionKind.Sum ? SumAll(x) : Whole(x, kind);

    /// <summary>
    /// Reduces <paramref name="x"/>, viewed as (outer, length, inner), over its middle dimension into
    /// <paramref name="y"/> (outer, inner); slabs run in parallel when the work is large. The length may be 0
    /// only for Sum, or when y is empty.
    /// </summary>
    public static void Reduce<T>(T[] x, int outer, int length, int inner, T[] y, ReductionKind kind)
        where T : unmanaged, INumber<T>, IRootFunctions<T>
    {
        long work = (long)outer * length * inner;
        bool parallel = work >= Elementwise.ParallelThreshold && outer > 1 && Parallelism.MaxDegreeOfParallelism > 1;
        if (parallel) Parallelism.For(outer, o => ReduceSlab(x, y, o, length, inner, kind));
        else for (int o = 0; o < outer; o++) ReduceSlab(x, y, o, length, inner, kind);
    }

    /// <summary>Reduces x[o, :, :] over its middle dimension into y[o, :].</summary>
    private static void ReduceSlab<T>(T[] x, T[] y, int o, int length, int inner, ReductionKind kind)
        where T : unmanaged, INumber<T>, IRootFunctions<T>
    {
        var target = y.AsSpan(o * inner, inner);
        int slab = o * length * inner;
        if (inner == 1)
        {
            var row = x.AsSpan(slab, length);
            target[0] = kind == ReductionKind.Sum ? TensorPrimitives.Sum<T>(row) : Whole(row, kind);
            return;
        }
        if (length == 0) { target.Clear(); return; }
        x.AsSpan(slab, inner).CopyTo(target);
        for (int k = 1; k < length; k++)
        {
            var source = x.AsSpan(slab + k * inner, inner);
            switch (kind)
            {
                case ReductionKind.Sum: TensorPrimitives.Add<T>(target, source, target); break;
                case ReductionKind.Max: TensorPrimitives.Max<T>(target, source, target); break;
                default: TensorPrimitives.Min<T>(target, source, target); break;
            }
        }
    }

    private static T Whole<T>(ReadOnlySpan<T> x, ReductionKind kind) where T : unmanaged, INumber<T>, IRootFunctions<T>
        => kind == ReductionKind.Max ? TensorPrimitives.Max(x) : TensorPrimitives.Min(x);

    /// <summary>Sum of all elements, in fixed chunks combined in order (deterministic across thread counts).</summary>
    public static T SumAll<T>(T[] x) where T : unmanaged, INumber<T>, IRootFunctions<T>
    {
        if (x.Length <= Elementwise.ChunkSize) return TensorPrimitives.Sum<T>(x);
        int pieces = (x.Length + Elementwise.ChunkSize - 1) / Elementwise.ChunkSize;
        var partial = new T[pieces];
        if (x.Length >= Elementwise.ParallelThreshold)
            Parallelism.For(pieces, p => partial[p] = ChunkSum(x, p));
        else
            for (int p = 0; p < pieces; p++) partial[p] = ChunkSum(x, p);
        T total = T.Zero;
        foreach (var s in partial) total += s;
        return total;
    }

    private static T ChunkSum<T>(T[] x, int piece) where T : unmanaged, INumber<T>, IRootFunctions<T>
    {
        int start = piece * Elementwise.ChunkSize;
        return TensorPrimitives.Sum<T>(x.AsSpan(start, Math.Min(Elementwise.ChunkSize, x.Length - start)));
    }
}
