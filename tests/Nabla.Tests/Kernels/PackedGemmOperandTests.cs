using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// A product with B packed beforehand (<see cref="Gemm.PackB{T}"/>) gives the same bits as the
/// plain <see cref="Gemm.Multiply(bool, bool, int, int, int, float[], int, float[], int, float[], int, bool)"/>
/// on B itself, and keeps doing so for every product it serves: every transpose, with and without
/// accumulation, around the micro-tiles and the k-blocks, at 1 and 2 threads, in several passes, for
/// each kernel family this machine has (the suite also runs with <c>DOTNET_EnableAVX512=0</c>).
/// </summary>
[Collection("Parallelism")]
public class PackedGemmOperandTests
{
    /// <summary>(m, n, k): one row or column of C, odd tiles, several k-blocks, the recurrent step (64 × 512 × 128), several pieces.</summary>
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 17, 33 }, { 13, 1, 19 }, { 2, 3, 4 }, { 13, 17, 19 }, { 7, 9, 1100 }, { 13, 33, 513 },
        { 25, 65, 600 }, { 64, 512, 128 }, { 64, 128, 512 }, { 300, 200, 600 }, { 64, 784, 256 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float32_PackedProduct_IsBitIdenticalToThePlainOne(int m, int n, int k)
    {
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                    foreach (int threads in new[] { 1, 2 })
                    {
                        var (a, b, c) = GemmTests.RandomF(m, n, k, seed: m + 7 * n + 31 * k);
                        var (a2, _, _) = GemmTests.RandomF(m, n, k, seed: m + 7 * n + 31 * k + 1);
                        ParallelismCollection.AtThreads(threads, () =>
                        {
                            using var packed = Gemm.PackB(transB, k, n, b, 5);
                            // Two products through one operand: the panels serve every call unchanged.
                            foreach (var left in new[] { a, a2 })
                            {
                                float[] plain = (float[])c.Clone(), fromPacked = (float[])c.Clone();
                                Gemm.Multiply(transA, transB, m, n, k, left, 3, b, 5, plain, 7, accumulate);
                                Gemm.Multiply(transA, m, left, 3, packed, fromPacked, 7, accumulate);
                                Assert.Equal(GemmDeterminismTests.Bits(plain), GemmDeterminismTests.Bits(fromPacked));
                            }
                            return 0;
                        });
                    }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float64_PackedProduct_IsBitIdenticalToThePlainOne(int m, int n, int k)
    {
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
                foreach (int threads in new[] { 1, 2 })
                {
                    var (a, b, c) = GemmTests.RandomD(m, n, k, seed: m + 5 * n + 17 * k);
                    ParallelismCollection.AtThreads(threads, () =>
                    {
                        using var packed = Gemm.PackB(transB, k, n, b, 5);
                        double[] plain = (double[])c.Clone(), fromPacked = (double[])c.Clone();
                        Gemm.Multiply(transA, transB, m, n, k, a, 3, b, 5, plain, 7, accumulate: true);
                        Gemm.Multiply(transA, m, a, 3, packed, fromPacked, 7, accumulate: true);
                        Assert.Equal(GemmDeterminismTests.Bits(plain), GemmDeterminismTests.Bits(fromPacked));
                        return 0;
                    });
                }
    }

    /// <summary>The kernels other than the active one, driven directly, so an AVX-512 machine checks the AVX2 and scalar layouts too.</summary>
    [Fact]
    public void EveryKernelFamily_PackedProduct_IsBitIdenticalToThePlainOne()
    {
        foreach (var (m, n, k) in new[] { (13, 17, 19), (25, 65, 600), (64, 512, 128) })
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                {
                    var (a, b, c) = GemmTests.RandomF(m, n, k, seed: 41);
                    CheckFamily<float, GemmKernelScalar<float>>(transA, transB, m, n, k, a, b, c, available: true);
                    CheckFamily<float, GemmKernelAvx2<float>>(transA, transB, m, n, k, a, b, c, Avx2Available);
                    CheckFamily<float, GemmKernelAvx512<float>>(transA, transB, m, n, k, a, b, c, Avx512Available);
                    var (ad, bd, cd) = GemmTests.RandomD(m, n, k, seed: 42);
                    CheckFamily<double, GemmKernelScalar<double>>(transA, transB, m, n, k, ad, bd, cd, available: true);
                    CheckFamily<double, GemmKernelAvx2<double>>(transA, transB, m, n, k, ad, bd, cd, Avx2Available);
                    CheckFamily<double, GemmKernelAvx512<double>>(transA, transB, m, n, k, ad, bd, cd, Avx512Available);
                }
    }

    /// <summary>A product too big for one pass reads the later passes' k-blocks from the packed operand too.</summary>
    [Fact]
    public void SeveralPasses_ReadTheRightKBlocks()
    {
        const int m = 150, n = 70, k = 1500;
        var (a, b, c) = GemmTests.RandomF(m, n, k, seed: 43);
        float[] plain = (float[])c.Clone();
        Gemm.Multiply(false, true, m, n, k, a, 3, b, 5, plain, 7, accumulate: true);
        long saved = GemmBlocking.PassBytes;
        try
        {
            GemmBlocking.PassBytes = 1; // one k-block per pass
            using var packed = Gemm.PackB(true, k, n, b, 5);
            foreach (int threads in new[] { 1, 2 })
            {
                float[] fromPacked = ParallelismCollection.AtThreads(threads, () =>
                {
                    float[] result = (float[])c.Clone();
                    Gemm.Multiply(false, m, a, 3, packed, result, 7, accumulate: true);
                    return result;
                });
                Assert.Equal(GemmDeterminismTests.Bits(plain), GemmDeterminismTests.Bits(fromPacked));
            }
        }
        finally
        {
            GemmBlocking.PassBytes = saved;
        }
    }

    [Fact]
    public void DisposedOperand_IsRefused()
    {
        var (a, b, c) = GemmTests.RandomF(8, 20, 9, seed: 44);
        var packed = Gemm.PackB(false, 9, 20, b, 5);
        packed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Gemm.Multiply(false, 8, a, 3, packed, c, 7, accumulate: false));
    }

    private static bool Avx2Available => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported;

    private static bool Avx512Available => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    private static void CheckFamily<T, TKernel>(bool transA, bool transB, int m, int n, int k, T[] a, T[] b, T[] c, bool available)
        where T : unmanaged, INumberBase<T>
        where TKernel : struct, IGemmKernel<T>
    {
        if (!available)
            return;
        T[] plain = (T[])c.Clone(), fromPacked = (T[])c.Clone();
        GemmDriver<T, TKernel>.Run(transA, transB, m, n, k, a, 3, b, 5, plain, 7, accumulate: true);
        using var packed = GemmDriver<T, TKernel>.PackB(transB, k, n, b, 5);
        GemmDriver<T, TKernel>.Run(transA, m, a, 3, packed, fromPacked, 7, accumulate: true);
        Assert.Equal(plain, fromPacked);
    }
}
