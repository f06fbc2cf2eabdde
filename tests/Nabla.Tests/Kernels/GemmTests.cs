using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// <see cref="Gemm"/> against a plain triple loop summed in double: every transpose combination,
/// with and without accumulation, on shapes chosen around the micro-tiles (12×32, 6×16, 4×4), the
/// k-blocks (512 / 256) and the L2 column chunks, with non-zero offsets, for Float32 and Float64.
/// </summary>
/// <remarks>
/// The same tests run in CI with <c>DOTNET_EnableAVX512=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c>,
/// so each kernel family is checked through the public entry point; the fallback kernels are also
/// driven directly here, so they are covered on an AVX-512 machine too.
/// </remarks>
public class GemmTests
{
    private const int AOffset = 3, BOffset = 5, COffset = 7;
    private const float SentinelF = 12345.5f;
    private const double SentinelD = -6789.25;

    /// <summary>(m, n, k) shapes: empty, tiny, primes, tall and skinny, and the block edges.</summary>
    public static readonly (int M, int N, int K)[] Shapes =
    [
        (0, 0, 0), (0, 5, 7), (5, 0, 7), (5, 7, 0), (1, 1, 1), (1, 1, 5), (2, 3, 4),
        (13, 17, 19), (97, 101, 103),
        (1000, 1, 3), (3, 5, 1000), (1, 300, 40), (300, 1, 40),
        (1, 17, 33), (1, 129, 7), (67, 1, 35), (131, 1, 16), (1, 1, 70),
        (11, 31, 8), (12, 32, 8), (13, 33, 9), (23, 15, 16), (24, 16, 17), (25, 17, 31),
        (5, 63, 7), (6, 64, 33), (7, 65, 65), (3, 4, 5), (4, 4, 4), (5, 5, 5),
        (12, 32, 511), (12, 32, 512), (13, 33, 513), (7, 9, 1100),
        (36, 257, 64), (37, 300, 24),
        (64, 256, 100), (130, 200, 90),
    ];

