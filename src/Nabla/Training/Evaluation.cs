namespace Nabla.Training;

/// <summary>The loss, and the accuracy for classification, of a model on a data set; see <see cref="Trainer.Evaluate"/>.</summary>
/// <param name="Loss">The loss averaged over the samples.</param>
/// <param name="Accuracy">The share of samples classified correctly, or null when the targets are not class labels.</param>
public readonly record struct Evaluation(double Loss, double? Accuracy)
{
    /// <summary>The loss and, when measured, the accuracy, e.g. "Evaluation { Loss = 0.123, Accuracy = 0.95 }".</summary>
    public override string ToString() => new ResultText(nameof(Evaluation)).Add(nameof(Loss), Loss).Add(nameof(Accuracy), Accuracy).ToString();
}
