using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// A plain side-by-side of Nabla's Float32 GEMM and OpenBLAS's <c>cblas_sgemm</c>, for each shape
/// of <see cref="GemmShape.Standard"/> at 1 and 2 threads: GFLOP/s of each, their ratio, and
/// Nabla's fraction of this CPU's measured peak (<see cref="CpuPeak"/>).
/// </summary>
/// <remarks>
/// <para>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- gemm [--quick] [--nabla-only]
/// [--default-threads] [--json]</c>. <c>--nabla-only</c> leaves OpenBLAS out (its threads would
/// compete with Nabla's, as in bench/compare-train.sh's contended run); <c>--default-threads</c>
/// times only Nabla's configured thread count (<c>NABLA_NUM_THREADS</c>, else all cores) instead of
/// 1 and 2; <c>--json</c> prints one line instead of the table.
/// </para>
/// <para>
/// Timing: after a warm-up, each library is timed in batches of calls lasting ≥ 20 ms, the two
/// alternating batch by batch so that both see the same machine (on a shared or virtual machine
/// the speed of the second core comes and goes), with a pause after each batch so that neither
/// library's idle threads are still spinning while the other is timed; the median batch is
/// reported.
/// </para>
/// </remarks>
public static class GemmComparison
{
    private const int IdleMilliseconds = 150;

    /// <summary>Runs the comparison and prints the table (or one JSON line) to standard output.</summary>
    /// <param name="args"><c>--quick</c> takes fewer samples; <c>--nabla-only</c>, <c>--default-threads</c>
    /// and <c>--json</c> as in the remarks. A leading <c>gemm</c> is ignored.</param>
    public static void Run(string[] args)
    {
        int rounds = 11, peakRuns = 7;
        bool nablaOnly = false, json = false;
        int[] threadCounts = [1, 2];
        foreach (string arg in args)
        {
            switch (arg)
            {
                case "--quick": rounds = 5; peakRuns = 3; break;
                case "--nabla-only": nablaOnly = true; break;
                case "--default-threads": threadCounts = [Parallelism.MaxDegreeOfParallelism]; break;
                case "--json": json = true; break;
                default: throw new ArgumentException($"gemm: unknown argument '{arg}'; expected --quick, --nabla-only, --default-threads or --json.");
            }
        }

        bool openBlas = !nablaOnly && OpenBlas.IsAvailable;
        var peak = threadCounts.ToDictionary(threads => threads, threads => CpuPeak.Measure(threads, peakRuns));
        var rows = new List<Dictionary<string, object?>>();
        if (!json)
        {
            string without = nablaOnly ? " (--nabla-only)" : OpenBlas.IsAvailable ? "" : " (libopenblas.so.0 not found: Nabla only)";
            Console.WriteLine($"Nabla GEMM (Float32, {Gemm.ActivePath} kernels) vs OpenBLAS cblas_sgemm{without}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Peak = this CPU's measured Float32 FMA throughput ({CpuPeak.Isa}): {string.Join(", ", peak.Select(p => $"{p.Key} thread(s) {p.Value:F1} GFLOP/s"))}; median of {rounds} alternating batches"));
            Console.WriteLine();
            Console.WriteLine($"{"shape",-34} {"thr",3} {"Nabla GF/s",11} {"OpenBLAS GF/s",14} {"ratio",6} {"of peak",8} {"max |Δ|",9}");
        }

        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            foreach (GemmShape shape in GemmShape.Standard)
            {
                var random = new Random(1);
                float[] a = new float[shape.M * shape.K], b = new float[shape.K * shape.N];
                float[] c = new float[shape.M * shape.N], reference = new float[shape.M * shape.N];
                for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() * 2 - 1);
                for (int i = 0; i < b.Length; i++) b[i] = (float)(random.NextDouble() * 2 - 1);

