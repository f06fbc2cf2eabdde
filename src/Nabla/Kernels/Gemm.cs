using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>Which micro-kernel family <see cref="Gemm"/> runs on this machine and in this process.</summary>
internal enum GemmPath
{
    /// <summary>Portable scalar 4×4 kernel (no AVX2/FMA, or <c>DOTNET_EnableHWIntrinsic=0</c>).</summary>
    Scalar,

    /// <summary>AVX2 + FMA 6×16 (Float32) / 6×8 (Float64) kernel.</summary>
    Avx2,

    /// <summary>AVX-512 12×32 (Float32) / 12×16 (Float64) kernel.</summary>
    Avx512,
}

/// <summary>General matrix multiply, C = op(A)·op(B) (+ C), for row-major Float32 and Float64.</summary>
/// <remarks>
/// <para>
/// Packed panels, register-blocked FMA micro-kernels and cache blocking in the GotoBLAS/BLIS
/// manner: <see cref="GemmBlocking"/> (block sizes and pieces), <see cref="GemmPacking"/>
/// (panels; the transpose flags are absorbed there, so x·Wᵀ and the backward products need no
/// copies), <see cref="GemmDriver{T, TKernel}"/> (the loops and the threads) and the kernels
/// <see cref="GemmKernelAvx512{T}"/>, <see cref="GemmKernelAvx2{T}"/>,
/// <see cref="GemmKernelScalar{T}"/>. Products with a single row or column of C
/// (matrix–vector) skip all that and stream through <see cref="GemmVector"/>.
/// </para>
/// <para>
/// Threads share out output tiles only, never k, and each C element is computed the same way
/// whatever tile it falls in, so the result is bit-identical for every
/// <see cref="Parallelism.MaxDegreeOfParallelism"/>. It can differ between kernel families
/// (<see cref="ActivePath"/>): FMA versus separate multiply and add, and the k-block length.
/// </para>
/// <para>C must not overlap A or B. A and B may be the same array.</para>
/// </remarks>
internal static class Gemm
{
    /// <summary>The kernel family chosen from the hardware and the runtime's intrinsic settings.</summary>
    /// <remarks>
    /// AVX-512 needs <see cref="Vector512.IsHardwareAccelerated"/> (off with
    /// <c>DOTNET_EnableAVX512=0</c> or <c>DOTNET_PreferredVectorBitWidth=256</c>); AVX2 needs
    /// 256-bit vectors and FMA; anything else gets the scalar kernel.
    /// </remarks>
    internal static GemmPath ActivePath { get; } =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmPath.Avx512
        : Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported ? GemmPath.Avx2
        : GemmPath.Scalar;

    /// <summary>
    /// C[m×n] = op(A)[m×k] · op(B)[k×n], or C += … when <paramref name="accumulate"/> is set.
    /// A is stored row-major as m×k (k×m when <paramref name="transA"/>), B as k×n (n×k when
    /// <paramref name="transB"/>), C as m×n; each starts at its offset in its array.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, bool accumulate)
        => Dispatch(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);

    /// <inheritdoc cref="Multiply(bool, bool, int, int, int, float[], int, float[], int, float[], int, bool)"/>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset, bool accumulate)
        => Dispatch(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);

