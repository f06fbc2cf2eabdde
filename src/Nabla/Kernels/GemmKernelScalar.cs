using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>
/// Portable micro-kernel for machines (or runs, <c>DOTNET_EnableHWIntrinsic=0</c>) without
/// AVX2/FMA: a 4×4 tile in 16 scalar accumulators.
/// </summary>
/// <remarks>
/// Plain multiply then add (the JIT never contracts them into an FMA), so each element is the
/// same chain whatever tile it falls in. A partial tile is computed whole (the packed panels are
/// zero-padded) into a scratch tile and merged.
/// </remarks>
internal readonly unsafe struct GemmKernelScalar<T> : IGemmKernel<T> where T : unmanaged, INumberBase<T>
{
    public static int MR => 4;

    public static int NR => 4;

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, int ldc, int rows, int cols, bool add)
    {
        if (rows == 4 && cols == 4)
        {
            Tile(kc, a, b, c, ldc, add);
            return;
        }
        T* tile = stackalloc T[16];
        Tile(kc, a, b, tile, 4, add: false);
        GemmKernelTail.Merge(tile, 4, c, ldc, rows, cols, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(int kc, T* a, T* b, T* c, int ldc, bool add)
    {
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        T c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        T c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        for (int p = 0; p < kc; p++, a += 4, b += 4)
        {
            T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            T x = a[0];
            c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
            x = a[1];
            c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
            x = a[2];
            c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
            x = a[3];
            c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
        }
        Put(c, c00, c01, c02, c03, add);
        Put(c + ldc, c10, c11, c12, c13, add);
        Put(c + 2 * (nint)ldc, c20, c21, c22, c23, add);
        Put(c + 3 * (nint)ldc, c30, c31, c32, c33, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(T* dst, T v0, T v1, T v2, T v3, bool add)
    {
        if (add)
        {
            dst[0] += v0; dst[1] += v1; dst[2] += v2; dst[3] += v3;
        }
        else
        {
            dst[0] = v0; dst[1] = v1; dst[2] = v2; dst[3] = v3;
        }
    }
}
