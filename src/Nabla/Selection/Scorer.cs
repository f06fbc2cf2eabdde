using Nabla.Data;
using Nabla.Metrics;

namespace Nabla.Selection;

/// <summary>
/// A metric that cross-validation and searches score a fitted model with, named as scikit-learn's
/// scorers ("accuracy", "f1_macro", "neg_log_loss", "r2", "neg_root_mean_squared_error", ...), with
/// the direction in which it improves.
/// </summary>
/// <remarks>
/// <para>
/// As in scikit-learn, the "neg_" scorers are losses negated, so that greater is better for every
/// scikit-learn name. The short names "mse", "rmse" and "mae" give the losses themselves, for which
/// <see cref="GreaterIsBetter"/> is false; compare scores with <see cref="IsBetter"/> to work with both.
/// </para>
/// <para>
/// Classification: accuracy; f1, precision and recall (binary: the second of the two sorted classes is
/// positive, as scikit-learn's pos_label=1 for 0/1 labels) and their _macro, _micro and _weighted
/// averages; neg_log_loss; roc_auc (binary) and roc_auc_ovr, roc_auc_ovo, roc_auc_ovr_weighted,
/// roc_auc_ovo_weighted. Regression: r2, explained_variance, neg_mean_squared_error,
/// neg_root_mean_squared_error, neg_mean_absolute_error, neg_median_absolute_error, mse, rmse, mae.
/// Several targets are averaged uniformly, as scikit-learn's defaults.
/// </para>
/// </remarks>
public sealed class Scorer
{
    private static readonly Scorer[] s_all =
    [
        Classification("accuracy", h => ClassificationMetrics.Accuracy(h.Truth!, h.Predicted!)),
        Classification("f1", h => ClassificationMetrics.F1(h.Truth!, h.Predicted!, Positive(h, "f1"))),
        Classification("f1_macro", h => ClassificationMetrics.F1(h.Truth!, h.Predicted!, Average.Macro)),
        Classification("f1_micro", h => ClassificationMetrics.F1(h.Truth!, h.Predicted!, Average.Micro)),
        Classification("f1_weighted", h => ClassificationMetrics.F1(h.Truth!, h.Predicted!, Average.Weighted)),
        Classification("precision", h => ClassificationMetrics.Precision(h.Truth!, h.Predicted!, Positive(h, "precision"))),
        Classification("precision_macro", h => ClassificationMetrics.Precision(h.Truth!, h.Predicted!, Average.Macro)),
        Classification("precision_micro", h => ClassificationMetrics.Precision(h.Truth!, h.Predicted!, Average.Micro)),
        Classification("precision_weighted", h => ClassificationMetrics.Precision(h.Truth!, h.Predicted!, Average.Weighted)),
        Classification("recall", h => ClassificationMetrics.Recall(h.Truth!, h.Predicted!, Positive(h, "recall"))),
        Classification("recall_macro", h => ClassificationMetrics.Recall(h.Truth!, h.Predicted!, Average.Macro)),
        Classification("recall_micro", h => ClassificationMetrics.Recall(h.Truth!, h.Predicted!, Average.Micro)),
        Classification("recall_weighted", h => ClassificationMetrics.Recall(h.Truth!, h.Predicted!, Average.Weighted)),
        Probabilistic("neg_log_loss", h => -ClassificationMetrics.LogLoss(h.Truth!, h.Probabilities!, h.ClassCodes)),
        Probabilistic("roc_auc", h => ClassificationMetrics.RocAuc(h.Truth!, PositiveColumn(h))),
        Probabilistic("roc_auc_ovr", h => ClassificationMetrics.RocAuc(h.Truth!, h.Probabilities!, MultiClass.Ovr, Average.Macro, h.ClassCodes)),
        Probabilistic("roc_auc_ovo", h => ClassificationMetrics.RocAuc(h.Truth!, h.Probabilities!, MultiClass.Ovo, Average.Macro, h.ClassCodes)),
        Probabilistic("roc_auc_ovr_weighted", h => ClassificationMetrics.RocAuc(h.Truth!, h.Probabilities!, MultiClass.Ovr, Average.Weighted, h.ClassCodes)),
        Probabilistic("roc_auc_ovo_weighted", h => ClassificationMetrics.RocAuc(h.Truth!, h.Probabilities!, MultiClass.Ovo, Average.Weighted, h.ClassCodes)),
        Regression("r2", true, h => RegressionMetrics.R2(h.Targets!, h.PredictedTargets!)),
        Regression("explained_variance", true, h => RegressionMetrics.ExplainedVariance(h.Targets!, h.PredictedTargets!)),
        Regression("neg_mean_squared_error", true, h => -RegressionMetrics.MeanSquaredError(h.Targets!, h.PredictedTargets!)),
        Regression("neg_root_mean_squared_error", true, h => -RegressionMetrics.RootMeanSquaredError(h.Targets!, h.PredictedTargets!)),
        Regression("neg_mean_absolute_error", true, h => -RegressionMetrics.MeanAbsoluteError(h.Targets!, h.PredictedTargets!)),
        Regression("neg_median_absolute_error", true, h => -RegressionMetrics.MedianAbsoluteError(h.Targets!, h.PredictedTargets!)),
        Regression("mse", false, h => RegressionMetrics.MeanSquaredError(h.Targets!, h.PredictedTargets!)),
        Regression("rmse", false, h => RegressionMetrics.RootMeanSquaredError(h.Targets!, h.PredictedTargets!)),
        Regression("mae", false, h => RegressionMetrics.MeanAbsoluteError(h.Targets!, h.PredictedTargets!)),
    ];

