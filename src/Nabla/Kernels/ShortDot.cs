using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>
/// Dot products of short Float64 rows (a few to a few hundred values: latent factors, the rows of a
/// small Cholesky factor), called millions of times in a fit, where a library call's checks and
/// dispatch cost as much as the arithmetic.
/// </summary>
/// <remarks>
/// Vector lanes of <see cref="Vector{T}"/> with fused multiply-adds, added lane by lane at the end,
/// then a scalar tail; all scalar without vector hardware. The caller guarantees the lengths: the
/// rows are read through references, without bounds checks.
/// </remarks>
internal static class ShortDot
{
    /// <summary>The first <paramref name="length"/> values of x and y multiplied and summed, with two accumulators (two chains of multiply-adds hide each other's latency).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ref double x, ref double y, int length)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<double>.Count)
        {
            int width = Vector<double>.Count;
            Vector<double> even = Vector<double>.Zero, odd = Vector<double>.Zero;
            for (; i <= length - 2 * width; i += 2 * width)
            {
                even = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, (nuint)i), Vector.LoadUnsafe(ref y, (nuint)i), even);
                odd = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, (nuint)(i + width)), Vector.LoadUnsafe(ref y, (nuint)(i + width)), odd);
            }
            if (i <= length - width)
            {
                even = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, (nuint)i), Vector.LoadUnsafe(ref y, (nuint)i), even);
                i += width;
            }
            sum = Vector.Sum(even + odd);
        }
        for (; i < length; i++) sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        return sum;
    }

    /// <summary>
    /// Four dot products at once, of the rows x, x + <paramref name="stride"/>, x + 2·stride and
    /// x + 3·stride with the same y, each over the first <paramref name="length"/> values: y is loaded
    /// once for four multiply-adds, and the four chains hide each other's latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double, double, double, double) Dot4(ref double x, int stride, ref double y, int length)
    {
        ref double x1 = ref Unsafe.Add(ref x, stride);
        ref double x2 = ref Unsafe.Add(ref x, 2 * stride);
        ref double x3 = ref Unsafe.Add(ref x, 3 * stride);
        int i = 0;
        double r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<double>.Count)
        {
            Vector<double> s0 = Vector<double>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; i <= length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = Vector.LoadUnsafe(ref y, (nuint)i);
                s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, (nuint)i), v, s0);
                s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x1, (nuint)i), v, s1);
                s2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x2, (nuint)i), v, s2);
                s3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x3, (nuint)i), v, s3);
            }
            (r0, r1, r2, r3) = (Vector.Sum(s0), Vector.Sum(s1), Vector.Sum(s2), Vector.Sum(s3));
        }
        for (; i < length; i++)
        {
            double v = Unsafe.Add(ref y, i);
            r0 += Unsafe.Add(ref x, i) * v;
            r1 += Unsafe.Add(ref x1, i) * v;
            r2 += Unsafe.Add(ref x2, i) * v;
            r3 += Unsafe.Add(ref x3, i) * v;
        }
        return (r0, r1, r2, r3);
    }
}
