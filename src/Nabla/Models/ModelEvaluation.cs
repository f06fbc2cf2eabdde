using Nabla.Data;
using Nabla.Metrics;

namespace Nabla.Models;

/// <summary>
/// How well a model's predictions match the true targets, with the metrics a model file stores:
/// for classification "accuracy", "precision_macro", "recall_macro", "f1_macro" and "f1_weighted"
/// (averaged over the classes present in the targets or the predictions, as scikit-learn does), a
/// <see cref="ClassificationReport"/> and the confusion matrix over every class of the model; for
/// regression "mse", "rmse", "mae" and "r2", in the target's own units; for a recommender also its ranking of the rows as held-out
/// interactions, "precision_at_10", "recall_at_10", "map_at_10", "ndcg_at_10", "hit_rate_at_10" and "coverage_at_10" (an implicit
/// recommender has only these).
/// </summary>
public sealed class ModelEvaluation
{
    private ModelEvaluation(ModelPredictions predictions, Tensor targets, IReadOnlyDictionary<string, double> metrics,
        ClassificationReport? report, int[,]? confusionMatrix)
    {
        Predictions = predictions;
        Targets = targets;
        Metrics = metrics;
        Report = report;
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>The predictions that were scored.</summary>
    public ModelPredictions Predictions { get; }

    /// <summary>The true targets: class indices (Int32 [rows]) for classification, values in the target's units (Float64 [rows]) for regression.</summary>
    public Tensor Targets { get; }

    /// <summary>The metrics by name (see the class summary for the names).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>Precision, recall, F1 and support per class present, named by the model's labels; null for regression.</summary>
    public ClassificationReport? Report { get; }

    /// <summary>Counts of [true class, predicted class] over every class of the model, in <see cref="ModelPredictions.Classes"/> order; null for regression.</summary>
    public int[,]? ConfusionMatrix { get; }

    /// <summary>Scores <paramref name="predictions"/> against <paramref name="targets"/>.</summary>
    /// <param name="predictions">The model's predictions.</param>
    /// <param name="targets">Class indices into <see cref="ModelPredictions.Classes"/> (Int32) for classification; values in the target's units for regression. One per prediction.</param>
    /// <exception cref="ArgumentException">There are no rows, the counts differ, or the targets do not suit the task (a class index out of range, an integer type for regression).</exception>
    public static ModelEvaluation Of(ModelPredictions predictions, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Shape.Count != 1 || targets.Shape[0] != predictions.Count)
            throw new ArgumentException($"ModelEvaluation: {predictions.Count} predictions need {predictions.Count} targets, got shape {Shapes.Format(targets.ShapeArray)}.", nameof(targets));
        if (predictions.Count == 0) throw new ArgumentException("ModelEvaluation: there are no rows to score.", nameof(predictions));
        return predictions.Task == ModelTask.Classification ? Classification(predictions, targets) : Regression(predictions, targets);
    }

    /// <summary>An evaluation whose metrics were computed elsewhere (a recommender's ranking scores), with its predictions and targets.</summary>
    internal static ModelEvaluation WithMetrics(ModelPredictions predictions, Tensor targets, IReadOnlyDictionary<string, double> metrics) =>
        new(predictions, targets, metrics, null, null);

    private static ModelEvaluation Classification(ModelPredictions predictions, Tensor targets)
    {
        if (targets.DType != DType.Int32)
            throw new ArgumentException($"ModelEvaluation: classification targets are class indices (Int32), got {targets.DType}.", nameof(targets));
        int classes = predictions.Classes.Count;
        int[] truth = targets.ToArray<int>(), predicted = predictions.ClassIndices!.ToArray<int>();
        for (int i = 0; i < truth.Length; i++)
            if ((uint)truth[i] >= (uint)classes)
                throw new ArgumentException($"ModelEvaluation: target {i} is class index {truth[i]}; the model has classes 0 to {classes - 1}.", nameof(targets));

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["accuracy"] = ClassificationMetrics.Accuracy(truth, predicted),
            ["precision_macro"] = ClassificationMetrics.Precision(truth, predicted, Average.Macro),
            ["recall_macro"] = ClassificationMetrics.Recall(truth, predicted, Average.Macro),
            ["f1_macro"] = ClassificationMetrics.F1(truth, predicted, Average.Macro),
            ["f1_weighted"] = ClassificationMetrics.F1(truth, predicted, Average.Weighted),
        };
        int[] present = [.. truth.Concat(predicted).Distinct().Order()];
        var report = ClassificationReport.Create(truth, predicted, present, [.. present.Select(c => predictions.Classes[c])]);
        var confusion = ClassificationMetrics.ConfusionMatrix(truth, predicted, [.. Enumerable.Range(0, classes)]);
        return new ModelEvaluation(predictions, targets, metrics, report, confusion);
    }

    private static ModelEvaluation Regression(ModelPredictions predictions, Tensor targets)
    {
        if (targets.DType == DType.Int32)
            throw new ArgumentException("ModelEvaluation: regression targets are values (Float32 or Float64), got Int32.", nameof(targets));
        double[] truth = targets.ToDoubleArray(), predicted = predictions.Values!.ToDoubleArray();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["mse"] = RegressionMetrics.MeanSquaredError(truth, predicted),
            ["rmse"] = RegressionMetrics.RootMeanSquaredError(truth, predicted),
            ["mae"] = RegressionMetrics.MeanAbsoluteError(truth, predicted),
            ["r2"] = RegressionMetrics.R2(truth, predicted),
        };
        return new ModelEvaluation(predictions, targets, metrics, null, null);
    }
}