    private readonly Func<HeldOut, double> _score;

    private Scorer(string name, ModelTask task, bool greaterIsBetter, bool needsProbabilities, Func<HeldOut, double> score) =>
        (Name, Task, GreaterIsBetter, NeedsProbabilities, _score) = (name, task, greaterIsBetter, needsProbabilities, score);

    /// <summary>Every scorer name, classification first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_all.Select(s => s.Name)];

    /// <summary>The scorer's name, as scikit-learn's <c>scoring</c> names it.</summary>
    public string Name { get; }

    /// <summary>The kind of model it scores: a classifier or a regressor.</summary>
    public ModelTask Task { get; }

    /// <summary>Whether a greater score is a better model (false only for the plain losses "mse", "rmse", "mae").</summary>
    public bool GreaterIsBetter { get; }

    /// <summary>Whether it reads predicted probabilities (log loss, ROC AUC) rather than predicted labels.</summary>
    public bool NeedsProbabilities { get; }

    /// <summary>The scorer named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">No scorer has that name; the message lists them.</exception>
    public static Scorer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Array.Find(s_all, s => s.Name == name)
            ?? throw new ArgumentException($"There is no scorer '{name}'; the scorers are {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Whether <paramref name="candidate"/> is a strictly better score than <paramref name="incumbent"/>; NaN is never better.</summary>
    public bool IsBetter(double candidate, double incumbent) =>
        !double.IsNaN(candidate) && (double.IsNaN(incumbent) || (GreaterIsBetter ? candidate > incumbent : candidate < incumbent));

    /// <summary>The scorer's name.</summary>
    public override string ToString() => Name;

    /// <summary>The score of one fold's held-out predictions.</summary>
    internal double Score(HeldOut heldOut) => _score(heldOut);

    private static Scorer Classification(string name, Func<HeldOut, double> score) => new(name, ModelTask.Classification, true, false, score);

    private static Scorer Probabilistic(string name, Func<HeldOut, double> score) => new(name, ModelTask.Classification, true, true, score);

    private static Scorer Regression(string name, bool greaterIsBetter, Func<HeldOut, double> score) => new(name, ModelTask.Regression, greaterIsBetter, false, score);

    /// <summary>The positive class of a binary scorer: the second of the two sorted classes.</summary>
    /// <exception cref="ArgumentException">The data set has another number of classes.</exception>
    private static int Positive(HeldOut heldOut, string name) => heldOut.ClassCount == 2
        ? 1
        : throw new ArgumentException($"The scorer '{name}' is for two classes, but y holds {heldOut.ClassCount}; use an averaged one, such as f1_macro or roc_auc_ovr.");

    private static double[] PositiveColumn(HeldOut heldOut)
    {
        int positive = Positive(heldOut, "roc_auc");
        return [.. Enumerable.Range(0, heldOut.Truth!.Length).Select(i => heldOut.Probabilities![i, positive])];
    }
}
