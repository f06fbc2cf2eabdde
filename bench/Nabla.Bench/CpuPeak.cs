using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;

namespace Nabla.Bench;

/// <summary>
/// This CPU's Float32 FMA throughput, measured: the peak a GEMM can approach, against which the
/// benchmarks judge Nabla's GEMM and the anchors' health.
/// </summary>
/// <remarks>
/// <para>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- peak [--quick] [--json]</c>.
/// Each thread runs <see cref="Chains"/> independent chains <c>acc = acc·m + c</c> on the widest
/// vectors the CPU has (Vector512 with AVX-512F, else Vector256 with FMA, else Vector128); 1 and 2 threads
/// start together, and the figure is the best of several runs of about 100 ms.
/// </para>
/// <para>
/// The best run, not the median: the peak is what the hardware can do, and on a machine shared with
/// other processes a median falls with their load (a second core taken by another job halves the
/// 2-thread figure), which would make an anchor slowed by the same load look healthy against it.
/// </para>
/// <para>
/// A formula such as "threads × 2 FMA pipes × 16 lanes × 3.4 GHz" is right only for one CPU: an AVX2
/// CPU has 8 lanes, and clocks differ (and fall when both cores are busy). Twelve chains cover an FMA
/// latency of up to 6 cycles on 2 pipes, which is every current x64 core, and with the two
/// constants they fit the 16 vector registers of AVX2.
/// </para>
/// </remarks>
public static class CpuPeak
{
    /// <summary>Independent FMA chains per thread.</summary>
    public const int Chains = 12;

    private static readonly TimeSpan RunTime = TimeSpan.FromMilliseconds(100);

    /// <summary>The vector instructions the measurement uses: "AVX-512", "AVX2" or "Vector128".</summary>
    public static string Isa =>
        Avx512F.IsSupported ? "AVX-512" : Fma.IsSupported && Avx2.IsSupported ? "AVX2" : "Vector128";

    /// <summary>Float32 lanes per vector of <see cref="Isa"/>.</summary>
    public static int Lanes => Avx512F.IsSupported ? 16 : Fma.IsSupported && Avx2.IsSupported ? 8 : 4;

