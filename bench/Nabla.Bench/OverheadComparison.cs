using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// A plain runner for the eager per-op overhead (<see cref="EagerChain"/>), for side-by-side runs
/// with the PyTorch anchor (bench/compare.sh): median µs per op of forward + backward, forward
/// alone and backward alone, and the bytes allocated per op and per backward.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- overhead [--runs N] [--quick] [--json]</c>;
/// the thread count is <see cref="Parallelism.MaxDegreeOfParallelism"/>, i.e. <c>NABLA_NUM_THREADS</c>
/// (1-element tensors never split, so it should not matter; the runner shows that it does not).
/// </remarks>
public static class OverheadComparison
{
    /// <summary>Runs the measurement and prints a short table, or one JSON line with <c>--json</c>.</summary>
    public static void Run(string[] args)
    {
        int runs = 15;
        bool json = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--quick":
                    runs = 5;
                    break;
                case "--json":
                    json = true;
                    break;
                default:
                    throw new ArgumentException($"overhead: unknown argument '{args[i]}'; expected --runs N, --quick or --json.");
            }
        }

        // Reach the optimised (tier-1) code before timing, as a Python loop is warm by its first timed run.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(1)) OneChain();

        int chainsPerRun = Calibrate();
        var total = new double[runs];
        var forward = new double[runs];
        var backward = new double[runs];
        for (int r = 0; r < runs; r++)
            (total[r], forward[r], backward[r]) = TimeRun(chainsPerRun);
        var (forwardBytes, backwardBytes) = MeasureAllocations();

        double usPerOp = Median(total) / EagerChain.Ops * 1e6;
        var result = new Dictionary<string, object>
        {
            ["system"] = $"Nabla {typeof(Tensor).Assembly.GetName().Version?.ToString(3)}",
            ["threads"] = Parallelism.MaxDegreeOfParallelism,
            ["eager_op_us_fwd_bwd_1elem"] = Math.Round(usPerOp, 4),
            ["forward_us_per_op"] = Math.Round(Median(forward) / EagerChain.Ops * 1e6, 4),
            ["backward_us_per_op"] = Math.Round(Median(backward) / EagerChain.Ops * 1e6, 4),
            ["forward_bytes_per_op"] = Math.Round((double)forwardBytes / EagerChain.Ops, 1),
            ["backward_bytes_per_op"] = Math.Round((double)backwardBytes / EagerChain.Ops, 1),
            ["backward_bytes"] = backwardBytes,
            ["runs"] = runs,
            ["chains_per_run"] = chainsPerRun,
        };
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result));
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"Eager per-op overhead: {EagerChain.Length} × (y*1.0001 + 0.0001) on a 1-element tensor, forward + backward");
        Console.WriteLine($"threads {Parallelism.MaxDegreeOfParallelism}; median of {runs} runs of {chainsPerRun} chains; per op = per chain / {EagerChain.Ops}");
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"{"",-20} {"µs/op",8} {"B/op",8}"));
        Console.WriteLine(string.Create(inv, $"{"forward + backward",-20} {usPerOp,8:F3} {(double)(forwardBytes + backwardBytes) / EagerChain.Ops,8:F1}"));
        Console.WriteLine(string.Create(inv, $"{"forward",-20} {result["forward_us_per_op"],8:F3} {result["forward_bytes_per_op"],8:F1}"));
        Console.WriteLine(string.Create(inv, $"{"backward",-20} {result["backward_us_per_op"],8:F3} {result["backward_bytes_per_op"],8:F1}"));
        Console.WriteLine(string.Create(inv, $"allocated per backward of the whole chain: {backwardBytes:N0} bytes"));
    }

    private static void OneChain()
    {
        var x = EagerChain.Leaf();
        EagerChain.Forward(x).Backward();
    }

    /// <summary>How many chains make a run of about 50 ms.</summary>
    private static int Calibrate()
    {
        var clock = Stopwatch.StartNew();
        int chains = 0;
        while (clock.ElapsedMilliseconds < 100 || chains < 3)
        {
            OneChain();
            chains++;
        }
        return Math.Max(3, (int)(chains * 0.05 / clock.Elapsed.TotalSeconds));
    }

    /// <summary>Seconds per chain: forward + backward, and the two parts timed separately within the same chains.</summary>
    private static (double Total, double Forward, double Backward) TimeRun(int chains)
    {
        long forwardTicks = 0, backwardTicks = 0;
        for (int c = 0; c < chains; c++)
        {
            var x = EagerChain.Leaf();
            long t0 = Stopwatch.GetTimestamp();
            var y = EagerChain.Forward(x);
            long t1 = Stopwatch.GetTimestamp();
            y.Backward();
            long t2 = Stopwatch.GetTimestamp();
            forwardTicks += t1 - t0;
            backwardTicks += t2 - t1;
        }
        double toSeconds(long ticks) => (double)ticks / Stopwatch.Frequency / chains;
        return (toSeconds(forwardTicks + backwardTicks), toSeconds(forwardTicks), toSeconds(backwardTicks));
    }

    /// <summary>Bytes allocated by one forward chain and by its backward pass (exact: this thread does all the work).</summary>
    private static (long Forward, long Backward) MeasureAllocations()
    {
        const int Chains = 20;
        long forward = 0, backward = 0;
        for (int c = 0; c < Chains; c++)
        {
            var x = EagerChain.Leaf();
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            var y = EagerChain.Forward(x);
            long a1 = GC.GetAllocatedBytesForCurrentThread();
            y.Backward();
            long a2 = GC.GetAllocatedBytesForCurrentThread();
            forward += a1 - a0;
            backward += a2 - a1;
        }
        return (forward / Chains, backward / Chains);
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
