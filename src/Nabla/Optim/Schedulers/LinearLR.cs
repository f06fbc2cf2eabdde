namespace Nabla.Optim.Schedulers;

/// <summary>
/// Linear warm-up: scales the learning rate by a factor going linearly from
/// <see cref="StartFactor"/> to <see cref="EndFactor"/> over <see cref="TotalIterations"/> epochs,
/// then holds it, as <c>torch.optim.lr_scheduler.LinearLR</c>.
/// </summary>
public sealed class LinearLR : LearningRateScheduler
{
    /// <summary>Creates the schedule and sets the first learning rate.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to set.</param>
    /// <param name="startFactor">Factor at epoch 0, in (0, 1].</param>
    /// <param name="endFactor">Factor from epoch <paramref name="totalIterations"/> on, in [0, 1].</param>
    /// <param name="totalIterations">Epochs the change takes (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIterations = 5) : base(optimizer)
    {
        if (!(startFactor > 0 && startFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(startFactor), $"start factor must be in (0, 1], got {Hyperparameters.Format(startFactor)}");
        StartFactor = startFactor;
        EndFactor = Hyperparameters.Fraction(endFactor, "end factor", nameof(endFactor));
        TotalIterations = Hyperparameters.AtLeastOne(totalIterations, "total iterations", nameof(totalIterations));
        Step();
    }

    /// <summary>Factor of the base learning rate at epoch 0.</summary>
    public double StartFactor { get; }

    /// <summary>Factor of the base learning rate once the change is over.</summary>
    public double EndFactor { get; }

    /// <summary>Epochs the change takes.</summary>
    public int TotalIterations { get; }

    private protected override double ComputeLearningRate()
    {
        double lr = Optimizer.LearningRate;
        if (LastEpoch == 0) return lr * StartFactor;
        if (LastEpoch > TotalIterations) return lr;
        // PyTorch's chainable form: the ratio of this epoch's factor to the previous one.
        double change = EndFactor - StartFactor;
        return lr * (1 + change / (TotalIterations * StartFactor + (LastEpoch - 1) * change));
    }
}
