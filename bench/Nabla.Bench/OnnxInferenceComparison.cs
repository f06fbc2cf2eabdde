using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Nabla.Data;
using Nabla.Kernels;
using Nabla.Models;
using Nabla.NN;
using Nabla.Onnx;

namespace Nabla.Bench;

/// <summary>
/// Serving exported models, for bench/compare-onnx.sh: the time per batch of Nabla's own forward pass, as
/// <see cref="ModelFile.Predict"/> runs it, against ONNX Runtime running the graph <see cref="OnnxExport"/> writes for the
/// same model, with ONNX Runtime's own MatMul 1024² beside it as the anchor's health.
/// </summary>
/// <remarks>
/// <para>
/// The models, with random weights (PyTorch's default initialisation, seeded): the MLP <c>nabla train</c> builds by default
/// on a table of 64 columns (64 → 128 → 64 → 10, ReLU), a wider MLP on 784 columns (784 → 256 → 128 → 10, ReLU: a 28×28
/// image as a row, the training benchmark's MLP), and the CNN <c>nabla train</c> builds for 28×28 grey images; each at
/// batch 1 and 256, on random rows (standard normal for the tables' prepared columns, uniform [0, 1) for the pixels).
/// </para>
/// <para>
/// Nabla: <see cref="ModelFile.Predict"/> on a model file, so the time holds what a served model pays besides the layers
/// (the shape check, evaluation mode, no gradient recording, the batch plan, the output's copy). ONNX Runtime: the graph
/// exported with a fixed batch (the export's default, as <c>torch.onnx.export</c>), a session with IntraOpNumThreads =
/// <c>--threads</c>, InterOpNumThreads = 1 and every graph optimisation, the input created once as an <see cref="OrtValue"/>
/// over the rows, and each run fetching "scores", the logits <see cref="ModelFile.Predict"/> returns (the graph's label and
/// probabilities hang off them). Before timing, each side runs until warm, and the two outputs must agree to 1e-4
/// (relative to values above 1), or the runner stops: a wrong graph is never timed.
/// </para>
/// <para>
/// Each figure is the median of <c>--runs</c> runs of at least 100 ms each (as many calls as fill them, the time per call
/// their mean), Nabla's and ONNX Runtime's runs alternating so a change in the machine's load falls on both. Nabla's threads
/// come from NABLA_NUM_THREADS (<see cref="Parallelism.MaxDegreeOfParallelism"/>), ONNX Runtime's from <c>--threads</c>
/// (by default the same number).
/// </para>
/// <para>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- onnx [--runs N] [--threads T] [--json]</c>.
/// </para>
/// </remarks>
public static class OnnxInferenceComparison
{
    /// <summary>The largest gap allowed between the two outputs, relative to values above 1.</summary>
    private const double Tolerance = 1e-4;

    /// <summary>The batch sizes measured: one request, and a batch that fills the cores.</summary>
    private static readonly int[] Batches = [1, 256];

    /// <summary>How long one timed run lasts at least, so a short call is timed over many.</summary>
    private static readonly TimeSpan RunTime = TimeSpan.FromMilliseconds(100);