    public static TheoryData<int, int, int, bool, bool, bool> Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool, bool>();
        foreach (var (m, n, k) in Shapes)
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    foreach (bool accumulate in new[] { false, true })
                        data.Add(m, n, k, transA, transB, accumulate);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_MatchesReference(int m, int n, int k, bool transA, bool transB, bool accumulate)
    {
        var (a, b, c) = RandomF(m, n, k, seed: m * 1_000_003 + n * 1009 + k);
        float[] c0 = (float[])c.Clone();
        Gemm.Multiply(transA, transB, m, n, k, a, AOffset, b, BOffset, c, COffset, accumulate);
        CheckF(m, n, k, transA, transB, accumulate, a, b, c0, c);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float64_MatchesReference(int m, int n, int k, bool transA, bool transB, bool accumulate)
    {
        var (a, b, c) = RandomD(m, n, k, seed: m * 1_000_003 + n * 1009 + k + 1);
        double[] c0 = (double[])c.Clone();
        Gemm.Multiply(transA, transB, m, n, k, a, AOffset, b, BOffset, c, COffset, accumulate);
        CheckD(m, n, k, transA, transB, accumulate, a, b, c0, c);
    }

    /// <summary>Large enough to be cut into several pieces and k-blocks, so the threaded path is checked too.</summary>
    [Theory]
    [InlineData(200, 300, 130)]
    [InlineData(64, 784, 256)]
    [InlineData(161, 97, 1030)]
    public void LargeShapes_MatchReference_AllTransposes(int m, int n, int k)
    {
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
            {
                var (a, b, c) = RandomF(m, n, k, seed: 7);
                float[] c0 = (float[])c.Clone();
                Gemm.Multiply(transA, transB, m, n, k, a, AOffset, b, BOffset, c, COffset, accumulate: true);
                CheckF(m, n, k, transA, transB, true, a, b, c0, c);

                var (ad, bd, cd) = RandomD(m, n, k, seed: 8);
                double[] cd0 = (double[])cd.Clone();
                Gemm.Multiply(transA, transB, m, n, k, ad, AOffset, bd, BOffset, cd, COffset, accumulate: false);
                CheckD(m, n, k, transA, transB, false, ad, bd, cd0, cd);
            }
    }

    /// <summary>Each kernel family the machine can run, driven directly: the fallbacks are tested even where AVX-512 is active.</summary>
    [Theory]
    [InlineData(nameof(GemmPath.Scalar))]
    [InlineData(nameof(GemmPath.Avx2))]
    [InlineData(nameof(GemmPath.Avx512))]
    public void EveryKernelFamily_MatchesReference(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        bool available = path switch
        {
            GemmPath.Avx512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported,
            GemmPath.Avx2 => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported,
            _ => true,
        };
        if (!available)
            return;
        (int, int, int)[] shapes = [(1, 1, 1), (13, 17, 19), (4, 16, 6), (6, 17, 257), (25, 65, 600), (97, 101, 103), (150, 140, 120)];
        foreach (var (m, n, k) in shapes)
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    foreach (bool accumulate in new[] { false, true })
                    {
                        var (a, b, c) = RandomF(m, n, k, seed: m + n + k);
                        float[] c0 = (float[])c.Clone();
                        RunWith(path, transA, transB, m, n, k, a, b, c, accumulate);
                        CheckF(m, n, k, transA, transB, accumulate, a, b, c0, c);

                        var (ad, bd, cd) = RandomD(m, n, k, seed: m + n + k + 1);
                        double[] cd0 = (double[])cd.Clone();
                        RunWith(path, transA, transB, m, n, k, ad, bd, cd, accumulate);
                        CheckD(m, n, k, transA, transB, accumulate, ad, bd, cd0, cd);
                    }
    }

    [Fact]
    public void ActivePath_MatchesWhatTheRuntimeReports()
    {
        GemmPath expected =
            Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmPath.Avx512
            : Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported ? GemmPath.Avx2
            : GemmPath.Scalar;
        Assert.Equal(expected, Gemm.ActivePath);

        // The switches the CI runs use. (.NET 10 spells the AVX-512 one DOTNET_EnableAVX512;
        // the older DOTNET_EnableAVX512F is no longer read, so it proves nothing here.)
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
            Assert.Equal(GemmPath.Scalar, Gemm.ActivePath);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
            Assert.NotEqual(GemmPath.Avx512, Gemm.ActivePath);
    }

    [Fact]
    public void ZeroK_ClearsC_OrLeavesItWhenAccumulating()
    {
        float[] a = [], b = [];
        float[] c = [9, 1, 2, 3, 4, 5, 6, 9];
        Gemm.Multiply(false, false, 2, 3, 0, a, 0, b, 0, c, 1, accumulate: true);
        Assert.Equal([9f, 1, 2, 3, 4, 5, 6, 9], c);
        Gemm.Multiply(false, false, 2, 3, 0, a, 0, b, 0, c, 1, accumulate: false);
        Assert.Equal([9f, 0, 0, 0, 0, 0, 0, 9], c);
    }

    [Fact]
    public void NonFiniteValues_StayInTheirOwnRowsAndColumns()
    {
        // Zero-padded panel lanes multiply these too (0·∞ = NaN); none of that may reach C.
        const int m = 13, n = 33, k = 5;
        var a = new float[m * k];
        var b = new float[k * n];
        Array.Fill(a, 1f);
        Array.Fill(b, 1f);
        a[12 * k + 2] = float.PositiveInfinity; // row 12, the one row of the last micro-panel
        b[3 * n + 32] = float.NaN;              // column 32, the one column of the last panel
        var c = new float[m * n];
        Gemm.Multiply(false, false, m, n, k, a, 0, b, 0, c, 0, accumulate: false);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float v = c[i * n + j];
                if (j == 32)
                    Assert.True(float.IsNaN(v), $"C[{i},{j}] = {v}");
                else if (i == 12)
                    Assert.Equal(float.PositiveInfinity, v);
                else
                    Assert.Equal(k, v);
            }
    }

