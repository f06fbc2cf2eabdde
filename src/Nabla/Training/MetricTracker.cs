using Nabla.Optim.Schedulers;

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

    private const string WeightsPrefix = "best.";

    /// <summary>
    /// A checkpoint state for a callback built on this tracker: the best value and epoch, the
    /// callback's own <paramref name="counters"/>, and copies of the best epoch's weights (as
    /// <c>"best.&lt;name&gt;"</c>) when it keeps them.
    /// </summary>
    public CallbackState StateDict(IReadOnlyDictionary<string, Tensor>? bestWeights, Dictionary<string, double> counters)
    {
        counters["best"] = Best;
        counters["best_epoch"] = BestEpoch;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        if (bestWeights is not null)
            foreach (var (name, tensor) in bestWeights) tensors[WeightsPrefix + name] = tensor.Clone();
        return new CallbackState(counters, tensors);
    }

    /// <summary>
    /// Checks a state from <see cref="StateDict"/> (exactly the best value, best epoch and
    /// <paramref name="counterNames"/>, whole-number counters, best weights exactly when
    /// <paramref name="keepsWeights"/> and there is a best epoch), then restores the best value and
    /// epoch and returns the counters and a copy of the best weights (null when none).
    /// </summary>
    /// <exception cref="ArgumentException">The state does not fit; nothing is restored.</exception>
    public (Dictionary<string, int> Counters, Dictionary<string, Tensor>? BestWeights) LoadStateDict(CallbackState state, bool keepsWeights, string owner, params string[] counterNames)
    {
        ArgumentNullException.ThrowIfNull(state);
        SchedulerState.RequireNames(state.Scalars, ["best", "best_epoch", .. counterNames], owner);
        int bestEpoch = SchedulerState.Count(state.Scalars, "best_epoch");
        var counters = counterNames.ToDictionary(n => n, n => SchedulerState.Count(state.Scalars, n), StringComparer.Ordinal);
        Dictionary<string, Tensor>? weights = null;
        if (state.Tensors.Count > 0)
        {
            if (!keepsWeights)
                throw new ArgumentException($"{owner}.LoadStateDict: the state holds best weights but this {owner} does not keep them.", nameof(state));
            var unknown = state.Tensors.Keys.Where(n => !n.StartsWith(WeightsPrefix, StringComparison.Ordinal)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"{owner}.LoadStateDict: unknown state tensors [{string.Join(", ", unknown)}]; the best weights are named \"{WeightsPrefix}<parameter>\".", nameof(state));
            weights = state.Tensors.ToDictionary(p => p.Key[WeightsPrefix.Length..], p => p.Value.Clone(), StringComparer.Ordinal);
        }
        else if (keepsWeights && bestEpoch > 0)
        {
            throw new ArgumentException($"{owner}.LoadStateDict: the state has a best epoch ({bestEpoch}) but not its weights, which this {owner} keeps; was it saved by one that does not?", nameof(state));
        }
        (Best, BestEpoch) = (state.Scalars["best"], bestEpoch);
        return (counters, weights);
    }

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
