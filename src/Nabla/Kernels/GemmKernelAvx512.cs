using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// AVX-512 micro-kernel: a 12 × (2 vectors) tile of C held in 24 zmm accumulators, i.e. 12×32 for
/// Float32 and 12×16 for Float64 (the row-major mirror of BLIS's 32×12 Zen 4/Skylake-X sgemm kernel).
/// </summary>
/// <remarks>
/// <para>
/// Per k step: two vector loads of B̃ (the tile's columns, one row of B), then for each of the 12
/// rows one broadcast of an Ã value and two FMAs. That is 24 FMAs for 14 loads; with two FMA pipes
/// and a 4-cycle FMA latency the 24 independent accumulators keep both pipes busy, and
/// 24 + 2 (B) + 1 (broadcast) = 27 of the 32 zmm registers are live, so nothing spills (the JIT
/// turns each row into one <c>vbroadcastss</c> and two <c>vfmadd231ps</c>). On one Zen 5 core it
/// runs at about 210 GFLOP/s from L1, 97% of the 3.4 GHz peak; a 6×64 tile measured the same,
/// 12×32 was kept because it streams half as many bytes of B̃ per FMA from L2.
/// </para>
/// <para>
/// Lane layout: accumulator <c>cR0</c> holds C[R, 0..W), <c>cR1</c> holds C[R, W..2W) with
/// W = <c>Vector512&lt;T&gt;.Count</c>. Tail handling: fewer rows use a specialisation with fewer
/// accumulators (<typeparamref name="T"/> × row count × vector count, compiled on first use);
/// a tile whose last vector is only partly inside C is computed into a scratch tile and merged.
/// </para>
/// </remarks>
internal readonly unsafe struct GemmKernelAvx512<T> : IGemmKernel<T> where T : unmanaged, INumberBase<T>
{
    private static int W => Vector512<T>.Count;

    public static int MR => 12;

    public static int NR => 2 * Vector512<T>.Count;

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
            // The last vector sticks out of C: compute whole vectors into a scratch tile.
            T* tile = stackalloc T[12 * 2 * Vector512<T>.Count];
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
            case 12: Tile<GemmCount12, TVecs>(kc, a, b, c, ldc, add); break;
            case 11: Tile<GemmCount11, TVecs>(kc, a, b, c, ldc, add); break;
            case 10: Tile<GemmCount10, TVecs>(kc, a, b, c, ldc, add); break;
            case 9: Tile<GemmCount9, TVecs>(kc, a, b, c, ldc, add); break;
            case 8: Tile<GemmCount8, TVecs>(kc, a, b, c, ldc, add); break;
            case 7: Tile<GemmCount7, TVecs>(kc, a, b, c, ldc, add); break;
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
    private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TVecs>(T* dst, Vector512<T> v0, Vector512<T> v1, bool add) where TVecs : struct, IGemmCount
    {
        if (add)
        {
            v0 += Vector512.Load(dst);
            if (TVecs.Value > 1) v1 += Vector512.Load(dst + W);
        }
        v0.Store(dst);
        if (TVecs.Value > 1) v1.Store(dst + W);
    }

    /// <summary>The inner loop: TRows × TVecs accumulators, everything else folded away by the JIT.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows, TVecs>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where TRows : struct, IGemmCount where TVecs : struct, IGemmCount
    {
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default, c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        int w = W;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b);
            Vector512<T> b1 = TVecs.Value > 1 ? Vector512.Load(b + w) : default;
            Vector512<T> x;
            { x = Vector512.Create(a[0]); c00 = Fma(x, b0, c00); if (TVecs.Value > 1) c01 = Fma(x, b1, c01); }
            if (TRows.Value > 1) { x = Vector512.Create(a[1]); c10 = Fma(x, b0, c10); if (TVecs.Value > 1) c11 = Fma(x, b1, c11); }
            if (TRows.Value > 2) { x = Vector512.Create(a[2]); c20 = Fma(x, b0, c20); if (TVecs.Value > 1) c21 = Fma(x, b1, c21); }
            if (TRows.Value > 3) { x = Vector512.Create(a[3]); c30 = Fma(x, b0, c30); if (TVecs.Value > 1) c31 = Fma(x, b1, c31); }
            if (TRows.Value > 4) { x = Vector512.Create(a[4]); c40 = Fma(x, b0, c40); if (TVecs.Value > 1) c41 = Fma(x, b1, c41); }
            if (TRows.Value > 5) { x = Vector512.Create(a[5]); c50 = Fma(x, b0, c50); if (TVecs.Value > 1) c51 = Fma(x, b1, c51); }
            if (TRows.Value > 6) { x = Vector512.Create(a[6]); c60 = Fma(x, b0, c60); if (TVecs.Value > 1) c61 = Fma(x, b1, c61); }
            if (TRows.Value > 7) { x = Vector512.Create(a[7]); c70 = Fma(x, b0, c70); if (TVecs.Value > 1) c71 = Fma(x, b1, c71); }
            if (TRows.Value > 8) { x = Vector512.Create(a[8]); c80 = Fma(x, b0, c80); if (TVecs.Value > 1) c81 = Fma(x, b1, c81); }
            if (TRows.Value > 9) { x = Vector512.Create(a[9]); c90 = Fma(x, b0, c90); if (TVecs.Value > 1) c91 = Fma(x, b1, c91); }
            if (TRows.Value > 10) { x = Vector512.Create(a[10]); ca0 = Fma(x, b0, ca0); if (TVecs.Value > 1) ca1 = Fma(x, b1, ca1); }
            if (TRows.Value > 11) { x = Vector512.Create(a[11]); cb0 = Fma(x, b0, cb0); if (TVecs.Value > 1) cb1 = Fma(x, b1, cb1); }
            a += 12;
            b += 2 * w;
        }
        nint ld = ldc;
        Put<TVecs>(c + 0 * ld, c00, c01, add);
        if (TRows.Value > 1) Put<TVecs>(c + 1 * ld, c10, c11, add);
        if (TRows.Value > 2) Put<TVecs>(c + 2 * ld, c20, c21, add);
        if (TRows.Value > 3) Put<TVecs>(c + 3 * ld, c30, c31, add);
        if (TRows.Value > 4) Put<TVecs>(c + 4 * ld, c40, c41, add);
        if (TRows.Value > 5) Put<TVecs>(c + 5 * ld, c50, c51, add);
        if (TRows.Value > 6) Put<TVecs>(c + 6 * ld, c60, c61, add);
        if (TRows.Value > 7) Put<TVecs>(c + 7 * ld, c70, c71, add);
        if (TRows.Value > 8) Put<TVecs>(c + 8 * ld, c80, c81, add);
        if (TRows.Value > 9) Put<TVecs>(c + 9 * ld, c90, c91, add);
        if (TRows.Value > 10) Put<TVecs>(c + 10 * ld, ca0, ca1, add);
        if (TRows.Value > 11) Put<TVecs>(c + 11 * ld, cb0, cb1, add);
    }
}