    [Fact]
    public void BadArguments_AreRejectedWithTheOperandNamed()
    {
        var small = new float[5];
        var big = new float[100];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 3, 4, small, 0, big, 0, big, 0, false));
        Assert.Equal("a", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 3, 4, big, 0, big, 90, big, 0, false));
        Assert.Equal("b", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 3, 4, big, 0, big, 0, big, -1, false));
        Assert.Equal("c", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 3, 4, big, 0, big, 0, big, 0, false));
        Assert.Throws<ArgumentNullException>(() => Gemm.Multiply(false, false, 1, 1, 1, null!, 0, big, 0, big, 0, false));
    }

    [Fact]
    public void RepeatedCalls_GiveTheSameBits()
    {
        // Pooled packing buffers are reused: stale panels from an earlier call must never leak in.
        var (a, b, c) = RandomF(70, 90, 600, seed: 3);
        var first = new float[c.Length];
        Gemm.Multiply(true, false, 70, 90, 600, a, AOffset, b, BOffset, first, COffset, false);
        var (a2, b2, _) = RandomF(70, 90, 600, seed: 4);
        Gemm.Multiply(true, false, 70, 90, 600, a2, AOffset, b2, BOffset, c, COffset, false);
        var second = new float[c.Length];
        Gemm.Multiply(true, false, 70, 90, 600, a, AOffset, b, BOffset, second, COffset, false);
        Assert.Equal(first, second);
    }

    internal static void RunWith(GemmPath path, bool transA, bool transB, int m, int n, int k, float[] a, float[] b, float[] c, bool accumulate)
    {
        if (m == 0 || n == 0 || k == 0)
            return;
        switch (path)
        {
            case GemmPath.Avx512: GemmDriver<float, GemmKernelAvx512<float>>.Run(transA, transB, m, n, k, a, AOffset, b, BOffset, c, COffset, accumulate); break;
            case GemmPath.Avx2: GemmDriver<float, GemmKernelAvx2<float>>.Run(transA, transB, m, n, k, a, AOffset, b, BOffset, c, COffset, accumulate); break;
            default: GemmDriver<float, GemmKernelScalar<float>>.Run(transA, transB, m, n, k, a, AOffset, b, BOffset, c, COffset, accumulate); break;
        }
    }

    internal static void RunWith(GemmPath path, bool transA, bool transB, int m, int n, int k, double[] a, double[] b, double[] c, bool accumulate)
    {
        if (m == 0 || n == 0 || k == 0)
            return;
        switch (path)
        {
            case GemmPath.Avx512: GemmDriver<double, GemmKernelAvx512<double>>.Run(transA, transB, m, n, k, a, AOffset, b, BOffset, c, COffset, accumulate); break;
            case GemmPath.Avx2: GemmDriver<double, GemmKernelAvx2<double>>.Run(transA, transB, m, n, k, a, AOffset, b, BOffset, c, COffset, accumulate); break;
            default: GemmDriver<double, GemmKernelScalar<double>>.Run(transA, transB, m, n, k, a, AOffset, b, BOffset, c, COffset, accumulate); break;
        }
    }

    /// <summary>Operands in [-1, 1) at the test offsets; C has a sentinel border that must survive.</summary>
    internal static (float[] A, float[] B, float[] C) RandomF(int m, int n, int k, int seed)
    {
        var random = new Random(seed);
        var a = new float[AOffset + m * k + 2];
        var b = new float[BOffset + k * n + 2];
        var c = new float[COffset + m * n + 3];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() * 2 - 1);
        for (int i = 0; i < b.Length; i++) b[i] = (float)(random.NextDouble() * 2 - 1);
        Array.Fill(c, SentinelF);
        for (int i = 0; i < m * n; i++) c[COffset + i] = (float)(random.NextDouble() * 2 - 1);
        return (a, b, c);
    }

    internal static (double[] A, double[] B, double[] C) RandomD(int m, int n, int k, int seed)
    {
        var random = new Random(seed);
        var a = new double[AOffset + m * k + 2];
        var b = new double[BOffset + k * n + 2];
        var c = new double[COffset + m * n + 3];
        for (int i = 0; i < a.Length; i++) a[i] = random.NextDouble() * 2 - 1;
        for (int i = 0; i < b.Length; i++) b[i] = random.NextDouble() * 2 - 1;
        Array.Fill(c, SentinelD);
        for (int i = 0; i < m * n; i++) c[COffset + i] = random.NextDouble() * 2 - 1;
        return (a, b, c);
    }

    private static void CheckF(int m, int n, int k, bool transA, bool transB, bool accumulate, float[] a, float[] b, float[] c0, float[] c)
    {
        Check(m, n, k, transA, transB, accumulate,
            i => a[i], i => b[i], i => c0[i], i => c[i], c.Length, SentinelF, Math.Pow(2, -23));
    }

    private static void CheckD(int m, int n, int k, bool transA, bool transB, bool accumulate, double[] a, double[] b, double[] c0, double[] c)
    {
        Check(m, n, k, transA, transB, accumulate,
            i => a[i], i => b[i], i => c0[i], i => c[i], c.Length, SentinelD, Math.Pow(2, -52));
    }

    /// <summary>
    /// Compares with Σₚ op(A)[i,p]·op(B)[p,j] (+ C₀) summed in double. The allowed error is the
    /// classic bound for a length-k sum, (k + 2)·ε·(Σ|a·b| + |C₀|), so it scales with both k and
    /// the magnitude of the terms.
    /// </summary>
    private static void Check(int m, int n, int k, bool transA, bool transB, bool accumulate,
        Func<int, double> a, Func<int, double> b, Func<int, double> c0, Func<int, double> c, int cLength, double sentinel, double eps)
    {
        for (int i = 0; i < COffset; i++)
            Assert.Equal(sentinel, c(i));
        for (int i = COffset + m * n; i < cLength; i++)
            Assert.Equal(sentinel, c(i));
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = a(AOffset + (transA ? p * m + i : i * k + p));
                    double y = b(BOffset + (transB ? j * k + p : p * n + j));
                    sum += x * y;
                    magnitude += Math.Abs(x * y);
                }
                int at = COffset + i * n + j;
                if (accumulate)
                {
                    sum += c0(at);
                    magnitude += Math.Abs(c0(at));
                }
                double tolerance = (k + 2) * eps * magnitude + 1e-300;
                double actual = c(at);
                if (!(Math.Abs(actual - sum) <= tolerance))
                    Assert.Fail($"C[{i},{j}] = {actual}, expected {sum} ± {tolerance} (m={m} n={n} k={k} transA={transA} transB={transB} accumulate={accumulate})");
            }
    }
}

