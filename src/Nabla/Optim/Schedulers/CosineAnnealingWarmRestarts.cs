namespace Nabla.Optim.Schedulers;

/// <summary>
/// Cosine annealing with warm restarts (SGDR), as <c>torch.optim.lr_scheduler.CosineAnnealingWarmRestarts</c>:
/// ηₜ = η_min + (η₀ − η_min)(1 + cos(π·T_cur/T_i))/2, where T_cur counts the epochs since the last
/// restart and the period T_i starts at <see cref="FirstPeriod"/> and is multiplied by
/// <see cref="PeriodMultiplier"/> at each restart.
/// </summary>
public sealed class CosineAnnealingWarmRestarts : LearningRateScheduler
{
    private int _epochInPeriod;
    private int _period;

    /// <summary>Creates the schedule and sets the first learning rate.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to set.</param>
    /// <param name="firstPeriod">T_0, the epochs before the first restart (≥ 1).</param>
    /// <param name="periodMultiplier">T_mult, the factor by which each period grows (≥ 1).</param>
    /// <param name="minLearningRate">η_min, the lowest learning rate (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int firstPeriod, int periodMultiplier = 1, double minLearningRate = 0) : base(optimizer)
    {
        FirstPeriod = Hyperparameters.AtLeastOne(firstPeriod, "first period", nameof(firstPeriod));
        PeriodMultiplier = Hyperparameters.AtLeastOne(periodMultiplier, "period multiplier", nameof(periodMultiplier));
        MinLearningRate = Hyperparameters.NonNegative(minLearningRate, "min learning rate", nameof(minLearningRate));
        Step();
    }

    /// <summary>T_0, the epochs before the first restart.</summary>
    public int FirstPeriod { get; }

    /// <summary>T_mult, the factor by which each period grows.</summary>
    public int PeriodMultiplier { get; }

    /// <summary>η_min, the lowest learning rate.</summary>
    public double MinLearningRate { get; }

    private protected override double ComputeLearningRate()
    {
        if (LastEpoch == 0)
        {
            (_epochInPeriod, _period) = (0, FirstPeriod);
        }
        else if (++_epochInPeriod >= _period)
        {
            _epochInPeriod -= _period;
            _period *= PeriodMultiplier;
        }
        return MinLearningRate + (BaseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * _epochInPeriod / _period)) / 2;
    }

    private protected override IEnumerable<string> StateNames => ["T_cur", "T_i"];

    private protected override void WriteState(Dictionary<string, double> state)
    {
        state["T_cur"] = _epochInPeriod;
        state["T_i"] = _period;
    }

    private protected override void ReadState(IReadOnlyDictionary<string, double> state)
    {
        int period = SchedulerState.Count(state, "T_i", minimum: 1);
        int epochInPeriod = SchedulerState.Count(state, "T_cur");
        (_epochInPeriod, _period) = (epochInPeriod, period);
    }
}
