using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Explain;
using Nabla.IO;
using Nabla.Kernels;
using Nabla.Losses;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Bench;

/// <summary>
/// Integrated gradients on the networks of the tests, for bench/compare-ig.sh against Captum's default
/// (bench/ig_anchor.py): per network and baseline, how many gradient evaluations Nabla's adaptive
/// Gauss–Kronrod rule spends per row to reach a completeness error below 1e-6, its error bound, its
/// completeness error and its time per row, and the same for its 50-point Gauss–Legendre rule.
/// </summary>
/// <remarks>
/// <para>
/// The networks, built by <see cref="ModelArchitecture"/> and trained briefly (Adam, batch 64, 2 epochs,
/// seed 0) on the built-in digits with pixels scaled to [0, 1] and every fifth image held out, as the
/// tests' split: the MLP that <c>nabla train</c> builds by default (64 → 128 → 64 → 10, ReLU), a deeper
/// tanh MLP (64 → 64 → 64 → 64 → 10) and the small CNN on the 8×8 images. All in Float64, the rows too.
/// The rows are the first <c>--rows</c> held-out images (100 by default), each explained for the class
/// the network predicts, from the zero baseline and from the training mean.
/// </para>
/// <para>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- ig [--rows N] [--export FILE] [--json]</c>.
/// <c>--export</c> writes the networks' weights and architectures, the rows, the training mean and the
/// targets to one safetensors file, which the anchor loads so that both explain the same networks.
/// </para>
/// </remarks>
public static class IntegratedGradientsComparison
{
    /// <summary>The completeness error to reach, issue 19's.</summary>
    private const double Target = 1e-6;

    /// <summary>Captum's default number of steps.</summary>
    private const int CaptumSteps = 50;

    private const int Epochs = 2, BatchSize = 64;