/// <summary>
/// The same product at 1, 2 and 3 threads is bit-identical: threads split output tiles only,
/// never k, and a C element's value does not depend on the tile that holds it.
/// </summary>
[Collection("Parallelism")]
public class GemmDeterminismTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 300, 200, 600 },
        { 64, 784, 256 },
        { 64, 256, 784 },
        { 256, 784, 64 },
        { 301, 150, 1100 },
        { 1, 3000, 900 },
        { 3000, 1, 900 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float32_IsBitIdenticalAcrossThreadCounts(int m, int n, int k)
    {
        var (mr, nr) = Gemm.ActivePath switch
        {
            GemmPath.Avx512 => (12, 32),
            GemmPath.Avx2 => (6, 16),
            _ => (4, 4),
        };
        if (m > 1 && n > 1)
            Assert.True(new GemmBlocking(m, n, k, mr, nr, sizeof(float)).Pieces > 1, "the shape should be cut into several pieces");
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
            {
                var (a, b, c) = GemmTests.RandomF(m, n, k, seed: 11);
                float[] Run(int threads) => ParallelismCollection.AtThreads(threads, () =>
                {
                    float[] result = (float[])c.Clone();
                    Gemm.Multiply(transA, transB, m, n, k, a, 3, b, 5, result, 7, accumulate: true);
                    return result;
                });
                int[] one = Bits(Run(1));
                Assert.Equal(one, Bits(Run(2)));
                Assert.Equal(one, Bits(Run(3)));
            }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float64_IsBitIdenticalAcrossThreadCounts(int m, int n, int k)
    {
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
            {
                var (a, b, c) = GemmTests.RandomD(m, n, k, seed: 12);
                double[] Run(int threads) => ParallelismCollection.AtThreads(threads, () =>
                {
                    double[] result = (double[])c.Clone();
                    Gemm.Multiply(transA, transB, m, n, k, a, 3, b, 5, result, 7, accumulate: false);
                    return result;
                });
                long[] one = Bits(Run(1));
                Assert.Equal(one, Bits(Run(2)));
                Assert.Equal(one, Bits(Run(3)));
            }
    }

    /// <summary>A problem too big for one pass runs its k-blocks in several passes, with the same bits.</summary>
    [Fact]
    public void SeveralPasses_GiveTheSameBitsAsOne()
    {
        const int m = 150, n = 70, k = 1500;
        var (a, b, c) = GemmTests.RandomF(m, n, k, seed: 21);
        float[] Run()
        {
            float[] result = (float[])c.Clone();
            Gemm.Multiply(false, true, m, n, k, a, 3, b, 5, result, 7, accumulate: true);
            return result;
        }

        int[] onePass = Bits(Run());
        long saved = GemmBlocking.PassBytes;
        try
        {
            GemmBlocking.PassBytes = 1; // one k-block per pass
            Assert.True(new GemmBlocking(m, n, k, 12, 32, sizeof(float)).BlocksPerPass == 1);
            Assert.Equal(onePass, Bits(ParallelismCollection.AtThreads(1, Run)));
            Assert.Equal(onePass, Bits(ParallelismCollection.AtThreads(2, Run)));
        }
        finally
        {
            GemmBlocking.PassBytes = saved;
        }
    }

    /// <summary>
    /// With no patience for a panel another thread is packing, threads pack their own copies of
    /// contested panels (what a descheduled packer makes them do); the bits stay the same.
    /// </summary>
    [Theory]
    [InlineData(300, 200, 600)]
    [InlineData(64, 784, 256)]
    [InlineData(301, 150, 1100)]
    public void OwnCopiesOfContestedPanels_GiveTheSameBits(int m, int n, int k)
    {
        var (a, b, c) = GemmTests.RandomF(m, n, k, seed: 31);
        float[] Run(int threads, bool transA, bool transB) => ParallelismCollection.AtThreads(threads, () =>
        {
            float[] result = (float[])c.Clone();
            Gemm.Multiply(transA, transB, m, n, k, a, 3, b, 5, result, 7, accumulate: true);
            return result;
        });
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
            {
                int[] alone = Bits(Run(1, transA, transB));
                long saved = GemmPanelWait.Ticks;
                try
                {
                    GemmPanelWait.Ticks = 0;
                    for (int repeat = 0; repeat < 20; repeat++)
                        Assert.Equal(alone, Bits(Run(3, transA, transB)));
                }
                finally
                {
                    GemmPanelWait.Ticks = saved;
                }
            }
    }

    internal static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    internal static long[] Bits(double[] values) => Array.ConvertAll(values, BitConverter.DoubleToInt64Bits);
}
