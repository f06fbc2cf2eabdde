namespace Nabla.Training;

/// <summary>
/// The record of a training run, one <see cref="EpochResult"/> per epoch, as Keras' <c>History</c>:
/// losses and accuracies on the training and validation data and the learning rate, epoch by epoch.
/// </summary>
public sealed class History
{
    private readonly List<EpochResult> _epochs = [];

    /// <summary>Each finished epoch, in order.</summary>
    public IReadOnlyList<EpochResult> Epochs => _epochs;

    /// <summary>The training loss of each epoch.</summary>
    public IReadOnlyList<double> Loss => Column(e => e.Loss);

    /// <summary>The validation loss of each epoch (empty without validation data).</summary>
    public IReadOnlyList<double> ValidationLoss => Column(e => e.ValidationLoss);

    /// <summary>The training accuracy of each epoch (empty when the targets are not class labels).</summary>
    public IReadOnlyList<double> Accuracy => Column(e => e.Accuracy);

    /// <summary>The validation accuracy of each epoch (empty without validation data or class labels).</summary>
    public IReadOnlyList<double> ValidationAccuracy => Column(e => e.ValidationAccuracy);

    /// <summary>The learning rate at the start of each epoch.</summary>
    public IReadOnlyList<double> LearningRate => Column(e => e.LearningRate);

    /// <summary>Why training ended before its last epoch (a callback's reason), or null when it ran them all.</summary>
    public string? StopReason { get; internal set; }

    /// <summary>The epoch (from 1) where <paramref name="metric"/> was best, or 0 when no epoch has finished.</summary>
    /// <exception cref="InvalidOperationException">The metric was not measured.</exception>
    public int BestEpoch(TrainingMetric metric)
    {
        int best = 0;
        double bestValue = 0;
        bool higher = EpochResult.HigherIsBetter(metric);
        foreach (var epoch in _epochs)
        {
            double value = epoch.Get(metric);
            if (best == 0 || (higher ? value > bestValue : value < bestValue)) (best, bestValue) = (epoch.Epoch, value);
        }
        return best;
    }

    /// <summary>Appends the record of one more epoch (or round, for a loop of one's own such as federated averaging).</summary>
    public void Add(EpochResult epoch) => _epochs.Add(epoch);

    private double[] Column(Func<EpochResult, double?> select)
    {
        var values = new List<double>(_epochs.Count);
        foreach (var epoch in _epochs)
            if (select(epoch) is { } value) values.Add(value);
        return [.. values];
    }

    /// <summary>
    /// The number of epochs and each measured column, long ones shortened to their ends, and why training
    /// stopped early, e.g. "History { Epochs = 10, Loss = [2.3, 1.1, 0.8, ..., 0.2, 0.19, 0.18] (10 items), LearningRate = […] }".
    /// </summary>
    public override string ToString()
    {
        var text = new ResultText(nameof(History)).Add(nameof(Epochs), _epochs.Count);
        foreach (var (name, column) in new[] { (nameof(Loss), Loss), (nameof(Accuracy), Accuracy), (nameof(ValidationLoss), ValidationLoss),
                     (nameof(ValidationAccuracy), ValidationAccuracy), (nameof(LearningRate), LearningRate) })
            if (column.Count > 0) text.Add(name, column);
        return text.AddQuoted(nameof(StopReason), StopReason).ToString();
    }
}
