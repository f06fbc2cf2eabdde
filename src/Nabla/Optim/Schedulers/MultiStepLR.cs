namespace Nabla.Optim.Schedulers;

/// <summary>
/// Multiplies the learning rate by gamma at each milestone epoch (by gamma^k for a milestone given
/// k times), as <c>torch.optim.lr_scheduler.MultiStepLR</c>.
/// </summary>
public sealed class MultiStepLR : LearningRateScheduler
{
    private readonly int[] _milestones;

    /// <summary>Creates the schedule and sets the first learning rate.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to set.</param>
    /// <param name="milestones">The epochs (≥ 1) at which to decay, in any order.</param>
    /// <param name="gamma">Factor applied at each milestone (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A milestone is below 1, or gamma is negative.</exception>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1) : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _milestones = milestones.Order().ToArray();
        foreach (int m in _milestones) Hyperparameters.AtLeastOne(m, "milestone", nameof(milestones));
        Gamma = Hyperparameters.NonNegative(gamma, "gamma", nameof(gamma));
        Milestones = _milestones.AsReadOnly();
        Step();
    }

    /// <summary>The milestone epochs, sorted.</summary>
    public IReadOnlyList<int> Milestones { get; }

    /// <summary>Factor applied at each milestone.</summary>
    public double Gamma { get; }

    private protected override double ComputeLearningRate()
    {
        int hits = 0;
        foreach (int m in _milestones) if (m == LastEpoch) hits++;
        return hits == 0 ? Optimizer.LearningRate : Optimizer.LearningRate * Math.Pow(Gamma, hits);
    }
}
