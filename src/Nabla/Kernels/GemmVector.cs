using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// The matrix–vector cases of <see cref="Gemm"/>, m = 1 or n = 1 (a batch-1 forward pass, a
/// linear model's X·w and its gradient Xᵀ·r), computed straight from the operands without packing.
/// </summary>
/// <remarks>
/// <para>
/// With one row or one column of C, each element of the matrix operand is used once: packing it
/// would copy the whole matrix to use it once, and a 12×32 tile would be 1/32 full. Instead the
/// product is one of two streaming loops, chosen by which way the matrix is contiguous:
/// <see cref="RowDots{T}"/> (a dot product per row, lanes along k) and
/// <see cref="ColumnSums{T}"/> (a multiply-add per k step, lanes along the output).
/// </para>
/// <para>
/// Each output element is still computed one fixed way, whatever the thread count: threads get
/// whole ranges of outputs, never a part of a sum. The order of the terms differs from the
/// blocked path (a dot product sums W interleaved partial sums, then adds them pairwise), which
/// the choice of path, made from the shape alone, keeps reproducible.
/// </para>
/// </remarks>
internal static unsafe class GemmVector
{
    /// <summary>Outputs per piece when threaded, in multiply-adds of work.</summary>
    private const long PieceWork = 1L << 19;

