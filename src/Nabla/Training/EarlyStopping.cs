using System.Globalization;
using Nabla.Optim.Schedulers;

namespace Nabla.Training;

/// <summary>
/// Stops training when a metric has not improved for <see cref="Patience"/> epochs, as Keras'
/// <c>EarlyStopping</c>; optionally puts back the weights of the best epoch when it stops (or
/// when the last epoch ends, if the best one was earlier).
/// </summary>
/// <remarks>
/// Its state (the epochs waited, the best value and epoch, and the best weights when it restores
/// them) goes into a training checkpoint, so a resumed run stops, and restores, as the uninterrupted one.
/// </remarks>
public sealed class EarlyStopping : IStatefulCallback
{
    private readonly MetricTracker _tracker;
    private Dictionary<string, Tensor>? _bestWeights;
    private const string BestPrefix = "best.";
    private int _wait;

    /// <summary>Creates the callback.</summary>
    /// <param name="patience">How many epochs without improvement to allow before stopping (≥ 1).</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (≥ 0).</param>
    /// <param name="monitor">The metric to watch; the validation loss by default.</param>
    /// <param name="restoreBestWeights">Whether to load the best epoch's weights back into the model at the end.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public EarlyStopping(int patience = 5, double minDelta = 0, TrainingMetric monitor = TrainingMetric.ValidationLoss, bool restoreBestWeights = false)
    {
        if (patience < 1)
            throw new ArgumentOutOfRangeException(nameof(patience), patience, $"EarlyStopping: patience must be at least 1 epoch, got {patience}.");
        Patience = patience;
        _tracker = new MetricTracker(MetricTracker.CheckMetric(monitor, nameof(EarlyStopping)), MetricTracker.CheckMinDelta(minDelta, nameof(EarlyStopping)));
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>How many epochs without improvement are allowed.</summary>
    public int Patience { get; }

    /// <summary>The metric watched.</summary>
    public TrainingMetric Monitor => _tracker.Metric;

    /// <summary>Whether the best epoch's weights are put back at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The epoch with the best value of <see cref="Monitor"/> so far (0 before the first).</summary>
    public int BestEpoch => _tracker.BestEpoch;

    /// <summary>The best value of <see cref="Monitor"/> so far.</summary>
    public double BestValue => _tracker.Best;

    /// <summary>The epoch after which training was stopped, or 0 when it was not.</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>The epochs waited without improvement, the best value and epoch, the stopped epoch, and the best weights (as <c>"best.&lt;name&gt;"</c>) when <see cref="RestoreBestWeights"/>.</summary>
    public CallbackState StateDict()
    {
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["wait"] = _wait,
            ["best"] = BestValue,
            ["best_epoch"] = BestEpoch,
            ["stopped_epoch"] = StoppedEpoch,
        };
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        if (_bestWeights is not null)
            foreach (var (name, tensor) in _bestWeights) tensors[BestPrefix + name] = tensor.Clone();
        return new CallbackState(scalars, tensors);
    }

    /// <summary>Restores a state from <see cref="StateDict"/> of an EarlyStopping with the same settings.</summary>
    /// <exception cref="ArgumentException">A name is missing or unknown, a count is not a whole number, or the best weights are missing although <see cref="RestoreBestWeights"/> needs them.</exception>
    public void LoadStateDict(CallbackState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        SchedulerState.RequireNames(state.Scalars, ["wait", "best", "best_epoch", "stopped_epoch"], nameof(EarlyStopping));
        int wait = SchedulerState.Count(state.Scalars, "wait");
        int bestEpoch = SchedulerState.Count(state.Scalars, "best_epoch");
        int stoppedEpoch = SchedulerState.Count(state.Scalars, "stopped_epoch");
        Dictionary<string, Tensor>? best = null;
        if (state.Tensors.Count > 0)
        {
            if (!RestoreBestWeights)
                throw new ArgumentException($"EarlyStopping.LoadStateDict: the state holds best weights but this EarlyStopping does not restore them (restoreBestWeights: false).", nameof(state));
            var unknown = state.Tensors.Keys.Where(n => !n.StartsWith(BestPrefix, StringComparison.Ordinal)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"EarlyStopping.LoadStateDict: unknown state tensors [{string.Join(", ", unknown)}]; the best weights are named \"{BestPrefix}<parameter>\".", nameof(state));
            best = state.Tensors.ToDictionary(p => p.Key[BestPrefix.Length..], p => p.Value.Clone(), StringComparer.Ordinal);
        }
        else if (RestoreBestWeights && bestEpoch > 0)
        {
            throw new ArgumentException($"EarlyStopping.LoadStateDict: the state has a best epoch ({bestEpoch}) but not its weights, which restoreBestWeights: true needs; was it saved by an EarlyStopping without restoreBestWeights?", nameof(state));
        }
        _tracker.Restore(state.Scalars["best"], bestEpoch);
        (_wait, StoppedEpoch, _bestWeights) = (wait, stoppedEpoch, best);
    }

    void ITrainingCallback.OnTrainBegin(Trainer trainer)
    {
        _tracker.Reset();
        (_wait, StoppedEpoch, _bestWeights) = (0, 0, null);
    }

    void ITrainingCallback.OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        if (_tracker.Improved(epoch))
        {
            _wait = 0;
            if (RestoreBestWeights) _bestWeights = ModelSnapshot.Take(trainer.Model);
            return;
        }
        if (++_wait < Patience) return;
        StoppedEpoch = epoch.Epoch;
        trainer.Stop(string.Create(CultureInfo.InvariantCulture,
            $"early stopping: {Monitor} did not improve for {Patience} epochs (best {BestValue:G6} at epoch {BestEpoch})"));
    }

    void ITrainingCallback.OnTrainEnd(Trainer trainer)
    {
        if (RestoreBestWeights && _bestWeights is not null && BestEpoch != trainer.Epoch) trainer.Model.LoadStateDict(_bestWeights);
    }
}
