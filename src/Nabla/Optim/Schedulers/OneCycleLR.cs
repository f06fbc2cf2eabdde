namespace Nabla.Optim.Schedulers;

/// <summary>
/// The one-cycle policy, as <c>torch.optim.lr_scheduler.OneCycleLR</c>: the learning rate rises
/// from maxLearningRate/divFactor to maxLearningRate over the first <see cref="PercentStart"/> of
/// <see cref="TotalSteps"/>, then falls to maxLearningRate/(divFactor·finalDivFactor); the momentum
/// (Adam's beta1) moves the opposite way between maxMomentum and baseMomentum. Step it once per batch.
/// </summary>
public sealed class OneCycleLR : LearningRateScheduler
{
    private readonly (double EndStep, double StartLr, double EndLr, double StartMomentum, double EndMomentum)[] _phases;
    private readonly IMomentumOptimizer? _momentumOptimizer;

    /// <summary>Creates the schedule, sets the momentum to its maximum, and sets the first learning rate.</summary>
    /// <param name="optimizer">The optimizer whose learning rate (and momentum) to set.</param>
    /// <param name="maxLearningRate">The peak learning rate (&gt; 0).</param>
    /// <param name="totalSteps">How many times <see cref="LearningRateScheduler.Step"/> will be called (≥ 1).</param>
    /// <param name="percentStart">The fraction of the steps spent rising, in [0, 1].</param>
    /// <param name="annealStrategy">Cosine or linear moves between the end points.</param>
    /// <param name="cycleMomentum">Cycle the optimizer's momentum (it must be an <see cref="IMomentumOptimizer"/>).</param>
    /// <param name="baseMomentum">The momentum at the peak learning rate, in [0, 1).</param>
    /// <param name="maxMomentum">The momentum at the start and the end, in [0, 1).</param>
    /// <param name="divFactor">The first learning rate is maxLearningRate / divFactor (&gt; 0).</param>
    /// <param name="finalDivFactor">The last learning rate is the first / finalDivFactor (&gt; 0).</param>
    /// <param name="threePhase">Fall back to the first rate symmetrically before annealing to the last (PyTorch's <c>three_phase</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    /// <exception cref="ArgumentException">Momentum cycling was asked of an optimizer without momentum.</exception>
    public OneCycleLR(Optimizer optimizer, double maxLearningRate, int totalSteps, double percentStart = 0.3,
        AnnealStrategy annealStrategy = AnnealStrategy.Cosine, bool cycleMomentum = true, double baseMomentum = 0.85,
        double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
        : base(optimizer, Hyperparameters.Positive(maxLearningRate, "max learning rate", nameof(maxLearningRate)) / Hyperparameters.Positive(divFactor, "div factor", nameof(divFactor)))
    {
        TotalSteps = Hyperparameters.AtLeastOne(totalSteps, "total steps", nameof(totalSteps));
        PercentStart = Hyperparameters.Fraction(percentStart, "percent start", nameof(percentStart));
        if (!Enum.IsDefined(annealStrategy))
            throw new ArgumentOutOfRangeException(nameof(annealStrategy), $"anneal strategy must be Cosine or Linear, got {annealStrategy}");
        AnnealStrategy = annealStrategy;
        MaxLearningRate = maxLearningRate;
        double initial = BaseLearningRate, min = initial / Hyperparameters.Positive(finalDivFactor, "final div factor", nameof(finalDivFactor));
        Hyperparameters.InUnitInterval(baseMomentum, "base momentum", nameof(baseMomentum));
        Hyperparameters.InUnitInterval(maxMomentum, "max momentum", nameof(maxMomentum));
        double rise = PercentStart * TotalSteps - 1;
        _phases = threePhase
            ? [(rise, initial, maxLearningRate, maxMomentum, baseMomentum),
               (2 * PercentStart * TotalSteps - 2, maxLearningRate, initial, baseMomentum, maxMomentum),
               (TotalSteps - 1, initial, min, maxMomentum, maxMomentum)]
            : [(rise, initial, maxLearningRate, maxMomentum, baseMomentum),
               (TotalSteps - 1, maxLearningRate, min, baseMomentum, maxMomentum)];
        if (cycleMomentum)
        {
            _momentumOptimizer = optimizer as IMomentumOptimizer
                ?? throw new ArgumentException($"OneCycleLR: cycleMomentum needs an optimizer with a momentum (Sgd, RmsProp, Adam, AdamW), got {optimizer.GetType().Name}; pass cycleMomentum: false.", nameof(cycleMomentum));
            _momentumOptimizer.Momentum = maxMomentum;
        }
        Step();
    }

    /// <summary>The peak learning rate.</summary>
    public double MaxLearningRate { get; }

    /// <summary>How many steps the cycle lasts.</summary>
    public int TotalSteps { get; }

    /// <summary>The fraction of the steps spent rising.</summary>
    public double PercentStart { get; }

    /// <summary>How the schedule moves between end points.</summary>
    public AnnealStrategy AnnealStrategy { get; }

    /// <exception cref="InvalidOperationException">The schedule has run all its <see cref="TotalSteps"/>.</exception>
    private protected override double ComputeLearningRate()
    {
        int step = LastEpoch;
        if (step > TotalSteps)
            throw new InvalidOperationException($"OneCycleLR: tried to step {step + 1} times, but the schedule has {TotalSteps} total steps; create it with a larger totalSteps.");
        double start = 0;
        for (int i = 0; ; i++)
        {
            var phase = _phases[i];
            if (step <= phase.EndStep || i == _phases.Length - 1)
            {
                double fraction = (step - start) / (phase.EndStep - start);
                if (_momentumOptimizer is not null)
                    _momentumOptimizer.Momentum = Anneal(phase.StartMomentum, phase.EndMomentum, fraction);
                return Anneal(phase.StartLr, phase.EndLr, fraction);
            }
            start = phase.EndStep;
        }
    }

    private double Anneal(double start, double end, double fraction) => AnnealStrategy == AnnealStrategy.Cosine
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * fraction) + 1)
        : (end - start) * fraction + start;
}
