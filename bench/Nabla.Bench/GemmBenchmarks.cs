using BenchmarkDotNet.Attributes;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>One GEMM problem: C[m×n] = op(A)·op(B).</summary>
/// <param name="Name">How tables show it.</param>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">The summed dimension.</param>
/// <param name="TransA">A stored k×m.</param>
/// <param name="TransB">B stored n×k.</param>
public readonly record struct GemmShape(string Name, int M, int N, int K, bool TransA, bool TransB)
{
    /// <summary>Floating-point operations of one product (a multiply and an add per term).</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>
    /// Square sizes, then the products of one 784-256 dense layer at batch 64: forward x·Wᵀ,
    /// the weight gradient gᵀ·x and the input gradient g·W.
    /// </summary>
    public static IReadOnlyList<GemmShape> Standard { get; } =
    [
        new("256²", 256, 256, 256, false, false),
        new("512²", 512, 512, 512, false, false),
        new("1024²", 1024, 1024, 1024, false, false),
        new("2048²", 2048, 2048, 2048, false, false),
        new("MLP fwd x·Wᵀ 64×784·(256×784)ᵀ", 64, 256, 784, false, true),
        new("MLP gW gᵀ·x (64×256)ᵀ·64×784", 256, 784, 64, true, false),
        new("MLP gx g·W 64×256·256×784", 64, 784, 256, false, false),
    ];

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// Float32 GEMM throughput, Nabla against OpenBLAS, at 1 and 2 threads. GFLOP/s = 2mnk / time;
/// <see cref="GemmComparison"/> prints the same comparison as a plain table with GFLOP/s.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private int _savedThreads;

    /// <summary>The problem.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; }

    /// <summary>Threads for both libraries.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The shapes benchmarked.</summary>
    public static IEnumerable<GemmShape> Shapes => GemmShape.Standard;

    /// <summary>Random operands; both libraries set to <see cref="Threads"/> threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _a = new float[Shape.M * Shape.K];
        _b = new float[Shape.K * Shape.N];
        _c = new float[Shape.M * Shape.N];
        for (int i = 0; i < _a.Length; i++) _a[i] = (float)(random.NextDouble() * 2 - 1);
        for (int i = 0; i < _b.Length; i++) _b[i] = (float)(random.NextDouble() * 2 - 1);
        _savedThreads = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = Threads;
        if (OpenBlas.IsAvailable)
            OpenBlas.SetThreads(Threads);
    }

    /// <summary>Restores the thread setting.</summary>
    [GlobalCleanup]
    public void Cleanup() => Parallelism.MaxDegreeOfParallelism = _savedThreads;

    /// <summary>Nabla's blocked GEMM.</summary>
    [Benchmark]
    public void NablaGemm() => Gemm.Multiply(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, _a, 0, _b, 0, _c, 0, accumulate: false);

    /// <summary>OpenBLAS <c>cblas_sgemm</c> on the same arrays (skipped when the library is missing).</summary>
    [Benchmark(Baseline = true)]
    public void OpenBlasSgemm()
    {
        if (OpenBlas.IsAvailable)
            OpenBlas.Sgemm(Shape.TransA, Shape.TransB, Shape.M, Shape.N, Shape.K, _a, _b, _c);
    }
}
