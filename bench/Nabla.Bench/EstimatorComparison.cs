using System.Globalization;
using System.Text.Json;
using Nabla.Estimators;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// A plain runner for the scikit-learn anchors' estimator workloads (bench/compare-estimators.sh):
/// <see cref="LinearRegression"/> fit time on 1,000,000 × 100 Float64 samples, and
/// <see cref="LogisticRegression"/> (L-BFGS, 100 iterations at most) fit time and test accuracy
/// on Fashion-MNIST, and <see cref="MlpClassifier"/> ((256, 128), Adam, batch 64, one epoch) samples
/// a second and test accuracy on Fashion-MNIST, in Float64 and Float32.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- estimators [--quick] [--json] [--runs N] [--data DIR]</c>.
/// Each time is the median of N fits (3 by default) on a fresh estimator; <c>--quick</c> uses the
/// anchors' quick sizes (100,000 rows for the linear regression, 6,400 Fashion-MNIST images). The
/// linear-regression data is drawn as the anchor draws it, y = X·w + 0.1·noise with standard normal
/// X, w and noise (from Nabla's generator, so the numbers differ but not the problem). The thread
/// count is <see cref="Parallelism.MaxDegreeOfParallelism"/> (<c>NABLA_NUM_THREADS</c>). A warm-up
/// fit first (a small problem for the linear models, a whole epoch for the MLP, whose step has many
/// methods to bring to the JIT's optimised tier) keeps compilation out of the timed fits. scikit-learn's MLP computes in
/// the type of its input, Float32 for the anchor's pixels; Nabla's Float64 row is the exact
/// counterpart of scikit-learn's Float64 arithmetic, its Float32 row that of the anchor's.
/// </remarks>
public static class EstimatorComparison
{
    private const int Features = 100, Rows = 1_000_000, QuickRows = 100_000;
    private const int Images = 60_000, QuickImages = 6_400;

    /// <summary>Runs the measurement and prints a short table, or one JSON line with <c>--json</c>.</summary>
    public static void Run(string[] args)
    {
        var (runs, data, quick, json) = RunnerOptions.Parse("estimators", args);

        int rows = quick ? QuickRows : Rows;
        var (x, y) = RegressionProblem(rows);
        new LinearRegression().Fit(x.Slice(0, 0, 1000), y.Slice(0, 0, 1000));
        double linearSeconds = Median(runs, () => new LinearRegression().Fit(x, y));
        (x, y) = (null!, null!);

        var fashion = FashionMnist.Load(data);
        int images = quick ? QuickImages : Images;
        var trainImages = fashion.TrainImages.Slice(0, 0, images);
        var trainLabels = fashion.TrainLabels.Slice(0, 0, images);
        new LogisticRegression(maxIter: 5).Fit(trainImages.Slice(0, 0, 500), trainLabels.Slice(0, 0, 500));
        LogisticRegression? logistic = null;
        double logisticSeconds = Median(runs, () => logistic = new LogisticRegression(maxIter: 100).Fit(trainImages, trainLabels));
        double accuracy = logistic!.Score(fashion.TestImages, fashion.TestLabels);
        var mlp64 = MlpEpoch(DType.Float64, runs, trainImages, trainLabels, fashion);
        var mlp32 = MlpEpoch(DType.Float32, runs, trainImages, trainLabels, fashion);

        var result = new Dictionary<string, object>
        {
            ["system"] = $"Nabla {typeof(Tensor).Assembly.GetName().Version?.ToString(3)}",
            ["threads"] = Parallelism.MaxDegreeOfParallelism,
            ["runs"] = runs,
            [$"linreg_{rows}x{Features}_fit_s"] = Math.Round(linearSeconds, 3),
            ["logreg_lbfgs_fit_s"] = Math.Round(logisticSeconds, 3),
            ["logreg_n_iter"] = logistic.NIter,
            ["logreg_test_acc"] = Math.Round(accuracy, 4),
            ["mlp_b64_samples_per_s"] = Math.Round(images / mlp64.Seconds),
            ["mlp_1ep_test_acc"] = Math.Round(mlp64.Accuracy, 4),
            ["mlp_b64_f32_samples_per_s"] = Math.Round(images / mlp32.Seconds),
            ["mlp_1ep_f32_test_acc"] = Math.Round(mlp32.Accuracy, 4),
        };
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result));
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"Estimators; threads {Parallelism.MaxDegreeOfParallelism}; median of {runs} fits");
        Console.WriteLine(string.Create(inv, $"LinearRegression {rows:N0} × {Features}: {linearSeconds:F3} s"));
        Console.WriteLine(string.Create(inv, $"LogisticRegression lbfgs, Fashion-MNIST {images:N0} images: {logisticSeconds:F3} s, {logistic.NIter} iterations, test accuracy {accuracy:F4}"));
        Console.WriteLine(string.Create(inv, $"MlpClassifier (256, 128) Adam batch 64, one epoch of {images:N0} images, Float64: {images / mlp64.Seconds:N0} samples/s, test accuracy {mlp64.Accuracy:F4}"));
        Console.WriteLine(string.Create(inv, $"MlpClassifier (256, 128) Adam batch 64, one epoch of {images:N0} images, Float32: {images / mlp32.Seconds:N0} samples/s, test accuracy {mlp32.Accuracy:F4}"));
    }

    /// <summary>The anchor's MLPClassifier((256, 128), batch_size=64, max_iter=1, random_state=0): the median fit time and the last fit's test accuracy.</summary>
    private static (double Seconds, double Accuracy) MlpEpoch(DType dtype, int runs, Tensor images, Tensor labels, FashionMnist fashion)
    {
        MlpClassifier Create() => new(hiddenLayerSizes: [256, 128], batchSize: 64, maxIter: 1, randomState: 0, dtype: dtype);
        // A whole epoch first: ten steps leave most of the step's methods at their first, unoptimised JIT tier.
        Create().Fit(images, labels);
        MlpClassifier? mlp = null;
        double seconds = Median(runs, () => mlp = Create().Fit(images, labels));
        return (seconds, mlp!.Score(fashion.TestImages, fashion.TestLabels));
    }

    /// <summary>X (rows × 100, standard normal) and y = X·w + 0.1·noise, Float64.</summary>
    private static (Tensor X, Tensor Y) RegressionProblem(int rows)
    {
        var generator = new Generator(0);
        var x = Tensor.Randn([rows, Features], generator, DType.Float64);
        var w = Tensor.Randn([Features, 1], generator, DType.Float64);
        var y = (x.MatMul(w).Reshape(rows) + 0.1 * Tensor.Randn([rows], generator, DType.Float64));
        return (x, y);
    }

    private static double Median(int runs, Action fit) => Timing.Sorted(runs, fit)[runs / 2];
}
