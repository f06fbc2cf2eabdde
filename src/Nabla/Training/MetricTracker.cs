namespace Nabla.Training;

/// <summary>
/// Follows one <see cref="TrainingMetric"/> across epochs and says when it improves: by more than
/// a minimum change, downward for losses and upward for accuracies. Shared by the callbacks that
/// act on the best epoch.
/// </summary>
internal sealed class MetricTracker(TrainingMetric metric, double minDelta)
{
    /// <summary>The metric followed.</summary>
    public TrainingMetric Metric { get; } = metric;

    /// <summary>The best value so far (NaN before the first epoch).</summary>
    public double Best { get; private set; } = double.NaN;

    /// <summary>The epoch of <see cref="Best"/>, or 0.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Forgets the best value, for a new run.</summary>
    public void Reset() => (Best, BestEpoch) = (double.NaN, 0);

    /// <summary>Puts back a best value and its epoch saved from an earlier run (0 for none yet).</summary>
    public void Restore(double best, int bestEpoch) => (Best, BestEpoch) = (best, bestEpoch);

    /// <summary>Records <paramref name="epoch"/>'s value; true when it improves on the best by more than the minimum change (always for the first).</summary>
    public bool Improved(EpochResult epoch)
    {
        double value = epoch.Get(Metric);
        bool better = BestEpoch == 0 || (EpochResult.HigherIsBetter(Metric) ? value > Best + minDelta : value < Best - minDelta);
        if (better) (Best, BestEpoch) = (value, epoch.Epoch);
        return better;
    }

    /// <summary>Checks a minimum change given by a user.</summary>
    public static double CheckMinDelta(double minDelta, string callback) =>
        minDelta >= 0 && double.IsFinite(minDelta) ? minDelta
            : throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, $"{callback}: the minimum change must be zero or positive and finite, got {minDelta}.");

    /// <summary>Checks a metric given by a user.</summary>
    public static TrainingMetric CheckMetric(TrainingMetric metric, string callback) =>
        Enum.IsDefined(metric) ? metric
            : throw new ArgumentOutOfRangeException(nameof(metric), metric, $"{callback}: unknown metric {(int)metric}; use Loss, Accuracy, ValidationLoss or ValidationAccuracy.");
}