    /// <summary>Measures and prints a table, or one JSON line with <c>--json</c>.</summary>
    /// <param name="args"><c>--quick</c> takes fewer runs; <c>--json</c> prints one line. A leading <c>peak</c> is ignored.</param>
    public static void Run(string[] args)
    {
        int runs = 7;
        bool json = false;
        foreach (string arg in args)
        {
            switch (arg)
            {
                case "--quick": runs = 3; break;
                case "--json": json = true; break;
                default: throw new ArgumentException($"peak: unknown argument '{arg}'; expected --quick or --json.");
            }
        }

        int[] threadCounts = [1, 2];
        var gflops = threadCounts.ToDictionary(threads => threads, threads => Measure(threads, runs));
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["isa"] = Isa,
                ["lanes"] = Lanes,
                ["chains"] = Chains,
                ["runs"] = runs,
                ["gflops"] = gflops.ToDictionary(pair => pair.Key.ToString(CultureInfo.InvariantCulture), pair => Math.Round(pair.Value, 1)),
            }));
            return;
        }
        Console.WriteLine($"Float32 FMA peak: {Chains} independent chains per thread, {Isa} ({Lanes} lanes), best of {runs} runs of ~{RunTime.TotalMilliseconds:F0} ms");
        Console.WriteLine();
        Console.WriteLine($"{"threads",7} {"GFLOP/s",9} {"per thread",11}");
        foreach (var (threads, value) in gflops)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{threads,7} {value,9:F1} {value / threads,11:F1}"));
    }

    /// <summary>
    /// The best over <paramref name="runs"/> runs of the FLOP/s (in billions) that
    /// <paramref name="threads"/> threads reach together, each on its own set of chains.
    /// </summary>
    public static double Measure(int threads, int runs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        long iterations = Calibrate();
        double best = 0;
        for (int r = 0; r < runs; r++)
            best = Math.Max(best, threads * iterations * FlopsPerIteration / RunTogether(threads, iterations) / 1e9);
        return best;
    }

    private static double FlopsPerIteration => 2.0 * Chains * Lanes;

    /// <summary>Iterations that take about <see cref="RunTime"/> on one thread.</summary>
    private static long Calibrate()
    {
        long iterations = 1 << 16;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            Chain(iterations);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed >= RunTime / 4)
                return (long)(iterations * (RunTime / elapsed));
            iterations *= 4;
        }
    }

    /// <summary>
    /// Seconds from the first thread's start to the last one's end, with all threads released at
    /// once from a spin barrier, so the figure is what the cores reach together.
    /// </summary>
    private static double RunTogether(int threads, long iterations)
    {
        var starts = new long[threads];
        var ends = new long[threads];
        using var ready = new Barrier(threads);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                ready.SignalAndWait();
                starts[index] = Stopwatch.GetTimestamp();
                Sink = Chain(iterations);
                ends[index] = Stopwatch.GetTimestamp();
            });
            workers[t].Start();
        }
        foreach (var worker in workers) worker.Join();
        return (ends.Max() - starts.Min()) / (double)Stopwatch.Frequency;
    }

    /// <summary>Keeps the chains' result alive, so the JIT cannot drop the loop.</summary>
    private static float Sink { get; set; }

    private static float Chain(long iterations) =>
        Avx512F.IsSupported ? Chain<Fma512, Vector512<float>>(iterations)
        : Fma.IsSupported && Avx2.IsSupported ? Chain<Fma256, Vector256<float>>(iterations)
        : Chain<MultiplyAdd128, Vector128<float>>(iterations);

    /// <summary>
    /// <see cref="Chains"/> chains acc = acc·m + c, <paramref name="iterations"/> steps each. With m
    /// just below 1 the values converge to c / (1 − m) and stay normal (no denormal slow path).
    /// </summary>
    /// <remarks>Generic over a struct, so the JIT compiles one copy per vector type with the calls inlined.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chain<TOps, TVector>(long iterations) where TOps : struct, IVectorMultiplyAdd<TVector>
    {
        TVector m = TOps.Create(0.999f), c = TOps.Create(0.001f);
        TVector a0 = TOps.Create(1f), a1 = TOps.Create(2f), a2 = TOps.Create(3f), a3 = TOps.Create(4f);
        TVector a4 = TOps.Create(5f), a5 = TOps.Create(6f), a6 = TOps.Create(7f), a7 = TOps.Create(8f);
        TVector a8 = TOps.Create(9f), a9 = TOps.Create(10f), a10 = TOps.Create(11f), a11 = TOps.Create(12f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = TOps.MultiplyAdd(a0, m, c); a1 = TOps.MultiplyAdd(a1, m, c);
            a2 = TOps.MultiplyAdd(a2, m, c); a3 = TOps.MultiplyAdd(a3, m, c);
            a4 = TOps.MultiplyAdd(a4, m, c); a5 = TOps.MultiplyAdd(a5, m, c);
            a6 = TOps.MultiplyAdd(a6, m, c); a7 = TOps.MultiplyAdd(a7, m, c);
            a8 = TOps.MultiplyAdd(a8, m, c); a9 = TOps.MultiplyAdd(a9, m, c);
            a10 = TOps.MultiplyAdd(a10, m, c); a11 = TOps.MultiplyAdd(a11, m, c);
        }
        return TOps.Sum(a0) + TOps.Sum(a1) + TOps.Sum(a2) + TOps.Sum(a3) + TOps.Sum(a4) + TOps.Sum(a5)
            + TOps.Sum(a6) + TOps.Sum(a7) + TOps.Sum(a8) + TOps.Sum(a9) + TOps.Sum(a10) + TOps.Sum(a11);
    }

    /// <summary>The three operations the chains need on one vector type (.NET has no public interface over Vector128/256/512).</summary>
    private interface IVectorMultiplyAdd<TVector>
    {
        static abstract TVector Create(float value);
        static abstract TVector MultiplyAdd(TVector x, TVector m, TVector c);
        static abstract float Sum(TVector x);
    }

    private readonly struct Fma512 : IVectorMultiplyAdd<Vector512<float>>
    {
        public static Vector512<float> Create(float value) => Vector512.Create(value);
        public static Vector512<float> MultiplyAdd(Vector512<float> x, Vector512<float> m, Vector512<float> c) => Avx512F.FusedMultiplyAdd(x, m, c);
        public static float Sum(Vector512<float> x) => Vector512.Sum(x);
    }

    private readonly struct Fma256 : IVectorMultiplyAdd<Vector256<float>>
    {
        public static Vector256<float> Create(float value) => Vector256.Create(value);
        public static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> m, Vector256<float> c) => Fma.MultiplyAdd(x, m, c);
        public static float Sum(Vector256<float> x) => Vector256.Sum(x);
    }

    /// <summary>
    /// Where neither AVX2+FMA nor AVX-512 is there: MultiplyAddEstimate is one fused instruction where
    /// the CPU has one (Arm64's AdvSimd), else a multiply and an add, never the slow software
    /// emulation of an exact fused multiply-add.
    /// </summary>
    private readonly struct MultiplyAdd128 : IVectorMultiplyAdd<Vector128<float>>
    {
        public static Vector128<float> Create(float value) => Vector128.Create(value);
        public static Vector128<float> MultiplyAdd(Vector128<float> x, Vector128<float> m, Vector128<float> c) => Vector128.MultiplyAddEstimate(x, m, c);
        public static float Sum(Vector128<float> x) => Vector128.Sum(x);
    }
}
