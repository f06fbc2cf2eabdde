namespace Nabla.Optim.Schedulers;

/// <summary>
/// Sets an optimizer's <see cref="Optimizer.LearningRate"/> once per <see cref="Step"/>, as
/// PyTorch's <c>torch.optim.lr_scheduler</c> classes: call <c>optimizer.Step()</c> then
/// <c>scheduler.Step()</c>, once per epoch (or per batch, for <see cref="OneCycleLR"/>).
/// </summary>
/// <remarks>
/// Creating a scheduler takes its first step (epoch 0), which sets the first learning rate, as in
/// PyTorch. Schedules that PyTorch computes from the current learning rate ("chainable" forms,
/// e.g. multiplying by gamma) are computed the same way here, so the sequence of
/// <see cref="LastLearningRate"/> matches <c>get_last_lr()</c> step for step.
/// </remarks>
public abstract class LearningRateScheduler
{
    private protected LearningRateScheduler(Optimizer optimizer, double? baseLearningRate = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = baseLearningRate ?? optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate this schedules.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The learning rate the schedule starts from (PyTorch's <c>initial_lr</c>).</summary>
    public double BaseLearningRate { get; }

    /// <summary>How many times <see cref="Step"/> has run, less one: 0 after construction.</summary>
    public int LastEpoch { get; private set; } = -1;

    /// <summary>The learning rate the last step set (PyTorch's <c>get_last_lr()</c>).</summary>
    public double LastLearningRate { get; private set; }

    /// <summary>Advances the schedule one epoch and sets the optimizer's learning rate.</summary>
    public void Step()
    {
        LastEpoch++;
        double learningRate = ComputeLearningRate();
        Optimizer.LearningRate = learningRate;
        LastLearningRate = learningRate;
    }

    /// <summary>What the schedule needs to resume: the epoch, the last learning rate and any schedule-specific counters.</summary>
    public IReadOnlyDictionary<string, double> StateDict()
    {
        var state = new Dictionary<string, double> { ["last_epoch"] = LastEpoch, ["last_lr"] = LastLearningRate };
        WriteState(state);
        return state;
    }

    /// <summary>
    /// Restores a state from <see cref="StateDict"/> of a scheduler built with the same settings.
    /// The optimizer's learning rate is restored by its own <see cref="Optimizer.LoadStateDict"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A name is missing or unknown, or a count is not a whole number.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        SchedulerState.RequireNames(state, ["last_epoch", "last_lr", .. StateNames], GetType().Name);
        int lastEpoch = SchedulerState.Count(state, "last_epoch");
        ReadState(state);
        LastEpoch = lastEpoch;
        LastLearningRate = state["last_lr"];
    }

    /// <summary>The learning rate for epoch <see cref="LastEpoch"/> (already advanced).</summary>
    private protected abstract double ComputeLearningRate();

    /// <summary>The names of the schedule-specific state entries.</summary>
    private protected virtual IEnumerable<string> StateNames => [];

    /// <summary>Adds the schedule-specific state.</summary>
    private protected virtual void WriteState(Dictionary<string, double> state) { }

    /// <summary>Checks and installs the schedule-specific state (names already checked).</summary>
    private protected virtual void ReadState(IReadOnlyDictionary<string, double> state) { }
}