                foreach (int threads in threadCounts)
                {
                    Parallelism.MaxDegreeOfParallelism = threads;
                    if (openBlas)
                        OpenBlas.SetThreads(threads);
                    Action nabla = () => Gemm.Multiply(shape.TransA, shape.TransB, shape.M, shape.N, shape.K, a, 0, b, 0, c, 0, accumulate: false);
                    Action? blas = openBlas ? () => OpenBlas.Sgemm(shape.TransA, shape.TransB, shape.M, shape.N, shape.K, a, b, reference) : null;
                    var (nablaSeconds, blasSeconds) = TimeAlternating(nabla, blas, rounds);

                    double nablaGflops = shape.Flops / nablaSeconds / 1e9;
                    double? blasGflops = blas is null ? null : shape.Flops / blasSeconds / 1e9;
                    rows.Add(new()
                    {
                        ["shape"] = shape.Name,
                        ["threads"] = threads,
                        ["nabla_gflops"] = Math.Round(nablaGflops, 1),
                        ["openblas_gflops"] = blasGflops is { } gflops ? Math.Round(gflops, 1) : null,
                        ["of_peak"] = Math.Round(nablaGflops / peak[threads], 3),
                    });
                    if (json)
                        continue;
                    string blasColumn = "-", ratioColumn = "-", deltaColumn = "-";
                    if (blasGflops is { } blasRate)
                    {
                        blasColumn = blasRate.ToString("F1", CultureInfo.InvariantCulture);
                        ratioColumn = (nablaGflops / blasRate).ToString("F2", CultureInfo.InvariantCulture);
                        deltaColumn = MaxDifference(c, reference).ToString("0.0e0", CultureInfo.InvariantCulture);
                    }
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{shape.Name,-34} {threads,3} {nablaGflops,11:F1} {blasColumn,14} {ratioColumn,6} {nablaGflops / peak[threads],8:P0} {deltaColumn,9}"));
                }
            }
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["path"] = Gemm.ActivePath.ToString(),
                ["peak_gflops"] = peak.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => Math.Round(p.Value, 1)),
                ["rows"] = rows,
            }));
        }
    }

    /// <summary>Median seconds per call of each action, timed in alternating batches.</summary>
    private static (double First, double Second) TimeAlternating(Action first, Action? second, int rounds)
    {
        int firstBatch = Calibrate(first), secondBatch = second is null ? 0 : Calibrate(second);
        // The pause after each batch is for OpenBLAS's spinning threads (see Batch); alone, Nabla
        // runs back to back, as in a training loop: a thread that has just slept gets a scheduler's
        // head start over a busy competitor, which would flatter the contended run's figures.
        bool pause = second is not null;
        var firstTimes = new double[rounds];
        var secondTimes = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            // Swap who goes first each round, so neither always follows the other's cache footprint.
            if (r % 2 == 0 || second is null)
            {
                firstTimes[r] = Batch(first, firstBatch, pause);
                if (second is not null) secondTimes[r] = Batch(second, secondBatch, pause);
            }
            else
            {
                secondTimes[r] = Batch(second, secondBatch, pause);
                firstTimes[r] = Batch(first, firstBatch, pause);
            }
        }
        return (Median(firstTimes), second is null ? double.NaN : Median(secondTimes));
    }

    /// <summary>Warms the action up and returns how many calls make a batch of about 20 ms.</summary>
    private static int Calibrate(Action action)
    {
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (clock.Elapsed.TotalMilliseconds < 200 || calls < 3)
        {
            action();
            calls++;
        }
        double perCall = clock.Elapsed.TotalSeconds / calls;
        return Math.Max(1, (int)(0.02 / perCall));
    }

    private static double Batch(Action action, int calls, bool pause)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) action();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
        // Let the library's idle threads stop spinning before the other one is timed: OpenBLAS's
        // workers busy-wait about 2^28 cycles (~80 ms) after a call, which would steal the second
        // core from whatever runs next.
        if (pause)
            Thread.Sleep(IdleMilliseconds);
        return seconds;
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    /// <summary>Largest |Nabla − OpenBLAS| over C: the two must compute the same product.</summary>
    private static double MaxDifference(float[] x, float[] y)
    {
        double max = 0;
        for (int i = 0; i < x.Length; i++) max = Math.Max(max, Math.Abs((double)x[i] - y[i]));
        return max;
    }
}
