using Nabla.Data;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// The trained model's scores on the held-out test rows, in the order the summary prints them. They are
/// computed by the library's <see cref="ModelEvaluation"/>, as <c>nabla evaluate</c> computes them, so
/// the metrics a model file records at training time are the ones evaluate reports on the same rows.
/// </summary>
/// <param name="Task">Classification or regression, which decides the scores.</param>
/// <param name="Scores">The scores, each under its metric key and its text label.</param>
internal sealed record TestScores(ModelTask Task, IReadOnlyList<TestScore> Scores)
{
    // (metric key, text label) in the order the summary prints them.
    private static readonly (string Key, string Label)[] ClassificationNames =
    [
        ("accuracy", "Test accuracy"),
        ("f1_macro", "Macro F1"),
        ("precision_macro", "Macro precision"),
        ("recall_macro", "Macro recall"),
        ("f1_weighted", "Weighted F1"),
    ];

    private static readonly (string Key, string Label)[] RegressionNames =
    [
        ("r2", "Test R²"),
        ("rmse", "RMSE"),
        ("mae", "MAE"),
        ("mse", "MSE"),
    ];

    /// <summary>The score stored under a model-file key ("accuracy", "r2", ...).</summary>
    public double this[string key] => Scores.Single(score => score.Key == key).Value;

    /// <summary>The scores by model-file key, as <see cref="ModelFile.Metrics"/> stores them.</summary>
    public IReadOnlyDictionary<string, double> ByKey => Scores.ToDictionary(score => score.Key, score => score.Value, StringComparer.Ordinal);

    /// <summary>Scores the model on the test rows as its preprocessing prepared them.</summary>
    /// <param name="pipeline">The trained model joined with its preprocessing.</param>
    /// <param name="inputs">The prepared test inputs.</param>
    /// <param name="targets">The prepared test targets: class indices, or standardised values for regression.</param>
    public static TestScores Measure(ModelPipeline pipeline, Tensor inputs, Tensor targets)
    {
        var task = pipeline.Model.Task;
        // Regression is scored in the target's own units, as the model file's users read the numbers; the
        // training targets are a column ([rows, 1]) for the loss, the evaluation takes one value a row.
        var truth = task == ModelTask.Regression
            ? ((TabularPreprocessor)pipeline.Preprocessor).InverseTransformTarget(targets).Reshape(targets.Size(0))
            : targets;
        var metrics = ModelEvaluation.Of(pipeline.Predict(inputs), truth).Metrics;
        var names = task == ModelTask.Classification ? ClassificationNames : RegressionNames;
        return new TestScores(task, [.. names.Select(name => new TestScore(name.Key, name.Label, metrics[name.Key]))]);
    }
}