    /// <summary>Runs the attributions and prints a table, or one JSON line with <c>--json</c>.</summary>
    public static void Run(string[] args)
    {
        int rows = 100;
        string? export = null;
        bool json = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows" when i + 1 < args.Length:
                    rows = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    if (rows < 1) throw new ArgumentException($"ig: --rows must be at least 1, got {rows}.");
                    break;
                case "--export" when i + 1 < args.Length:
                    export = args[++i];
                    break;
                case "--json":
                    json = true;
                    break;
                default:
                    throw new ArgumentException($"ig: unknown argument '{args[i]}'; expected --rows N, --export FILE or --json.");
            }
        }

        var (trainX, trainY, testX) = DigitsSplit();
        if (rows > testX.Size(0)) throw new ArgumentException($"ig: --rows {rows} is more than the {testX.Size(0)} held-out digits.");
        var explained = testX.Slice(0, 0, rows);
        var networks = new (string Name, ModelArchitecture Architecture)[]
        {
            ("digits-mlp", ModelArchitecture.Mlp(64, [128, 64], Activation.Relu, 10)),
            ("tanh-mlp", ModelArchitecture.Mlp(64, [64, 64, 64], Activation.Tanh, 10)),
            ("cnn", ModelArchitecture.Cnn(1, 8, 8, 10)),
        };

        var tensors = new List<KeyValuePair<string, Tensor>> { new("rows", explained), new("training_mean", trainX.Mean(axis: 0)) };
        var metadata = new Dictionary<string, string> { ["networks"] = string.Join(",", networks.Select(n => n.Name)) };
        var results = new List<Dictionary<string, object>>();
        foreach (var (name, architecture) in networks)
        {
            Console.Error.WriteLine($"ig: training {name} ...");
            var model = Trained(architecture, trainX, trainY);
            var x = architecture.ViewAsInput(explained);
            int[] targets;
            using (Autograd.NoGrad()) targets = model.Forward(x).ArgMax(axis: 1).ToArray<int>();
            tensors.Add(new($"{name}.targets", Tensor.FromArray(targets, [rows])));
            tensors.AddRange(model.StateDict().Select(p => new KeyValuePair<string, Tensor>($"{name}.{p.Key}", p.Value)));
            metadata[$"{name}.architecture"] = architecture.ToJson();

            foreach (var baseline in new[] { Baseline.Zero, Baseline.TrainingMean(architecture.ViewAsInput(trainX)) })
            {
                Console.Error.WriteLine($"ig: explaining {rows} rows of {name} from the {baseline.Description} baseline ...");
                results.Add(Measure(name, model, x, targets, baseline));
            }
        }
        if (export is not null) Safetensors.Write(export, tensors, metadata);

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["system"] = $"Nabla {typeof(Tensor).Assembly.GetName().Version?.ToString(3)}",
                ["threads"] = Parallelism.MaxDegreeOfParallelism,
                ["rows"] = rows,
                ["target"] = Target,
                ["results"] = results,
            }));
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"Integrated gradients, {rows} held-out digits, Float64; adaptive tolerance {Target:G}; threads {Parallelism.MaxDegreeOfParallelism}");
        Console.WriteLine($"{"network",-11} {"baseline",-14} {"evals mean",10} {"max",7} {"max bound",10} {"max |gap|",10} {"ms/row",8} {"GL-50 max |gap|",16} {"ms/row",8}");
        foreach (var r in results)
            Console.WriteLine(string.Create(inv,
                $"{r["network"],-11} {r["baseline"],-14} {r["adaptive_evals_mean"],10:F1} {r["adaptive_evals_max"],7} {r["adaptive_max_bound"],10:E1} {r["adaptive_max_completeness"],10:E1} {r["adaptive_ms_per_row"],8:F2} {r["gl50_max_completeness"],16:E1} {r["gl50_ms_per_row"],8:F2}"));
    }

    /// <summary>Both rules on every row, one row at a time (each has its own target class), timed per row.</summary>
    private static Dictionary<string, object> Measure(string network, Module model, Tensor x, int[] targets, Baseline baseline)
    {
        var ig = new IntegratedGradients(model) { AbsoluteTolerance = Target };
        int rows = targets.Length;
        var evaluations = new int[rows];
        var bounds = new double[rows];
        var adaptive = new double[rows];
        var gaussLegendre = new double[rows];
        bool converged = true;
        // One row of each first, so that neither rule's time includes compiling the code.
        ig.Attribute(x.Slice(0, 0, 1), targets[0], baseline);
        ig.AttributeGaussLegendre(x.Slice(0, 0, 1), CaptumSteps, targets[0], baseline);
        var adaptiveClock = new Stopwatch();
        var fixedClock = new Stopwatch();
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(0, r, 1);
            adaptiveClock.Start();
            var result = ig.Attribute(row, targets[r], baseline);
            adaptiveClock.Stop();
            (evaluations[r], bounds[r], adaptive[r]) = (result.Evaluations[0], result.ErrorBound[0], Math.Abs(result.CompletenessError[0]));
            converged &= result.Converged[0];
            fixedClock.Start();
            gaussLegendre[r] = Math.Abs(ig.AttributeGaussLegendre(row, CaptumSteps, targets[r], baseline).CompletenessError[0]);
            fixedClock.Stop();
        }
        return new Dictionary<string, object>
        {
            ["network"] = network,
            ["baseline"] = baseline.Description,
            ["adaptive_evals_mean"] = evaluations.Average(),
            ["adaptive_evals_max"] = evaluations.Max(),
            ["adaptive_converged"] = converged,
            ["adaptive_max_bound"] = bounds.Max(),
            ["adaptive_max_completeness"] = adaptive.Max(),
            ["adaptive_mean_completeness"] = adaptive.Average(),
            ["adaptive_ms_per_row"] = adaptiveClock.Elapsed.TotalMilliseconds / rows,
            ["gl50_max_completeness"] = gaussLegendre.Max(),
            ["gl50_mean_completeness"] = gaussLegendre.Average(),
            ["gl50_ms_per_row"] = fixedClock.Elapsed.TotalMilliseconds / rows,
        };
    }

    /// <summary>The network trained briefly on the digits, in Float64.</summary>
    private static Sequential Trained(ModelArchitecture architecture, Tensor trainX, Tensor trainY)
    {
        var model = architecture.Build(DType.Float64, new Generator(0));
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 2e-3));
        trainer.Fit(new DataLoader(architecture.ViewAsInput(trainX), trainY, BatchSize, shuffle: true, generator: new Generator(1)), Epochs);
        model.Eval();
        return model;
    }

    /// <summary>The built-in digits, pixels scaled to [0, 1], every fifth image (index 4, 9, ...) held out: the tests' split.</summary>
    private static (Tensor TrainX, Tensor TrainY, Tensor TestX) DigitsSplit()
    {
        var digits = Datasets.Digits();
        var pixels = digits.Features / 16.0;
        int count = pixels.Size(0);
        int[] train = [.. Enumerable.Range(0, count).Where(i => i % 5 != 4)];
        int[] test = [.. Enumerable.Range(0, count).Where(i => i % 5 == 4)];
        var trainIndex = Tensor.FromArray(train, [train.Length]);
        var testIndex = Tensor.FromArray(test, [test.Length]);
        return (pixels.IndexSelect(0, trainIndex), digits.Target.IndexSelect(0, trainIndex), pixels.IndexSelect(0, testIndex));
    }
}
