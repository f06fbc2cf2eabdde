using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// AVX2 + FMA micro-kernel: a 6 × (2 vectors) tile of C in 12 ymm accumulators, i.e. 6×16 for
/// Float32 and 6×8 for Float64 (BLIS's Haswell sgemm shape).
/// </summary>
/// <remarks>
/// Per k step: two vector loads of B̃, six broadcasts of Ã and 12 FMAs; 12 accumulators + 2 B
/// vectors + 1 broadcast = 15 of the 16 ymm registers. Lane layout and tail handling as in
/// <see cref="GemmKernelAvx512{T}"/>: <c>cR0</c> = C[R, 0..W), <c>cR1</c> = C[R, W..2W);
/// fewer rows use a specialisation, a partial last vector goes through a scratch tile.
/// </remarks>
internal readonly unsafe struct GemmKernelAvx2<T> : IGemmKernel<T> where T : unmanaged, INumberBase<T>
{
    private static int W => Vector256<T>.Count;

    public static int MR => 6;

    public static int NR => 2 * Vector256<T>.Count;

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, int ldc, int rows, int cols, bool add)
    {
        if (cols == NR)
            Rows<GemmCount2>(kc, a, b, c, ldc, rows, add);
        else if (cols == W)
            Rows<GemmCount1>(kc, a, b, c, ldc, rows, add);
        else
        {
            T* tile = stackalloc T[6 * 2 * Vector256<T>.Count];
            if (cols < W)
                Rows<GemmCount1>(kc, a, b, tile, NR, rows, add: false);
            else
                Rows<GemmCount2>(kc, a, b, tile, NR, rows, add: false);
            GemmKernelTail.Merge(tile, NR, c, ldc, rows, cols, add);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TVecs>(int kc, T* a, T* b, T* c, int ldc, int rows, bool add) where TVecs : struct, IGemmCount
    {
        switch (rows)
        {
            case 6: Tile<GemmCount6, TVecs>(kc, a, b, c, ldc, add); break;
            case 5: Tile<GemmCount5, TVecs>(kc, a, b, c, ldc, add); break;
            case 4: Tile<GemmCount4, TVecs>(kc, a, b, c, ldc, add); break;
            case 3: Tile<GemmCount3, TVecs>(kc, a, b, c, ldc, add); break;
            case 2: Tile<GemmCount2, TVecs>(kc, a, b, c, ldc, add); break;
            case 1: Tile<GemmCount1, TVecs>(kc, a, b, c, ldc, add); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (typeof(T) == typeof(float))
            return Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TVecs>(T* dst, Vector256<T> v0, Vector256<T> v1, bool add) where TVecs : struct, IGemmCount
    {
        if (add)
        {
            v0 += Vector256.Load(dst);
            if (TVecs.Value > 1) v1 += Vector256.Load(dst + W);
        }
        v0.Store(dst);
        if (TVecs.Value > 1) v1.Store(dst + W);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows, TVecs>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where TRows : struct, IGemmCount where TVecs : struct, IGemmCount
    {
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        int w = W;
        for (int p = 0; p < kc; p++)
        {
            Vector256<T> b0 = Vector256.Load(b);
            Vector256<T> b1 = TVecs.Value > 1 ? Vector256.Load(b + w) : default;
            Vector256<T> x;
            { x = Vector256.Create(a[0]); c00 = MultiplyAdd(x, b0, c00); if (TVecs.Value > 1) c01 = MultiplyAdd(x, b1, c01); }
            if (TRows.Value > 1) { x = Vector256.Create(a[1]); c10 = MultiplyAdd(x, b0, c10); if (TVecs.Value > 1) c11 = MultiplyAdd(x, b1, c11); }
            if (TRows.Value > 2) { x = Vector256.Create(a[2]); c20 = MultiplyAdd(x, b0, c20); if (TVecs.Value > 1) c21 = MultiplyAdd(x, b1, c21); }
            if (TRows.Value > 3) { x = Vector256.Create(a[3]); c30 = MultiplyAdd(x, b0, c30); if (TVecs.Value > 1) c31 = MultiplyAdd(x, b1, c31); }
            if (TRows.Value > 4) { x = Vector256.Create(a[4]); c40 = MultiplyAdd(x, b0, c40); if (TVecs.Value > 1) c41 = MultiplyAdd(x, b1, c41); }
            if (TRows.Value > 5) { x = Vector256.Create(a[5]); c50 = MultiplyAdd(x, b0, c50); if (TVecs.Value > 1) c51 = MultiplyAdd(x, b1, c51); }
            a += 6;
            b += 2 * w;
        }
        nint ld = ldc;
        Put<TVecs>(c + 0 * ld, c00, c01, add);
        if (TRows.Value > 1) Put<TVecs>(c + 1 * ld, c10, c11, add);
        if (TRows.Value > 2) Put<TVecs>(c + 2 * ld, c20, c21, add);
        if (TRows.Value > 3) Put<TVecs>(c + 3 * ld, c30, c31, add);
        if (TRows.Value > 4) Put<TVecs>(c + 4 * ld, c40, c41, add);
        if (TRows.Value > 5) Put<TVecs>(c + 5 * ld, c50, c51, add);
    }
}