    /// <summary>Computes the m = 1 or n = 1 product; the caller has checked the arguments.</summary>
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, bool accumulate)
        where T : unmanaged, INumberBase<T>
    {
        fixed (T* pa = a, pb = b, pc = c)
        {
            T* A = pa + aOffset, B = pb + bOffset, C = pc + cOffset;
            if (n == 1)
            {
                // C[i] = Σₚ A(i, p)·b[p]; B is k×1 or 1×k, contiguous either way.
                if (transA)
                    Run(ColumnSums, A, m, m, k, B, C, accumulate);
                else
                    Run(RowDots, A, k, m, k, B, C, accumulate);
            }
            else
            {
                // m == 1: C[j] = Σₚ a[p]·B(p, j).
                if (transB)
                    Run(RowDots, B, k, n, k, A, C, accumulate);
                else
                    Run(ColumnSums, B, n, n, k, A, C, accumulate);
            }
        }
    }

    private delegate void Range<T>(T* matrix, nint ld, int first, int end, int k, T* vector, T* output, bool add) where T : unmanaged;

    /// <summary>Runs <paramref name="range"/> over all outputs, cut into fixed pieces when large.</summary>
    private static void Run<T>(Range<T> range, T* matrix, nint ld, int outputs, int k, T* vector, T* output, bool add)
        where T : unmanaged
    {
        long work = (long)outputs * k;
        int pieces = work < GemmBlocking.ParallelThreshold ? 1 : (int)Math.Min(Math.Min(32, outputs / 64 + 1), work / PieceWork + 1);
        if (pieces <= 1)
        {
            range(matrix, ld, 0, outputs, k, vector, output, add);
            return;
        }
        nint m = (nint)matrix, v = (nint)vector, o = (nint)output;
        Parallelism.For(pieces, piece =>
        {
            // Ranges start on multiples of 64, so the vector blocks line up as in one whole range
            // (each output's value does not depend on its block anyway; this keeps pieces tidy).
            int first = (int)((long)outputs * piece / pieces) & ~63;
            int end = piece == pieces - 1 ? outputs : (int)((long)outputs * (piece + 1) / pieces) & ~63;
            range((T*)m, ld, first, end, k, (T*)v, (T*)o, add);
        });
    }

    /// <summary>
    /// output[r] (+)= Σₚ matrix[r·ld + p]·vector[p] for r in [first, end): a dot product per row.
    /// Lanes run along k; two vector accumulators per row and four rows at a time keep eight
    /// multiply-add chains in flight. A row's k tail is added one term at a time after the
    /// horizontal sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowDots<T>(T* matrix, nint ld, int first, int end, int k, T* vector, T* output, bool add)
        where T : unmanaged, INumberBase<T>
    {
        int r = first;
        if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            int whole = k - k % (2 * w);
            for (; r + 4 <= end; r += 4)
            {
                T* m0 = matrix + r * ld, m1 = m0 + ld, m2 = m1 + ld, m3 = m2 + ld;
                Vector256<T> a0 = default, a1 = default, a2 = default, a3 = default;
                Vector256<T> b0 = default, b1 = default, b2 = default, b3 = default;
                for (int p = 0; p < whole; p += 2 * w)
                {
                    Vector256<T> x = Vector256.Load(vector + p), y = Vector256.Load(vector + p + w);
                    a0 = MultiplyAdd(Vector256.Load(m0 + p), x, a0); b0 = MultiplyAdd(Vector256.Load(m0 + p + w), y, b0);
                    a1 = MultiplyAdd(Vector256.Load(m1 + p), x, a1); b1 = MultiplyAdd(Vector256.Load(m1 + p + w), y, b1);
                    a2 = MultiplyAdd(Vector256.Load(m2 + p), x, a2); b2 = MultiplyAdd(Vector256.Load(m2 + p + w), y, b2);
                    a3 = MultiplyAdd(Vector256.Load(m3 + p), x, a3); b3 = MultiplyAdd(Vector256.Load(m3 + p + w), y, b3);
                }
                Put(output + r, Finish(a0 + b0, m0, vector, whole, k), add);
                Put(output + r + 1, Finish(a1 + b1, m1, vector, whole, k), add);
                Put(output + r + 2, Finish(a2 + b2, m2, vector, whole, k), add);
                Put(output + r + 3, Finish(a3 + b3, m3, vector, whole, k), add);
            }
            for (; r < end; r++)
            {
                T* m0 = matrix + r * ld;
                Vector256<T> a0 = default, b0 = default;
                for (int p = 0; p < whole; p += 2 * w)
                {
                    a0 = MultiplyAdd(Vector256.Load(m0 + p), Vector256.Load(vector + p), a0);
                    b0 = MultiplyAdd(Vector256.Load(m0 + p + w), Vector256.Load(vector + p + w), b0);
                }
                Put(output + r, Finish(a0 + b0, m0, vector, whole, k), add);
            }
            return;
        }
        for (; r < end; r++)
        {
            T* m0 = matrix + r * ld;
            T sum = T.Zero;
            for (int p = 0; p < k; p++) sum += m0[p] * vector[p];
            Put(output + r, sum, add);
        }
    }

    /// <summary>
    /// output[c] (+)= Σₚ vector[p]·matrix[p·ld + c] for c in [first, end): one multiply-add per
    /// k step into accumulators that run along the output, eight vectors wide, then one, then
    /// one column at a time; each element is a single chain in k order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnSums<T>(T* matrix, nint ld, int first, int end, int k, T* vector, T* output, bool add)
        where T : unmanaged, INumberBase<T>
    {
        int c = first;
        if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            for (; c + 8 * w <= end; c += 8 * w)
            {
                Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                T* col = matrix + c;
                for (int p = 0; p < k; p++, col += ld)
                {
                    Vector256<T> x = Vector256.Create(vector[p]);
                    s0 = MultiplyAdd(x, Vector256.Load(col), s0);
                    s1 = MultiplyAdd(x, Vector256.Load(col + w), s1);
                    s2 = MultiplyAdd(x, Vector256.Load(col + 2 * w), s2);
                    s3 = MultiplyAdd(x, Vector256.Load(col + 3 * w), s3);
                    s4 = MultiplyAdd(x, Vector256.Load(col + 4 * w), s4);
                    s5 = MultiplyAdd(x, Vector256.Load(col + 5 * w), s5);
                    s6 = MultiplyAdd(x, Vector256.Load(col + 6 * w), s6);
                    s7 = MultiplyAdd(x, Vector256.Load(col + 7 * w), s7);
                }
                T* o = output + c;
                Put(o, s0, add); Put(o + w, s1, add); Put(o + 2 * w, s2, add); Put(o + 3 * w, s3, add);
                Put(o + 4 * w, s4, add); Put(o + 5 * w, s5, add); Put(o + 6 * w, s6, add); Put(o + 7 * w, s7, add);
            }
            for (; c + w <= end; c += w)
            {
                Vector256<T> s0 = default;
                T* col = matrix + c;
                for (int p = 0; p < k; p++, col += ld)
                    s0 = MultiplyAdd(Vector256.Create(vector[p]), Vector256.Load(col), s0);
                Put(output + c, s0, add);
            }
        }
        for (; c < end; c++)
        {
            T sum = T.Zero;
            T* col = matrix + c;
            for (int p = 0; p < k; p++, col += ld)
                sum = ScalarMultiplyAdd(vector[p], *col, sum);
            Put(output + c, sum, add);
        }
    }

    /// <summary>x·y + acc, fused when the hardware has FMA (as the vector lanes are).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float))
                return Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double))
                return Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        }
        return x * y + acc;
    }

    /// <summary>The scalar column tail, fused exactly like the vector columns next to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ScalarMultiplyAdd<T>(T x, T y, T acc) where T : INumberBase<T>
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                float r = MathF.FusedMultiplyAdd(Unsafe.As<T, float>(ref x), Unsafe.As<T, float>(ref y), Unsafe.As<T, float>(ref acc));
                return Unsafe.As<float, T>(ref r);
            }
            if (typeof(T) == typeof(double))
            {
                double r = Math.FusedMultiplyAdd(Unsafe.As<T, double>(ref x), Unsafe.As<T, double>(ref y), Unsafe.As<T, double>(ref acc));
                return Unsafe.As<double, T>(ref r);
            }
        }
        return x * y + acc;
    }

    /// <summary>Horizontal sum of the lanes, then the k tail term by term.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Finish<T>(Vector256<T> lanes, T* row, T* vector, int whole, int k) where T : unmanaged, INumberBase<T>
    {
        T sum = Vector256.Sum(lanes);
        for (int p = whole; p < k; p++) sum += row[p] * vector[p];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(T* dst, T value, bool add) where T : unmanaged, INumberBase<T> => *dst = add ? *dst + value : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(T* dst, Vector256<T> value, bool add) where T : unmanaged
    {
        if (add)
            value += Vector256.Load(dst);
        value.Store(dst);
    }
}
