namespace Nabla.Optim.Schedulers;

/// <summary>Multiplies the learning rate by gamma every epoch, as <c>torch.optim.lr_scheduler.ExponentialLR</c>.</summary>
public sealed class ExponentialLR : LearningRateScheduler
{
    /// <summary>Creates the schedule and sets the first learning rate.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to set.</param>
    /// <param name="gamma">Factor applied each epoch (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">Gamma is negative.</exception>
    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
    {
        Gamma = Hyperparameters.NonNegative(gamma, "gamma", nameof(gamma));
        Step();
    }

    /// <summary>Factor applied each epoch.</summary>
    public double Gamma { get; }

    private protected override double ComputeLearningRate() =>
        LastEpoch == 0 ? Optimizer.LearningRate : Optimizer.LearningRate * Gamma;
}
