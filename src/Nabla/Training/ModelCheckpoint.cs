using Nabla.NN;

namespace Nabla.Training;

/// <summary>
/// Takes a snapshot of the model's state (a copy of <see cref="Module.StateDict"/>) after each epoch
/// that improves a metric, or after every epoch, as Keras' <c>ModelCheckpoint</c>: keeps the best
/// in memory (<see cref="BestState"/>) and hands each snapshot to a delegate, which may save it.
/// </summary>
/// <example>
/// <code>
/// var checkpoint = new ModelCheckpoint(TrainingMetric.ValidationAccuracy);
/// trainer.Callbacks.Add(checkpoint);
/// trainer.Fit(train, 30, validation);
/// model.LoadStateDict(checkpoint.BestState!);
/// </code>
/// </example>
/// <remarks>
/// Its state (the best value and epoch, and <see cref="BestState"/>) goes into a training
/// checkpoint, so after a resume it still knows the best epoch of the whole run.
/// </remarks>
public sealed class ModelCheckpoint : IStatefulCallback
{
    private readonly MetricTracker _tracker;
    private readonly Action<EpochResult, IReadOnlyDictionary<string, Tensor>>? _onSnapshot;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The metric that decides the best epoch; the validation loss by default.</param>
    /// <param name="onSnapshot">Called with the epoch and the snapshot (the callback's own copy, which it may keep); null to keep only <see cref="BestState"/>.</param>
    /// <param name="saveBestOnly">Whether to take snapshots only of improving epochs (true) or of every epoch.</param>
    /// <param name="minDelta">The smallest change of the metric that counts as an improvement (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public ModelCheckpoint(TrainingMetric monitor = TrainingMetric.ValidationLoss,
        Action<EpochResult, IReadOnlyDictionary<string, Tensor>>? onSnapshot = null, bool saveBestOnly = true, double minDelta = 0)
    {
        _tracker = new MetricTracker(MetricTracker.CheckMetric(monitor, nameof(ModelCheckpoint)), MetricTracker.CheckMinDelta(minDelta, nameof(ModelCheckpoint)));
        _onSnapshot = onSnapshot;
        SaveBestOnly = saveBestOnly;
    }

    /// <summary>The metric that decides the best epoch.</summary>
    public TrainingMetric Monitor => _tracker.Metric;

    /// <summary>Whether snapshots are taken only of improving epochs.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>The epoch of <see cref="BestState"/>, or 0 before the first epoch.</summary>
    public int BestEpoch => _tracker.BestEpoch;

    /// <summary>The best value of <see cref="Monitor"/>.</summary>
    public double BestValue => _tracker.Best;

    /// <summary>A copy of the model's state after the best epoch; load it with <see cref="Module.LoadStateDict"/>.</summary>
    public IReadOnlyDictionary<string, Tensor>? BestState { get; private set; }

    /// <summary>The best value and epoch, and the best weights (as <c>"best.&lt;name&gt;"</c>) once an epoch has finished.</summary>
    public CallbackState StateDict() => _tracker.StateDict(BestState, []);

    /// <summary>Restores a state from <see cref="StateDict"/> of a ModelCheckpoint watching the same metric.</summary>
    /// <exception cref="ArgumentException">A name is missing or unknown, or the best weights are missing although there is a best epoch.</exception>
    public void LoadStateDict(CallbackState state) => BestState = _tracker.LoadStateDict(state, keepsWeights: true, nameof(ModelCheckpoint)).BestWeights;

    void ITrainingCallback.OnTrainBegin(Trainer trainer)
    {
        _tracker.Reset();
        BestState = null;
    }

    void ITrainingCallback.OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        bool improved = _tracker.Improved(epoch);
        if (!improved && SaveBestOnly) return;
        var snapshot = ModelSnapshot.Take(trainer.Model);
        if (improved) BestState = snapshot;
        _onSnapshot?.Invoke(epoch, improved ? ModelSnapshot.Take(trainer.Model) : snapshot);
    }
}
