using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// A plain runner for the anchors' training workloads (bench/compare-train.sh): MLP samples/s at
/// batch 64 and 256, its test accuracy after 5 epochs at batch 64, CNN samples/s at batch 64, the
/// bytes allocated per training step and the peak working set.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- train [--quick] [--json] [--runs N] [--data DIR]</c>.
/// Each figure is the median of N runs (3 by default) of one epoch of 60,000 shuffled samples, each on a
/// fresh model; the MLP's 5-epoch accuracy is the mean over the seeds 0 … N − 1. <c>--quick</c> trains on
/// 6,400 samples per epoch, as the anchors' <c>--quick</c>, and skips the 5-epoch accuracy. The thread count is <see cref="Parallelism.MaxDegreeOfParallelism"/>
/// (<c>NABLA_NUM_THREADS</c>). Each workload first trains for a few seconds, so the JIT has
/// settled on its final code, as a Python process is warm by its first timed step.
/// </remarks>
public static class TrainingComparison
{
    private const int TrainingSamples = 60_000, QuickSamples = 6_400;

    /// <summary>Runs the measurement and prints a short table, or one JSON line with <c>--json</c>.</summary>
    public static void Run(string[] args)
    {
        var (runs, data, quick, json) = RunnerOptions.Parse("train", args);

        var fashion = FashionMnist.Load(data);
        int samples = quick ? QuickSamples : TrainingSamples;
        var mlp = TrainingWorkload.Mlp(fashion);
        var cnn = TrainingWorkload.Cnn(fashion);
        WarmUp(() => mlp.Train(mlp.NewModel(99), 64, 1, 1_280, 99));
        var mlp64 = Median(runs, r => mlp.Train(mlp.NewModel((ulong)r), 64, 1, samples, (ulong)r));
        WarmUp(() => mlp.Train(mlp.NewModel(99), 256, 1, 1_280, 99));
        var mlp256 = Median(runs, r => mlp.Train(mlp.NewModel((ulong)r), 256, 1, samples, (ulong)r));
        // One seed's 5-epoch accuracy moves by about half a point, the size of the tolerance it is judged
        // by, so it is measured for the seeds 0 … runs − 1 and reported as their mean and each one.
        double[]? accuracies = quick ? null : [.. Enumerable.Range(0, runs).Select(seed =>
        {
            var model = mlp.NewModel((ulong)seed);
            mlp.Train(model, 64, 5, samples, (ulong)seed);
            return mlp.TestAccuracy(model);
        })];
        WarmUp(() => cnn.Train(cnn.NewModel(99), 64, 1, 256, 99));
        var cnnModel = cnn.NewModel(0);
        var cnn64 = Median(runs, r => cnn.Train(r == 0 ? cnnModel : cnn.NewModel((ulong)r), 64, 1, samples, (ulong)r));
        double cnnAccuracy = cnn.TestAccuracy(cnnModel);
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;

        var result = new Dictionary<string, object>
        {
            ["system"] = $"Nabla {typeof(Tensor).Assembly.GetName().Version?.ToString(3)}",
            ["threads"] = Parallelism.MaxDegreeOfParallelism,
            ["runs"] = runs,
            ["samples_per_epoch"] = samples,
            ["mlp_b64_samples_per_s"] = Math.Round(mlp64.SamplesPerSecond),
            ["mlp_b256_samples_per_s"] = Math.Round(mlp256.SamplesPerSecond),
            ["cnn_b64_samples_per_s"] = Math.Round(cnn64.SamplesPerSecond),
            ["cnn_1ep_test_acc"] = Math.Round(cnnAccuracy, 4),
            ["mlp_b64_thread_bytes_per_step"] = Math.Round(mlp64.ThreadBytesPerStep),
            ["mlp_b64_total_bytes_per_step"] = Math.Round(mlp64.TotalBytesPerStep),
            ["mlp_b256_thread_bytes_per_step"] = Math.Round(mlp256.ThreadBytesPerStep),
            ["mlp_b256_total_bytes_per_step"] = Math.Round(mlp256.TotalBytesPerStep),
            ["cnn_b64_thread_bytes_per_step"] = Math.Round(cnn64.ThreadBytesPerStep),
            ["cnn_b64_total_bytes_per_step"] = Math.Round(cnn64.TotalBytesPerStep),
            ["mlp_b64_gen0_gen1_gen2"] = new[] { mlp64.Gen0, mlp64.Gen1, mlp64.Gen2 },
            ["cnn_b64_gen0_gen1_gen2"] = new[] { cnn64.Gen0, cnn64.Gen1, cnn64.Gen2 },
            ["peak_working_set_mb"] = Math.Round(peak / 1048576.0, 1),
        };
        if (accuracies is not null)
        {
            result["mlp_b64_5ep_test_acc"] = Math.Round(accuracies.Average(), 4);
            result["mlp_b64_5ep_test_acc_seeds"] = accuracies.Select(acc => Math.Round(acc, 4)).ToArray();
        }
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result));
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"Training on Fashion-MNIST, Adam lr 1e-3, cross-entropy; threads {Parallelism.MaxDegreeOfParallelism}; median of {runs} epochs of {samples:N0} samples");
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"{"workload",-16} {"samples/s",10} {"B/step (thread)",16} {"B/step (all)",13} {"GC gen0/1/2",12}"));
        Print("MLP batch 64", mlp64);
        Print("MLP batch 256", mlp256);
        Print("CNN batch 64", cnn64);
        Console.WriteLine();
        if (accuracies is not null)
            Console.WriteLine(string.Create(inv, $"MLP batch 64, test accuracy after 5 epochs: {accuracies.Average():F4} (mean of seeds 0 to {runs - 1}: {string.Join(", ", accuracies.Select(acc => acc.ToString("F4", inv)))})"));
        Console.WriteLine(string.Create(inv, $"CNN batch 64, test accuracy after 1 epoch: {cnnAccuracy:F4}"));
        Console.WriteLine(string.Create(inv, $"peak working set: {peak / 1048576.0:F1} MiB"));

        void Print(string name, TrainingWorkload.Measurement m) => Console.WriteLine(string.Create(inv,
            $"{name,-16} {m.SamplesPerSecond,10:N0} {m.ThreadBytesPerStep,16:N0} {m.TotalBytesPerStep,13:N0} {$"{m.Gen0}/{m.Gen1}/{m.Gen2}",12}"));
    }

    /// <summary>
    /// Trains throwaway models of one workload for <see cref="WarmUpTime"/>, right before that
    /// workload is timed, so the timed runs see the code the JIT settles on.
    /// </summary>
    /// <remarks>
    /// Tiered compilation needs seconds, not one, to promote every hot method to its final code
    /// (call counting, an instrumented tier, then the optimised one, compiled on a background
    /// thread that competes with a second worker for a 2-core machine): the MLP's epoch kept
    /// getting faster for about 3 s, so a 1 s warm-up for all workloads together measured the
    /// 2-thread run before it was warm and made it look slower than the 1-thread run.
    /// </remarks>
    private static void WarmUp(Action round)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < WarmUpTime) round();
    }

    /// <summary>How long each workload trains before it is timed.</summary>
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(4);

    /// <summary>The run with the median time among <paramref name="runs"/> runs.</summary>
    private static TrainingWorkload.Measurement Median(int runs, Func<int, TrainingWorkload.Measurement> run)
    {
        var all = new TrainingWorkload.Measurement[runs];
        for (int r = 0; r < runs; r++) all[r] = run(r);
        Array.Sort(all, (x, y) => x.Seconds.CompareTo(y.Seconds));
        return all[runs / 2];
    }
}