    /// <summary>How long each side runs before it is timed: the code compiled, the buffers and thread pools made.</summary>
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1);

    private static readonly (string Name, ModelArchitecture Architecture)[] Models =
    [
        ("mlp", ModelArchitecture.Mlp(64, [128, 64], Activation.Relu, 10)),
        ("mlp-784", ModelArchitecture.Mlp(784, [256, 128], Activation.Relu, 10)),
        ("cnn", ModelArchitecture.Cnn(1, 28, 28, 10)),
    ];

    /// <summary>Runs the comparison and prints a table, or one JSON line with <c>--json</c>.</summary>
    /// <exception cref="ArgumentException">An unknown argument, --runs below 1, or --threads below 1 or above the number of cores.</exception>
    /// <exception cref="InvalidOperationException">ONNX Runtime's output differs from Nabla's by more than the tolerance.</exception>
    public static void Run(string[] args)
    {
        int runs = 5, threads = Parallelism.MaxDegreeOfParallelism;
        bool json = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = WholeNumber("--runs", args[++i], int.MaxValue);
                    break;
                case "--threads" when i + 1 < args.Length:
                    // More threads than cores would time the operating system's scheduling, not either library.
                    threads = WholeNumber("--threads", args[++i], Environment.ProcessorCount);
                    break;
                case "--json":
                    json = true;
                    break;
                default:
                    throw new ArgumentException($"onnx: unknown argument '{args[i]}'; expected --runs N, --threads T or --json.");
            }
        }

        SessionOptions NewSessionOptions() => new()
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var results = new List<Dictionary<string, object>>();
        foreach (var (name, architecture) in Models)
            foreach (int batch in Batches)
            {
                Console.Error.WriteLine($"onnx: {name}, batch {batch} ...");
                results.Add(Measure(name, architecture, batch, runs, NewSessionOptions));
            }
        Console.Error.WriteLine($"onnx: ONNX Runtime's MatMul {OnnxRuntimeMatMulHealth.Size}² ...");
        double matMulGflops = OnnxRuntimeMatMulHealth.Gflops(NewSessionOptions, runs);

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["system"] = $"Nabla {typeof(Tensor).Assembly.GetName().Version?.ToString(3)}",
                ["onnxruntime"] = OrtEnv.Instance().GetVersionString(),
                ["nabla_threads"] = Parallelism.MaxDegreeOfParallelism,
                ["threads"] = threads,
                ["runs"] = runs,
                ["tolerance"] = Tolerance,
                ["ort_matmul_1024_gflops"] = Math.Round(matMulGflops, 1),
                ["results"] = results,
            }));
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"Serving: Nabla's ModelFile.Predict against ONNX Runtime {OrtEnv.Instance().GetVersionString()} on the exported graph; " +
            $"Nabla threads {Parallelism.MaxDegreeOfParallelism}, ONNX Runtime intra-op threads {threads}; median of {runs} runs");
        Console.WriteLine($"{"model",-8} {"batch",5} {"Nabla ms",10} {"ORT ms",10} {"ORT/Nabla",9} {"Nabla rows/s",13} {"ORT rows/s",13} {"Nabla KB",9} {"max gap",8}");
        foreach (var r in results)
            Console.WriteLine(string.Create(inv,
                $"{r["model"],-8} {r["batch"],5} {r["nabla_ms"],10:F4} {r["ort_ms"],10:F4} {(double)r["ort_ms"] / (double)r["nabla_ms"],9:F2} {r["nabla_rows_per_s"],13:N0} {r["ort_rows_per_s"],13:N0} {(double)r["nabla_bytes_per_batch"] / 1024,9:F1} {r["max_gap"],8:E1}"));
        Console.WriteLine(string.Create(inv, $"ONNX Runtime MatMul {OnnxRuntimeMatMulHealth.Size}² (Float32, constant right operand): {matMulGflops:F1} GFLOP/s"));
    }

    private static int WholeNumber(string option, string text, int most)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1 || value > most)
            throw new ArgumentException($"onnx: {option} needs a whole number from 1 to {most}, got '{text}'.");
        return value;
    }

    /// <summary>One model at one batch size: both sides checked against each other, warmed, then timed in alternating runs.</summary>
    private static Dictionary<string, object> Measure(string name, ModelArchitecture architecture, int batch, int runs, Func<SessionOptions> sessionOptions)
    {
        var generator = new Generator(11);
        var model = new ModelFile(architecture, architecture.Build(DType.Float32, generator), ModelTask.Classification,
            [.. Enumerable.Range(0, architecture.OutputSize).Select(c => c.ToString(CultureInfo.InvariantCulture))]);
        int[] shape = [batch, .. architecture.InputShape];
        bool images = architecture.InputShape.Count == 3;
        var features = images ? Tensor.Rand(shape, generator) : Tensor.Randn(shape, generator);

        using var options = sessionOptions();
        using var session = new InferenceSession(OnnxExport.ToBytes(model, new OnnxExportOptions { BatchSize = batch }), options);
        using var input = OrtValue.CreateTensorValueFromMemory(features.ToArray<float>(), [.. shape.Select(d => (long)d)]);
        using var runOptions = new RunOptions();
        string[] inputNames = ["features"], outputNames = ["scores"];
        OrtValue[] inputs = [input];
        float[] OnnxRuntimeScores()
        {
            using var outputs = session.Run(runOptions, inputNames, inputs, outputNames);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        void Serve()
        {
            using var outputs = session.Run(runOptions, inputNames, inputs, outputNames);
        }
        void Predict() => model.Predict(features);

        double gap = Gap(name, batch, model.Predict(features).ToArray<float>(), OnnxRuntimeScores());
        int nablaCalls = CallsPerRun(Predict), ortCalls = CallsPerRun(Serve);
        var nablaSeconds = new double[runs];
        var ortSeconds = new double[runs];
        long allocated = 0;
        for (int r = 0; r < runs; r++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            nablaSeconds[r] = SecondsPerCall(nablaCalls, Predict);
            allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
            ortSeconds[r] = SecondsPerCall(ortCalls, Serve);
        }
        double nabla = Median(nablaSeconds), ort = Median(ortSeconds);
        return new Dictionary<string, object>
        {
            ["model"] = name,
            ["architecture"] = string.Join(" → ", architecture.Layers.Select(l => l.Description)),
            ["batch"] = batch,
            ["nabla_ms"] = nabla * 1e3,
            ["ort_ms"] = ort * 1e3,
            ["nabla_rows_per_s"] = batch / nabla,
            ["ort_rows_per_s"] = batch / ort,
            ["nabla_bytes_per_batch"] = (double)allocated / ((long)runs * nablaCalls),
            ["max_gap"] = gap,
        };
    }

    /// <summary>The largest gap between Nabla's and ONNX Runtime's outputs, relative to values above 1; fails above the tolerance.</summary>
    private static double Gap(string name, int batch, float[] nabla, float[] ort)
    {
        if (nabla.Length != ort.Length)
            throw new InvalidOperationException($"onnx: {name} at batch {batch}: ONNX Runtime gave {ort.Length} scores, Nabla {nabla.Length}.");
        double largest = 0;
        int at = 0;
        for (int i = 0; i < nabla.Length; i++)
        {
            double gap = Math.Abs(nabla[i] - ort[i]) / Math.Max(1, Math.Abs(nabla[i]));
            // A NaN on either side is the largest gap of all.
            if (!(gap <= largest)) (largest, at) = (double.IsNaN(gap) ? double.PositiveInfinity : gap, i);
        }
        if (largest > Tolerance)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"onnx: {name} at batch {batch}: ONNX Runtime's score {at} is {ort[at]:G9}, Nabla's {nabla[at]:G9}, a gap of {largest:E2} (tolerance {Tolerance:E0}); the exported graph does not compute the model, so it is not timed."));
        return largest;
    }

    /// <summary>Runs <paramref name="call"/> for <see cref="WarmUpTime"/> (at least 3 times), and returns how many calls fill <see cref="RunTime"/>.</summary>
    private static int CallsPerRun(Action call)
    {
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (calls < 3 || clock.Elapsed < WarmUpTime)
        {
            call();
            calls++;
        }
        double perCall = clock.Elapsed.TotalSeconds / calls;
        return (int)Math.Clamp(Math.Ceiling(RunTime.TotalSeconds / perCall), 1, int.MaxValue);
    }

    private static double SecondsPerCall(int calls, Action call)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++) call();
        return clock.Elapsed.TotalSeconds / calls;
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);
}
