using System.Buffers;
using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// The B operand of many GEMM calls, op(B) (k×n), packed once into the k-block × column panels
/// that <see cref="GemmDriver{T, TKernel}"/> would otherwise pack at every call; made by
/// <see cref="Gemm.PackB{T}"/> and used by <see cref="Gemm.Multiply{T}(bool, int, T[], int, PackedGemmOperand{T}, T[], int, bool)"/>.
/// </summary>
/// <remarks>
/// <para>
/// A recurrent layer multiplies the same W_hh by a small batch of states at every step: packing
/// W_hh once per layer run instead of once per step saves most of those products' packing. The
/// panels hold the same bytes the driver would pack (same k-blocks, same zero padding) and the
/// kernels run in the same order, so a product with the packed operand is bit-identical to the
/// plain call.
/// </para>
/// <para>
/// The panels are a copy: the source must not change while the operand is in use, because products
/// with a single row of C read the source itself (<see cref="GemmVector"/> never packs). The panels
/// come from <see cref="ArrayPool{T}"/> and go back on <see cref="Dispose"/>.
/// </para>
/// </remarks>
internal sealed class PackedGemmOperand<T> : IDisposable where T : unmanaged, INumberBase<T>
{
    internal PackedGemmOperand(bool transB, int k, int n, T[] source, int sourceOffset, T[]? panels, int start)
    {
        (TransB, K, N, Source, SourceOffset, Panels, Start) = (transB, k, n, source, sourceOffset, panels, start);
    }

    /// <summary>Whether B is stored n×k (op(B) = Bᵀ).</summary>
    public bool TransB { get; }

    /// <summary>Rows of op(B), the products' inner dimension.</summary>
    public int K { get; }

    /// <summary>Columns of op(B) and of C.</summary>
    public int N { get; }

    /// <summary>B as stored, for the products the driver does not run (one row or column of C).</summary>
    public T[] Source { get; }

    /// <summary>Where B starts in <see cref="Source"/>.</summary>
    public int SourceOffset { get; }

    /// <summary>The packed panels (null when nothing was packed: k or n is 0, or n is 1).</summary>
    internal T[]? Panels { get; private set; }

    /// <summary>Where the first panel starts in <see cref="Panels"/>: the cache-line boundary found when packing.</summary>
    internal int Start { get; }

    /// <summary>Whether <see cref="Dispose"/> gave the panels back.</summary>
    internal bool Disposed { get; private set; }

    /// <summary>Gives the panels back to the pool; the operand cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (Disposed) return;
        Disposed = true;
        if (Panels is { } panels) ArrayPool<T>.Shared.Return(panels);
        Panels = null;
    }
}
