using System.Globalization;
using Nabla.Data;
using Nabla.Distributed;
using Nabla.Estimators;

namespace Nabla.Cli;

/// <summary>
/// The library's estimator that <c>--model linear|ridge|logistic|svm</c> names, built with
/// scikit-learn's defaults and <c>--alpha</c> and <c>--epochs</c>, fitted on the prepared training
/// rows: the command adds no model of its own, so it gives the library's coefficients.
/// </summary>
internal static class LinearEstimators
{
    /// <summary>A fitted estimator, the way <c>nabla train</c> describes it, and how long its solver ran.</summary>
    /// <param name="Model">The fitted estimator.</param>
    /// <param name="Description">What it is: "LogisticRegression, 30 → 2 classes (L2, C 1)".</param>
    /// <param name="Solver">How it was fitted: "lbfgs, at most 100 iterations".</param>
    /// <param name="Iterations">The iterations its solver ran, or null for the exact solvers.</param>
    /// <param name="MaxIterations">The most iterations it was allowed, or null for the exact solvers.</param>
    public sealed record Fitted(Estimator Model, string Description, string Solver, int? Iterations, int? MaxIterations)
    {
        /// <summary>Whether an iterative solver stopped at its limit rather than at its tolerance.</summary>
        public bool StoppedAtLimit => Iterations is { } run && run >= MaxIterations;
    }

    /// <summary>Fits the estimator of <see cref="TrainSettings.Model"/> on the training rows of <paramref name="data"/>.</summary>
    /// <remarks>
    /// Classifiers learn the preprocessing's class labels themselves, as numbers when every label is
    /// one (so they sort as the preprocessing sorted them) and as text otherwise, so the model file
    /// names the classes as the data does.
    /// </remarks>
    public static Fitted Fit(TrainSettings settings, TrainingData data, Communicator communicator)
    {
        int rows = data.XTrain.Size(0);
        var x = data.XTrain.Reshape(rows, data.Features);
        if (communicator.Size > 1) return FitShared(settings, data, x, communicator);
        int features = data.Features;
        double c = 1 / settings.Alpha;
        switch (settings.Model)
        {
            case ModelKind.Linear:
                return new(new LinearRegression().Fit(x, Targets(data)), $"LinearRegression, {features} → 1 (least squares)", "exact least squares (QR)", null, null);
            case ModelKind.Ridge:
                return new(new Ridge(settings.Alpha).Fit(x, Targets(data)), $"Ridge, {features} → 1 (L2, {Setting("alpha", settings.Alpha)})", "exact least squares (closed form)", null, null);
            case ModelKind.Logistic:
            {
                var penalty = settings.Alpha == 0 ? Penalty.None : Penalty.L2;
                var model = FitClassifier(new LogisticRegression(penalty, C: penalty == Penalty.None ? 1 : c, maxIter: settings.Epochs), x, data);
                string penaltyText = penalty == Penalty.None ? "no penalty" : $"L2, {Setting("C", c)}";
                return new(model, $"LogisticRegression, {features} → {Classes(data)} ({penaltyText})", $"lbfgs, at most {settings.Epochs} iterations", model.NIter, settings.Epochs);
            }
            case ModelKind.Svm:
            {
                var model = FitClassifier(new LinearSvc(C: c, maxIter: settings.Epochs, randomState: settings.Seed), x, data);
                return new(model, $"LinearSvc, {features} → {Classes(data)} (squared hinge, one-vs-rest; L2, {Setting("C", c)})",
                    $"dual coordinate descent, at most {settings.Epochs} passes", model.NIter, settings.Epochs);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Model, "not a linear estimator.");
        }
    }

    /// <summary>The regression targets in their prepared (standardised) units, one per row.</summary>
    /// <summary>
    /// Under mpirun: each rank fits on its own contiguous share of the training rows, and the library's distributed
    /// fits (<see cref="DistributedFit"/>) combine them into the model one process would fit on all the rows: tall-skinny
    /// QR for linear and ridge, L-BFGS with the loss and gradient summed over the ranks for logistic.
    /// </summary>
    private static Fitted FitShared(TrainSettings settings, TrainingData data, Tensor x, Communicator communicator)
    {
        int rows = x.Size(0), start = (int)((long)rows * communicator.Rank / communicator.Size);
        int count = (int)((long)rows * (communicator.Rank + 1) / communicator.Size) - start;
        var mine = x.Slice(0, start, count);
        var targets = data.YTrain.Slice(0, start, count);
        int features = data.Features;
        string shared = $"over {communicator.Size} ranks";
        switch (settings.Model)
        {
            case ModelKind.Linear:
                return new(new LinearRegression().Fit(communicator, mine, targets.ToDoubleArray()), $"LinearRegression, {features} → 1 (least squares)",
                    $"exact least squares (tall-skinny QR {shared})", null, null);
            case ModelKind.Ridge:
                return new(new Ridge(settings.Alpha).Fit(communicator, mine, targets.ToDoubleArray()), $"Ridge, {features} → 1 (L2, {Setting("alpha", settings.Alpha)})",
                    $"exact least squares (tall-skinny QR {shared})", null, null);
            case ModelKind.Logistic:
            {
                double c = 1 / settings.Alpha;
                var penalty = settings.Alpha == 0 ? Penalty.None : Penalty.L2;
                var estimator = new LogisticRegression(penalty, C: penalty == Penalty.None ? 1 : c, maxIter: settings.Epochs);
                // Labels by name, as in one process where they are not numbers; the classes are gathered from every rank.
                var labels = data.Preprocessor.ClassLabels;
                var model = estimator.Fit(communicator, mine, Array.ConvertAll(targets.ToArray<int>(), i => labels[i]));
                string penaltyText = penalty == Penalty.None ? "no penalty" : $"L2, {Setting("C", c)}";
                return new(model, $"LogisticRegression, {features} → {Classes(data)} ({penaltyText})", $"lbfgs {shared}, at most {settings.Epochs} iterations", model.NIter, settings.Epochs);
            }
            default:
                throw new CommandInputException($"--model {TrainChoices.Model.WordOf(settings.Model)} fits in one process: its solver visits the rows one at a time; run it without mpirun, or use --model logistic, which shares the rows among the ranks.");
        }
    }

    private static double[] Targets(TrainingData data) => data.YTrain.ToDoubleArray();

    private static string Classes(TrainingData data) => $"{data.Preprocessor.ClassLabels.Count} classes";

    private static TSelf FitClassifier<TSelf>(TSelf model, Tensor x, TrainingData data) where TSelf : Classifier<TSelf>
    {
        var labels = data.Preprocessor.ClassLabels;
        var indices = data.YTrain.ToArray<int>();
        var numbers = new double[labels.Count];
        bool numeric = true;
        for (int i = 0; i < labels.Count && numeric; i++)
            numeric = double.TryParse(labels[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i])
                && numbers[i].ToString("R", CultureInfo.InvariantCulture) == labels[i];
        return numeric
            ? model.Fit(x, Array.ConvertAll(indices, i => numbers[i]))
            : model.Fit(x, Array.ConvertAll(indices, i => labels[i]));
    }

    private static string Setting(string name, double value) => string.Create(CultureInfo.InvariantCulture, $"{name} {value:G6}");
}
