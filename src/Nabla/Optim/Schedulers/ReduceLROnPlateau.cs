namespace Nabla.Optim.Schedulers;

/// <summary>
/// Cuts the learning rate by <see cref="Factor"/> when a watched metric has not improved for more
/// than <see cref="Patience"/> epochs, as <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c>. Unlike
/// the other schedules it needs the metric, so it is stepped with <see cref="Step(double)"/>.
/// </summary>
public sealed class ReduceLROnPlateau
{
    private double _best;
    private int _badEpochs;
    private int _cooldownCounter;

    /// <summary>Creates the scheduler; every setting is checked here.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to cut.</param>
    /// <param name="mode">Whether the metric should fall (a loss) or rise (an accuracy).</param>
    /// <param name="factor">The learning rate is multiplied by this on a plateau, in [0, 1).</param>
    /// <param name="patience">Epochs without improvement tolerated before a cut (≥ 0).</param>
    /// <param name="threshold">The least change that counts as an improvement (≥ 0).</param>
    /// <param name="thresholdMode">Whether the threshold is relative to the best value or absolute.</param>
    /// <param name="cooldown">Epochs after a cut during which bad epochs are not counted (≥ 0).</param>
    /// <param name="minLearningRate">The learning rate is never cut below this (≥ 0).</param>
    /// <param name="eps">A cut smaller than this is skipped (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public ReduceLROnPlateau(Optimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Relative, int cooldown = 0, double minLearningRate = 0, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), $"mode must be Min or Max, got {mode}");
        if (!Enum.IsDefined(thresholdMode)) throw new ArgumentOutOfRangeException(nameof(thresholdMode), $"threshold mode must be Relative or Absolute, got {thresholdMode}");
        Mode = mode;
        ThresholdMode = thresholdMode;
        Factor = Hyperparameters.InUnitInterval(factor, "factor", nameof(factor));
        Patience = patience >= 0 ? patience : throw new ArgumentOutOfRangeException(nameof(patience), $"patience must be non-negative, got {patience}");
        Threshold = Hyperparameters.NonNegative(threshold, "threshold", nameof(threshold));
        Cooldown = cooldown >= 0 ? cooldown : throw new ArgumentOutOfRangeException(nameof(cooldown), $"cooldown must be non-negative, got {cooldown}");
        MinLearningRate = Hyperparameters.NonNegative(minLearningRate, "min learning rate", nameof(minLearningRate));
        Eps = Hyperparameters.NonNegative(eps, "eps", nameof(eps));
        _best = Worst;
        LastLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate this cuts.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Whether the metric should fall or rise.</summary>
    public PlateauMode Mode { get; }

    /// <summary>The multiplier applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated before a cut.</summary>
    public int Patience { get; }

    /// <summary>The least change that counts as an improvement.</summary>
    public double Threshold { get; }

    /// <summary>Whether <see cref="Threshold"/> is relative or absolute.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Epochs after a cut during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The floor of the learning rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>Cuts smaller than this are skipped.</summary>
    public double Eps { get; }

    /// <summary>How many times <see cref="Step(double)"/> has run.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The learning rate after the last step (the optimizer's, before any step).</summary>
    public double LastLearningRate { get; private set; }

    /// <summary>The best metric seen so far (±∞ before the first step).</summary>
    public double Best => _best;

    /// <summary>Records one epoch's metric, and cuts the learning rate if it has stalled too long.</summary>
    public void Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric))
        {
            _best = metric;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }
        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            _badEpochs = 0;
        }
        if (_badEpochs > Patience)
        {
            double old = Optimizer.LearningRate, cut = Math.Max(old * Factor, MinLearningRate);
            if (old - cut > Eps) Optimizer.LearningRate = cut;
            _cooldownCounter = Cooldown;
            _badEpochs = 0;
        }
        LastLearningRate = Optimizer.LearningRate;
    }

    /// <summary>What the scheduler needs to resume: the epoch, the best metric and its counters.</summary>
    public IReadOnlyDictionary<string, double> StateDict() => new Dictionary<string, double>
    {
        ["last_epoch"] = LastEpoch,
        ["last_lr"] = LastLearningRate,
        ["best"] = _best,
        ["num_bad_epochs"] = _badEpochs,
        ["cooldown_counter"] = _cooldownCounter,
    };

    /// <summary>Restores a state from <see cref="StateDict"/> of a scheduler built with the same settings.</summary>
    /// <exception cref="ArgumentException">A name is missing or unknown, or a count is not a whole number.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        SchedulerState.RequireNames(state, ["last_epoch", "last_lr", "best", "num_bad_epochs", "cooldown_counter"], nameof(ReduceLROnPlateau));
        int lastEpoch = SchedulerState.Count(state, "last_epoch");
        int badEpochs = SchedulerState.Count(state, "num_bad_epochs");
        int cooldownCounter = SchedulerState.Count(state, "cooldown_counter");
        (LastEpoch, _badEpochs, _cooldownCounter) = (lastEpoch, badEpochs, cooldownCounter);
        (_best, LastLearningRate) = (state["best"], state["last_lr"]);
    }

    private double Worst => Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    private bool IsBetter(double metric) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Relative) => metric < _best * (1 - Threshold),
        (PlateauMode.Min, ThresholdMode.Absolute) => metric < _best - Threshold,
        (PlateauMode.Max, ThresholdMode.Relative) => metric > _best * (1 + Threshold),
        _ => metric > _best + Threshold,
    };
}
