using Nabla.Optim.Schedulers;

namespace Nabla.Training;

/// <summary>
/// Steps a learning-rate schedule during <see cref="Trainer.Fit(DataLoader, int, DataLoader?)"/>: a
/// <see cref="LearningRateScheduler"/> after every epoch or every batch, or a
/// <see cref="ReduceLROnPlateau"/> after every epoch with the value of a watched metric (the validation loss by default).
/// </summary>
/// <example>
/// <code>
/// trainer.Callbacks.Add(new SchedulerCallback(new ReduceLROnPlateau(optimizer, patience: 3)));
/// trainer.Callbacks.Add(new SchedulerCallback(new OneCycleLR(optimizer, 0.1, totalSteps), SchedulerInterval.Batch));
/// </code>
/// </example>
/// <remarks>
/// Its state is the schedule's (<see cref="LearningRateScheduler.StateDict"/> or
/// <see cref="ReduceLROnPlateau.StateDict"/>), so a training checkpoint resumes the schedule where it was.
/// </remarks>
public sealed class SchedulerCallback : IStatefulCallback
{
    private readonly LearningRateScheduler? _scheduler;
    private readonly ReduceLROnPlateau? _plateau;

    /// <summary>Steps <paramref name="scheduler"/> once per epoch or once per batch.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not a defined value.</exception>
    public SchedulerCallback(LearningRateScheduler scheduler, SchedulerInterval interval = SchedulerInterval.Epoch)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        if (!Enum.IsDefined(interval))
            throw new ArgumentOutOfRangeException(nameof(interval), interval, $"SchedulerCallback: the interval must be Epoch or Batch, got {(int)interval}.");
        _scheduler = scheduler;
        Interval = interval;
    }

    /// <summary>Steps <paramref name="scheduler"/> after each epoch with that epoch's value of <paramref name="monitor"/>.</summary>
    /// <exception cref="ArgumentException">The scheduler's mode does not fit the metric (Min for a loss, Max for an accuracy).</exception>
    public SchedulerCallback(ReduceLROnPlateau scheduler, TrainingMetric monitor = TrainingMetric.ValidationLoss)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Monitor = MetricTracker.CheckMetric(monitor, nameof(SchedulerCallback));
        var fitting = EpochResult.HigherIsBetter(monitor) ? PlateauMode.Max : PlateauMode.Min;
        if (scheduler.Mode != fitting)
            throw new ArgumentException($"SchedulerCallback: {monitor} should be {(fitting == PlateauMode.Max ? "maximised" : "minimised")}, but the ReduceLROnPlateau has mode {scheduler.Mode}; create it with mode: PlateauMode.{fitting}.", nameof(scheduler));
        _plateau = scheduler;
        Interval = SchedulerInterval.Epoch;
    }

    /// <summary>How often the schedule is stepped.</summary>
    public SchedulerInterval Interval { get; }

    /// <summary>The metric a <see cref="ReduceLROnPlateau"/> is stepped with; null for other schedules.</summary>
    public TrainingMetric? Monitor { get; }

    /// <summary>The schedule's state: its epoch, last learning rate and counters.</summary>
    public CallbackState StateDict() => new(_plateau?.StateDict() ?? _scheduler!.StateDict());

    /// <summary>Restores the schedule's state from <see cref="StateDict"/> of a callback over the same kind of schedule.</summary>
    /// <exception cref="ArgumentException">The state does not fit the schedule, or holds tensors.</exception>
    public void LoadStateDict(CallbackState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Tensors.Count > 0)
            throw new ArgumentException($"SchedulerCallback.LoadStateDict: a schedule's state is numbers only, but this one holds the tensors [{string.Join(", ", state.Tensors.Keys)}].", nameof(state));
        if (_plateau is not null) _plateau.LoadStateDict(state.Scalars);
        else _scheduler!.LoadStateDict(state.Scalars);
    }

    void ITrainingCallback.OnBatchEnd(Trainer trainer, Batch batch)
    {
        if (Interval == SchedulerInterval.Batch) _scheduler!.Step();
    }

    void ITrainingCallback.OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        if (Interval != SchedulerInterval.Epoch) return;
        if (_plateau is not null) _plateau.Step(epoch.Get(Monitor!.Value));
        else _scheduler!.Step();
    }
}
