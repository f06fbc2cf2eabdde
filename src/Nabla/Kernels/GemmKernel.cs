using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: C[rows×cols] = (or +=) Ã·B̃ over one k-block, where
/// Ã is a packed micro-panel of A (MR values per k step, see <see cref="GemmPacking"/>) and
/// B̃ a packed micro-panel of B (NR values per k step).
/// </summary>
/// <remarks>
/// Each C element is one chain of multiply-adds in k order, computed in its own SIMD lane, so its
/// value does not depend on which tile, piece or thread produced it: this is what makes the
/// threaded GEMM bit-identical whatever the thread count. Partial tiles (rows &lt; MR or
/// cols &lt; NR) give the same values as full ones, because the packed panels are zero-padded and
/// the lanes are independent.
/// </remarks>
internal unsafe interface IGemmKernel<T> where T : unmanaged
{
    /// <summary>Rows of a full micro-tile: values of Ã broadcast per k step.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of a full micro-tile: values of B̃ loaded as vectors per k step.</summary>
    static abstract int NR { get; }

    /// <summary>
    /// C[r, j] = Σₚ a[p·MR + r]·b[p·NR + j] for r &lt; rows, j &lt; cols, p &lt; kc; stored, or added to
    /// C when <paramref name="add"/>. C is row-major with row stride <paramref name="ldc"/>.
    /// </summary>
    static abstract void Run(int kc, T* a, T* b, T* c, int ldc, int rows, int cols, bool add);
}

/// <summary>A compile-time integer, so generic kernels specialise per row or vector count.</summary>
/// <remarks>
/// The JIT compiles a separate body for each struct type argument and folds
/// <c>TCount.Value</c> to a constant, so <c>if (TRows.Value &gt; 5)</c> in a kernel costs nothing
/// and the unused accumulators vanish.
/// </remarks>
internal interface IGemmCount
{
    static abstract int Value { get; }
}

#pragma warning disable CS1591 // the names say it all
internal struct GemmCount1 : IGemmCount { public static int Value => 1; }
internal struct GemmCount2 : IGemmCount { public static int Value => 2; }
internal struct GemmCount3 : IGemmCount { public static int Value => 3; }
internal struct GemmCount4 : IGemmCount { public static int Value => 4; }
internal struct GemmCount5 : IGemmCount { public static int Value => 5; }
internal struct GemmCount6 : IGemmCount { public static int Value => 6; }
internal struct GemmCount7 : IGemmCount { public static int Value => 7; }
internal struct GemmCount8 : IGemmCount { public static int Value => 8; }
internal struct GemmCount9 : IGemmCount { public static int Value => 9; }
internal struct GemmCount10 : IGemmCount { public static int Value => 10; }
internal struct GemmCount11 : IGemmCount { public static int Value => 11; }
internal struct GemmCount12 : IGemmCount { public static int Value => 12; }
#pragma warning restore CS1591

/// <summary>Helpers shared by the micro-kernels.</summary>
internal static unsafe class GemmKernelTail
{
    /// <summary>
    /// Copies (or adds) the top-left rows×cols of a tile computed into a scratch buffer to C.
    /// Used when a tile's last vector is only partly inside C: the kernel writes whole vectors to
    /// the scratch tile, and only the valid elements reach C. The values are the ones a direct
    /// store would have written: add does the same single addition C + tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Merge<T>(T* tile, int ldt, T* c, int ldc, int rows, int cols, bool add)
        where T : unmanaged, INumberBase<T>
    {
        for (int r = 0; r < rows; r++)
        {
            T* src = tile + (nint)r * ldt;
            T* dst = c + (nint)r * ldc;
            if (add)
                for (int j = 0; j < cols; j++) dst[j] += src[j];
            else
                for (int j = 0; j < cols; j++) dst[j] = src[j];
        }
    }
}
