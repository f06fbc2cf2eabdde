namespace Nabla.Training;

/// <summary>A per-epoch quantity that callbacks such as <see cref="EarlyStopping"/> watch.</summary>
public enum TrainingMetric
{
    /// <summary>The mean training loss over the epoch's batches (lower is better).</summary>
    Loss,

    /// <summary>The training accuracy over the epoch (higher is better; classification only).</summary>
    Accuracy,

    /// <summary>The loss on the validation data after the epoch (lower is better).</summary>
    ValidationLoss,

    /// <summary>The accuracy on the validation data after the epoch (higher is better; classification only).</summary>
    ValidationAccuracy,
}
