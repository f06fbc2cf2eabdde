using System.Globalization;

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
    public CallbackState StateDict() => _tracker.StateDict(_bestWeights, new() { ["wait"] = _wait, ["stopped_epoch"] = StoppedEpoch });

    /// <summary>Restores a state from <see cref="StateDict"/> of an EarlyStopping with the same settings.</summary>
    /// <exception cref="ArgumentException">A name is missing or unknown, a count is not a whole number, or the best weights are missing although <see cref="RestoreBestWeights"/> needs them.</exception>
    public void LoadStateDict(CallbackState state)
    {
        var (counters, best) = _tracker.LoadStateDict(state, RestoreBestWeights, nameof(EarlyStopping), "wait", "stopped_epoch");
        (_wait, StoppedEpoch, _bestWeights) = (counters["wait"], counters["stopped_epoch"], best);
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
