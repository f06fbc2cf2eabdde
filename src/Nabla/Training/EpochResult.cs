namespace Nabla.Training;

/// <summary>What one epoch of <see cref="Trainer.Fit(DataLoader, int, DataLoader?)"/> measured.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Loss">The training loss, averaged over the samples of the epoch (each batch's mean loss weighted by its size).</param>
/// <param name="Accuracy">The share of training samples classified correctly during the epoch, or null when the targets are not class labels.</param>
/// <param name="ValidationLoss">The loss on the validation data after the epoch, or null without validation data.</param>
/// <param name="ValidationAccuracy">The accuracy on the validation data, or null without validation data or class labels.</param>
/// <param name="LearningRate">The optimizer's learning rate at the start of the epoch.</param>
/// <param name="Duration">The wall-clock time of the epoch, validation included.</param>
public sealed record EpochResult(int Epoch, double Loss, double? Accuracy, double? ValidationLoss, double? ValidationAccuracy,
    double LearningRate, TimeSpan Duration)
{
    /// <summary>The value of <paramref name="metric"/> for this epoch.</summary>
    /// <exception cref="InvalidOperationException">The epoch did not measure it (no validation data, or targets that are not class labels); the message says what to pass.</exception>
    public double Get(TrainingMetric metric) => metric switch
    {
        TrainingMetric.Loss => Loss,
        TrainingMetric.Accuracy => Accuracy ?? throw Missing(metric, "the targets are not Int32 class labels with [N, classes] outputs"),
        TrainingMetric.ValidationLoss => ValidationLoss ?? throw Missing(metric, "there is no validation data: pass validation: or validationSplit: to Fit"),
        TrainingMetric.ValidationAccuracy => ValidationAccuracy ?? throw Missing(metric,
            ValidationLoss is null ? "there is no validation data: pass validation: or validationSplit: to Fit" : "the targets are not Int32 class labels with [N, classes] outputs"),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, $"unknown training metric {(int)metric}."),
    };

    /// <summary>Whether a larger value of <paramref name="metric"/> is better (accuracies) rather than a smaller one (losses).</summary>
    public static bool HigherIsBetter(TrainingMetric metric) => metric is TrainingMetric.Accuracy or TrainingMetric.ValidationAccuracy;

    private InvalidOperationException Missing(TrainingMetric metric, string why) =>
        new($"{metric} was not measured in epoch {Epoch}: {why}.");

    /// <summary>
    /// The epoch's measurements, those not taken left out, e.g. "EpochResult { Epoch = 3, Loss = 0.123,
    /// Accuracy = 0.95, LearningRate = 0.001, Duration = 1.25 s }".
    /// </summary>
    public override string ToString() => new ResultText(nameof(EpochResult)).Add(nameof(Epoch), Epoch).Add(nameof(Loss), Loss).Add(nameof(Accuracy), Accuracy)
        .Add(nameof(ValidationLoss), ValidationLoss).Add(nameof(ValidationAccuracy), ValidationAccuracy).Add(nameof(LearningRate), LearningRate)
        .Add(nameof(Duration), ResultText.Number(Duration.TotalSeconds) + " s").ToString();
}