    // Generic over the element type so float and double share one dispatch; the public overloads
    // exist because the kernels support exactly these two types. Internal for kernels that are
    // themselves generic over float and double (convolution).
    internal static void Dispatch<T>(bool transA, bool transB, int m, int n, int k,
        T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, bool accumulate)
        where T : unmanaged, INumberBase<T>
    {
        if (!Prepare(m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate))
            return;
        if (m == 1 || n == 1)
        {
            GemmVector.Multiply(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
            return;
        }
        switch (ActivePath)
        {
            case GemmPath.Avx512:
                GemmDriver<T, GemmKernelAvx512<T>>.Run(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
                break;
            case GemmPath.Avx2:
                GemmDriver<T, GemmKernelAvx2<T>>.Run(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
                break;
            default:
                GemmDriver<T, GemmKernelScalar<T>>.Run(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
                break;
        }
    }

    /// <summary>
    /// Packs op(B) (k×n; B stored k×n, or n×k when <paramref name="transB"/>) once for many
    /// products <see cref="Multiply{T}(bool, int, T[], int, PackedGemmOperand{T}, T[], int, bool)"/>;
    /// the caller disposes it. B must not change while the operand is in use.
    /// </summary>
    internal static PackedGemmOperand<T> PackB<T>(bool transB, int k, int n, T[] b, int bOffset)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        CheckRange(b.Length, bOffset, k, n, nameof(b));
        // Products with one column of C stream through GemmVector, which reads B itself.
        if (k == 0 || n <= 1)
            return new PackedGemmOperand<T>(transB, k, n, b, bOffset, panels: null, start: 0);
        return ActivePath switch
        {
            GemmPath.Avx512 => GemmDriver<T, GemmKernelAvx512<T>>.PackB(transB, k, n, b, bOffset),
            GemmPath.Avx2 => GemmDriver<T, GemmKernelAvx2<T>>.PackB(transB, k, n, b, bOffset),
            _ => GemmDriver<T, GemmKernelScalar<T>>.PackB(transB, k, n, b, bOffset),
        };
    }

    /// <summary>
    /// C[m×n] = op(A)[m×k] · op(B)[k×n] (or C += … when <paramref name="accumulate"/> is set) with B
    /// packed beforehand by <see cref="PackB{T}"/>: bit-identical to
    /// <see cref="Dispatch{T}"/> on B itself, without packing B again.
    /// </summary>
    internal static void Multiply<T>(bool transA, int m, T[] a, int aOffset, PackedGemmOperand<T> b, T[] c, int cOffset, bool accumulate)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(b);
        ObjectDisposedException.ThrowIf(b.Disposed, b);
        int n = b.N, k = b.K;
        if (!Prepare(m, n, k, a, aOffset, b.Source, b.SourceOffset, c, cOffset, accumulate))
            return;
        if (m == 1 || n == 1)
        {
            GemmVector.Multiply(transA, b.TransB, m, n, k, a, aOffset, b.Source, b.SourceOffset, c, cOffset, accumulate);
            return;
        }
        switch (ActivePath)
        {
            case GemmPath.Avx512:
                GemmDriver<T, GemmKernelAvx512<T>>.Run(transA, m, a, aOffset, b, c, cOffset, accumulate);
                break;
            case GemmPath.Avx2:
                GemmDriver<T, GemmKernelAvx2<T>>.Run(transA, m, a, aOffset, b, c, cOffset, accumulate);
                break;
            default:
                GemmDriver<T, GemmKernelScalar<T>>.Run(transA, m, a, aOffset, b, c, cOffset, accumulate);
                break;
        }
    }

    private static bool Prepare<T>(int m, int n, int k, T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, bool accumulate)
        where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckRange(a.Length, aOffset, m, k, nameof(a));
        CheckRange(b.Length, bOffset, k, n, nameof(b));
        CheckRange(c.Length, cOffset, m, n, nameof(c));
        if (m == 0 || n == 0)
            return false;
        if (k == 0)
        {
            if (!accumulate)
                Array.Clear(c, cOffset, m * n);
            return false;
        }
        return true;
    }

    private static void CheckRange(int length, int offset, int rows, int columns, string name)
    {
        long count = (long)rows * columns;
        if (offset < 0 || offset > length || count > length - offset)
            Throw(length, offset, rows, columns, name);

        static void Throw(int length, int offset, int rows, int columns, string name) =>
            throw new ArgumentException(
                $"GEMM operand {name} needs {(long)rows * columns} elements ({rows}×{columns}) from offset {offset}, but its array has {length}.", name);
    }
}
