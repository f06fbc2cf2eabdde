using System.Globalization;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// One finished epoch as a short line of text, the same in the plain log and under the live progress
/// bars, with the validation metric of the task: accuracy for classes, R² for a number.
/// </summary>
internal sealed class EpochLine
{
    private readonly int _epochs;
    private readonly double? _validationTargetVariance;
    private readonly string _unit;

    private EpochLine(int epochs, double? validationTargetVariance, string unit) =>
        (_epochs, _validationTargetVariance, _unit) = (epochs, validationTargetVariance, unit);

    /// <summary>Lines for a classifier over <paramref name="epochs"/> epochs (or federated rounds, <paramref name="unit"/> "round"): "val acc".</summary>
    public static EpochLine ForClassification(int epochs, string unit = "epoch") => new(epochs, null, unit);

    /// <summary>
    /// Lines for a regression over <paramref name="epochs"/> epochs: "val R²", from the validation loss (the mean
    /// squared error) and <paramref name="validationTargetVariance"/>, the variance of the validation targets as the
    /// network sees them: R² = 1 − MSE / variance, scikit-learn's r2_score on the validation rows.
    /// </summary>
    public static EpochLine ForRegression(int epochs, double validationTargetVariance, string unit = "epoch") => new(epochs, validationTargetVariance, unit);

    /// <summary>"epoch  3/20": the epoch padded to the width of the last, so that the lines of a run line up.</summary>
    public string Counter(int epoch) =>
        $"{_unit} {epoch.ToString(CultureInfo.InvariantCulture).PadLeft(_epochs.ToString(CultureInfo.InvariantCulture).Length)}/{_epochs}";

    /// <summary>"epoch  3/20  loss 0.1234  val loss 0.1111  val acc 0.9650  lr 0.002  0.12 s" (the learning rate the epoch started with); a value not measured shows as "–".</summary>
    public string Format(EpochResult epoch)
    {
        string metric = _validationTargetVariance is null ? $"val acc {Value(epoch.ValidationAccuracy)}" : $"val R² {Value(ValidationR2(epoch))}";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Counter(epoch.Epoch)}  loss {ModelText.Metric(epoch.Loss)}  val loss {Value(epoch.ValidationLoss)}  {metric}  lr {epoch.LearningRate.ToString("G4", CultureInfo.InvariantCulture).Replace('E', 'e')}  {epoch.Duration.TotalSeconds:F2} s");
    }

    /// <summary>The validation R² of <paramref name="epoch"/> for a regression, or null (a classifier, or no validation rows that vary).</summary>
    public double? ValidationR2(EpochResult epoch) =>
        _validationTargetVariance is { } variance && variance > 0 && epoch.ValidationLoss is { } mse ? 1 - mse / variance : null;

    private static string Value(double? value) => value is { } v ? ModelText.Metric(v) : "–";
}
