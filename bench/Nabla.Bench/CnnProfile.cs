using System.Diagnostics;
using System.Globalization;
using Nabla.Kernels;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

/// <summary>
/// One training step of the anchors' CNN (batch 64) cut into phases: each layer's forward, the
/// loss, the backward pass, the optimizer step; then the backward kernels alone at the same
/// shapes. Milliseconds and bytes allocated per step, at 1 and 2 threads, so a change can be
/// traced to the phase it moved.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- cnn-profile [--steps N] [--data DIR]</c>;
/// <c>mlp-profile [--batch N]</c> prints the same phases for the MLP 784-256-128-10 (batch 64 unless
/// given), without the convolution kernels.
/// </remarks>
public static class CnnProfile
{
    private const int BatchSize = 64;

    /// <summary>Prints the phase table for 1 and 2 threads, alternated twice in one process.</summary>
    public static void Run(string[] args) => Run(args, mlp: false);

    /// <summary>The phase table of the MLP's training step, for 1 and 2 threads alternated twice in one process.</summary>
    public static void RunMlp(string[] args) => Run(args, mlp: true);

    private static void Run(string[] args, bool mlp)
    {
        int steps = 40, batch = BatchSize;
        string? data = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--steps" when i + 1 < args.Length:
                    steps = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--data" when i + 1 < args.Length:
                    data = args[++i];
                    break;
                case "--batch" when mlp && i + 1 < args.Length:
                    batch = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException(mlp
                        ? $"mlp-profile: unknown argument '{args[i]}'; expected --steps N, --batch N or --data DIR."
                        : $"cnn-profile: unknown argument '{args[i]}'; expected --steps N or --data DIR.");
            }
        }
        var fashion = FashionMnist.Load(data);
        var images = fashion.TrainImages.Float32Data.AsSpan(0, batch * FashionMnist.Features).ToArray();
        var labels = fashion.TrainLabels.Int32Data.AsSpan(0, batch).ToArray();
        var x = new Tensor(images, mlp ? [batch, FashionMnist.Features] : [batch, 1, 28, 28], DType.Float32);
        var y = new Tensor(labels, [batch], DType.Int32);
        var workload = mlp ? TrainingWorkload.Mlp(null!) : TrainingWorkload.Cnn(null!);
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            foreach (int threads in new[] { 1, 2, 1, 2 })
            {
                Parallelism.MaxDegreeOfParallelism = threads;
                Console.WriteLine($"threads {threads}, {steps} steps, median ms and mean KB per step");
                Phases(workload.NewModel(0), x, y, steps);
                if (!mlp) Kernels(steps);
                Console.WriteLine();
            }
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    private static void Phases(Module model, Tensor x, Tensor y, int steps)
    {
        var layers = Stages(model.NamedChildren().Select(c => c.Value).ToArray());
        var optimizer = new Adam(model.Parameters(), learningRate: 1e-3);
        var loss = new CrossEntropyLoss();
        var names = layers.Select(l => "fwd " + l.Name).Concat(["loss", "backward", "step", "zero"]).ToArray();
        var (ms, bytes) = (new double[names.Length, steps], new long[names.Length]);
        var whole = new double[steps];
        for (int s = -5; s < steps; s++)
        {
            long stepStart = Stopwatch.GetTimestamp();
            int phase = 0;
            var h = x;
            foreach (var layer in layers) h = Time(s, phase++, () => layer.Forward(h));
            var l = Time(s, phase++, () => loss.Forward(h, y));
            Time(s, phase++, () => { l.Backward(); return l; });
            Time(s, phase++, () => { optimizer.Step(); return l; });
            Time(s, phase, () => { optimizer.ZeroGrad(setToNone: false); return l; });
            if (s >= 0) whole[s] = Stopwatch.GetElapsedTime(stepStart).TotalMilliseconds;
        }
        Print(names, ms, bytes, steps);
        // The mean counts the slow steps the medians leave out: a piece of a parallel loop whose
        // thread was descheduled on a busy machine holds up the whole step.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"whole step, median/mean",-24} {whole.Order().ElementAt(steps / 2),8:F3} / {whole.Average():F3} ms"));
        BackwardByLayer(layers, x, steps);

        Tensor Time(int step, int phase, Func<Tensor> body)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            var result = body();
            if (step >= 0)
            {
                ms[phase, step] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                bytes[phase] += GC.GetAllocatedBytesForCurrentThread() - before;
            }
            return result;
        }
    }

    /// <summary>
    /// Each layer's backward alone: its input (a detached activation of the same step) and parameters
    /// as the inputs of <c>Autograd.Grad</c>, a random upstream gradient; what the backward row above sums.
    /// </summary>
    private static void BackwardByLayer(Stage[] layers, Tensor x, int steps)
    {
        var g = new Generator(5);
        var inputs = new Tensor[layers.Length];
        var h = x;
        using (Autograd.NoGrad())
            for (int i = 0; i < layers.Length; i++) (inputs[i], h) = (h, layers[i].Forward(h));
        var (ms, bytes) = (new double[layers.Length, steps], new long[layers.Length]);
        for (int s = -3; s < steps; s++)
            for (int i = 0; i < layers.Length; i++)
            {
                var input = i == 0 ? inputs[i] : inputs[i].Detach().RequiresGradient();
                Tensor[] wrt = [.. (i == 0 ? Array.Empty<Tensor>() : [input]), .. layers[i].Parameters];
                if (wrt.Length == 0) continue;
                var y = layers[i].Forward(input);
                var gy = Tensor.Randn([.. y.Shape], g);
                long before = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                Autograd.Grad([y], wrt, [gy]);
                if (s < 0) continue;
                ms[i, s] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                bytes[i] += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        Print([.. layers.Select(l => "bwd " + l.Name)], ms, bytes, steps);
    }

    /// <summary>A phase of the forward pass: one layer, or a convolution with the ReLU (and max pooling) after it, which <see cref="Sequential"/> runs as one op.</summary>
    private sealed record Stage(string Name, Func<Tensor, Tensor> Forward, Tensor[] Parameters);

    /// <summary>The model's layers as <see cref="Sequential.Forward"/> runs them.</summary>
    private static Stage[] Stages(Module[] layers)
    {
        var stages = new List<Stage>();
        for (int i = 0; i < layers.Length; i++)
        {
            var layer = layers[i];
            if (layer is Conv2d block && i + 2 < layers.Length && layers[i + 1] is ReLU && layers[i + 2] is MaxPool2d pool)
            {
                stages.Add(new Stage("Conv2d+ReLU+MaxPool2d", h => block.ForwardReluMaxPool(h, pool), [.. block.Parameters()]));
                i += 2;
            }
            else if (layer is Conv2d convolution && i + 1 < layers.Length && layers[i + 1] is ReLU)
            {
                stages.Add(new Stage("Conv2d+ReLU", convolution.ForwardRelu, [.. convolution.Parameters()]));
                i++;
            }
            else
            {
                stages.Add(new Stage(layer.GetType().Name, layer.Forward, [.. layer.Parameters()]));
            }
        }
        return [.. stages];
    }

    /// <summary>The backward products alone, on the CNN's shapes, outside the graph.</summary>
    private static void Kernels(int steps)
    {
        var g = new Generator(3);
        var conv1 = Geometry(1, 16, 28);
        var conv2 = Geometry(16, 32, 14);
        float[] x1 = Random(g, BatchSize * 784), x2 = Random(g, BatchSize * 16 * 196);
        float[] w1 = Random(g, 16 * 9), w2 = Random(g, 32 * 16 * 9);
        float[] gy1 = Random(g, BatchSize * 16 * 784), gy2 = Random(g, BatchSize * 32 * 196);
        float[] columns = Random(g, 144 * 196);
        var gy2Tensor = new Tensor(gy2, [BatchSize, 32, 14, 14], DType.Float32);
        float[] gw1 = new float[w1.Length], gw2 = new float[w2.Length], gx2 = new float[x2.Length];
        var pool = Window2d.Create("MaxPool2d", 28, 28, (2, 2), (2, 2), (0, 0), (1, 1), false);
        float[] pooled = new float[BatchSize * 16 * 196];
        int[] argmax = new int[pooled.Length];
        float[] unpooled = new float[BatchSize * 16 * 784];
        var pool2 = Window2d.Create("MaxPool2d", 14, 14, (2, 2), (2, 2), (0, 0), (1, 1), false);
        float[] pooled2 = new float[BatchSize * 32 * 49];
        int[] argmax2 = new int[pooled2.Length];
        (string Name, Action Body)[] kernels =
        [
            ("conv1 forward", () => Conv2dKernel.Forward(x1, w1, null, gy1, conv1)),
            ("conv1 weight grad", () => Conv2dKernel.WeightGradient(x1, gy1, gw1, conv1)),
            ("conv2 forward", () => Conv2dKernel.Forward(x2, w2, null, gy2, conv2)),
            ("conv2 forward GEMMs only", () => Parallelism.For(BatchSize, n =>
                Gemm.Multiply(false, false, 32, 196, 144, w2, 0, columns, 0, gy2, n * 32 * 196, accumulate: false))),
            ("conv2 input grad", () => { Array.Clear(gx2); Conv2dKernel.InputGradient(gy2, w2, gx2, conv2); }),
            ("conv2 weight grad", () => Conv2dKernel.WeightGradient(x2, gy2, gw2, conv2)),
            ("conv2 bias grad", () => gy2Tensor.Reshape(BatchSize, 32, -1).Sum(2).Sum(0)),
            ("maxpool1 forward", () => Pool2dKernel.Max(gy1, pooled, argmax, BatchSize * 16, pool)),
            ("maxpool2 forward", () => Pool2dKernel.Max(gy2, pooled2, argmax2, BatchSize * 32, pool2)),
            ("maxpool1 backward", () => { Array.Clear(unpooled); Pool2dKernel.ScatterAdd(pooled, unpooled, argmax, BatchSize * 16, 784, 196); }),
        ];
        var (ms, bytes) = (new double[kernels.Length, steps], new long[kernels.Length]);
        for (int s = -3; s < steps; s++)
            for (int k = 0; k < kernels.Length; k++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                kernels[k].Body();
                if (s < 0) continue;
                ms[k, s] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                bytes[k] += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        Print(kernels.Select(k => "kernel " + k.Name).ToArray(), ms, bytes, steps);
    }

    private static Conv2dGeometry Geometry(int inChannels, int outChannels, int size) =>
        new(BatchSize, inChannels, outChannels, 1, Window2d.Create("Conv2d", size, size, (3, 3), (1, 1), (1, 1), (1, 1), false));

    private static float[] Random(Generator g, int length) => Tensor.Randn([length], g).Float32Data;

    /// <summary>Each phase's median time (the machine may be shared: the median ignores the steps another process took) and mean allocation.</summary>
    private static void Print(string[] names, double[,] ms, long[] bytes, int steps)
    {
        double total = 0;
        for (int i = 0; i < names.Length; i++)
        {
            var times = Enumerable.Range(0, steps).Select(s => ms[i, s]).Order().ToArray();
            total += times[steps / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {names[i],-24} {times[steps / 2],8:F3} ms {bytes[i] / 1024.0 / steps,10:F1} KB"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"total (sum of medians)",-24} {total,8:F3} ms {bytes.Sum() / 1024.0 / steps,10:F1} KB"));
    }
}
