namespace Nabla.Optim.Schedulers;

/// <summary>
/// Cosine annealing from the base learning rate down to <see cref="MinLearningRate"/> over
/// <see cref="MaxEpochs"/> epochs, then back up (a cosine of period 2·MaxEpochs), as
/// <c>torch.optim.lr_scheduler.CosineAnnealingLR</c>: ηₜ = η_min + (η₀ − η_min)(1 + cos(πt/T))/2,
/// computed in PyTorch's recursive form from the current learning rate.
/// </summary>
public sealed class CosineAnnealingLR : LearningRateScheduler
{
    /// <summary>Creates the schedule and sets the first learning rate.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to set.</param>
    /// <param name="maxEpochs">T, the epochs from the base rate to the minimum (≥ 1).</param>
    /// <param name="minLearningRate">η_min, the lowest learning rate (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public CosineAnnealingLR(Optimizer optimizer, int maxEpochs, double minLearningRate = 0) : base(optimizer)
    {
        MaxEpochs = Hyperparameters.AtLeastOne(maxEpochs, "max epochs", nameof(maxEpochs));
        MinLearningRate = Hyperparameters.NonNegative(minLearningRate, "min learning rate", nameof(minLearningRate));
        Step();
    }

    /// <summary>T, the epochs from the base rate to the minimum.</summary>
    public int MaxEpochs { get; }

    /// <summary>η_min, the lowest learning rate.</summary>
    public double MinLearningRate { get; }

    private protected override double ComputeLearningRate()
    {
        double lr = Optimizer.LearningRate, t = LastEpoch, period = MaxEpochs;
        if (LastEpoch == 0) return lr;
        // Leaving the minimum, the ratio form below would divide by zero: PyTorch adds the step instead.
        if ((LastEpoch - 1 - MaxEpochs) % (2 * MaxEpochs) == 0)
            return lr + (BaseLearningRate - MinLearningRate) * (1 - Math.Cos(Math.PI / period)) / 2;
        return (1 + Math.Cos(Math.PI * t / period)) / (1 + Math.Cos(Math.PI * (t - 1) / period)) * (lr - MinLearningRate) + MinLearningRate;
    }
}
