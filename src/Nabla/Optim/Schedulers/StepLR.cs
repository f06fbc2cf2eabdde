namespace Nabla.Optim.Schedulers;

/// <summary>Multiplies the learning rate by gamma every <see cref="StepSize"/> epochs, as <c>torch.optim.lr_scheduler.StepLR</c>.</summary>
public sealed class StepLR : LearningRateScheduler
{
    /// <summary>Creates the schedule and sets the first learning rate.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to set.</param>
    /// <param name="stepSize">Epochs between decays (≥ 1).</param>
    /// <param name="gamma">Factor applied at each decay (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        StepSize = Hyperparameters.AtLeastOne(stepSize, "step size", nameof(stepSize));
        Gamma = Hyperparameters.NonNegative(gamma, "gamma", nameof(gamma));
        Step();
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Factor applied at each decay.</summary>
    public double Gamma { get; }

    private protected override double ComputeLearningRate() =>
        LastEpoch == 0 || LastEpoch % StepSize != 0 ? Optimizer.LearningRate : Optimizer.LearningRate * Gamma;
}
