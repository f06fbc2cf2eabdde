using System.Diagnostics;
using System.Globalization;
using Nabla.Estimators;
using Nabla.Kernels;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Bench;

/// <summary>
/// The (256, 128) <see cref="MlpClassifier"/> (Adam, batch 64, one epoch) against the same network
/// trained by hand on <see cref="Trainer"/> (Adam, cross-entropy, batch 64), in Float64 and Float32,
/// on Fashion-MNIST-like synthetic data: 784 pixels in [0, 1], ten classes, each image a class
/// prototype plus noise. Needs no data files, so it runs anywhere.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- mlp-estimator [--samples N] [--runs N]</c>.
/// Each figure is the median of the runs (5 by default) of one epoch over N samples (12,800 by
/// default) on a fresh model, after a warm-up fit; the estimator's figure is its whole <c>Fit</c>
/// (checks, conversion and all), the trainer's only <c>Trainer.Fit</c>. Also prints the samples
/// per second of process CPU time (steadier than the wall clock on a shared machine) and the bytes
/// allocated per training step on the training thread.
/// </remarks>
public static class MlpEstimatorThroughput
{
    private const int Features = 784, Classes = 10, BatchSize = 64;

    /// <summary>Runs the measurement and prints one line per workload.</summary>
    public static void Run(string[] args)
    {
        int samples = 12_800, runs = 5;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--samples" when i + 1 < args.Length: samples = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"mlp-estimator: unknown argument '{args[i]}'; expected --samples N or --runs N.");
            }
        }
        var (images, labels) = Synthetic(samples);
        Console.WriteLine($"MLP (256, 128), Adam, batch {BatchSize}, one epoch of {samples:N0} synthetic 784-pixel images; threads {Parallelism.MaxDegreeOfParallelism}; median of {runs}");
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
        {
            Report($"MlpClassifier {dtype}", samples, Measure(runs, samples, () => Estimator(images, labels, dtype)));
            Report($"NN + Trainer  {dtype}", samples, Measure(runs, samples, () => HandWritten(images, labels, dtype)));
        }
    }

    private static void Report(string what, int samples, (double Seconds, double CpuSeconds, double BytesPerStep) m) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {samples / m.Seconds,10:N0} samples/s, {samples / m.CpuSeconds,10:N0} samples per CPU-second, {m.BytesPerStep / 1024,8:N1} KB allocated a step"));

    /// <summary>
    /// The median wall-clock and process CPU time of <paramref name="runs"/> calls of <paramref name="fit"/>
    /// (after one warm-up call) and the median bytes a step. The CPU time (all threads, the garbage
    /// collector's included) is the steadier figure on a shared machine.
    /// </summary>
    private static (double Seconds, double CpuSeconds, double BytesPerStep) Measure(int runs, int samples, Action fit)
    {
        fit();
        var times = new double[runs];
        var cpu = new double[runs];
        var bytes = new double[runs];
        int steps = (samples + BatchSize - 1) / BatchSize;
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < runs; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            fit();
            times[r] = clock.Elapsed.TotalSeconds;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            bytes[r] = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        }
        Array.Sort(times);
        Array.Sort(cpu);
        Array.Sort(bytes);
        return (times[runs / 2], cpu[runs / 2], bytes[runs / 2]);
    }

    private static void Estimator(Tensor images, int[] labels, DType dtype) =>
        new MlpClassifier(hiddenLayerSizes: [256, 128], batchSize: BatchSize, maxIter: 1, randomState: 0, dtype: dtype).Fit(images, labels);

    private static void HandWritten(Tensor images, int[] labels, DType dtype)
    {
        var g = new Generator(0);
        var model = new Sequential(new Linear(Features, 256, generator: g, dtype: dtype), new ReLU(),
            new Linear(256, 128, generator: g, dtype: dtype), new ReLU(), new Linear(128, Classes, generator: g, dtype: dtype));
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 1e-3));
        trainer.Fit(new DataLoader(images.To(dtype), Tensor.FromArray(labels), BatchSize, shuffle: true, generator: g), epochs: 1);
    }

    /// <summary>Ten random prototype images; each sample is its class's prototype plus uniform noise, clipped to [0, 1].</summary>
    private static (Tensor Images, int[] Labels) Synthetic(int samples)
    {
        var g = new Generator(7);
        var prototypes = new float[Classes * Features];
        for (int i = 0; i < prototypes.Length; i++) prototypes[i] = (float)g.NextDouble();
        var pixels = new float[samples * Features];
        var labels = new int[samples];
        for (int s = 0; s < samples; s++)
        {
            labels[s] = g.NextInt(Classes);
            for (int j = 0; j < Features; j++)
                pixels[s * Features + j] = (float)Math.Clamp(prototypes[labels[s] * Features + j] + 0.6 * (g.NextDouble() - 0.5), 0, 1);
        }
        return (Tensor.FromArray(pixels, samples, Features), labels);
    }
}
