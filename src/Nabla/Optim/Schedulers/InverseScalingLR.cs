namespace Nabla.Optim.Schedulers;

/// <summary>
/// Divides the base learning rate by a power of the training time, η = η₀ / (t + 1)^power, as
/// scikit-learn's <c>learning_rate='invscaling'</c>: its MLP sets it after each epoch with t the
/// number of samples trained on so far (<see cref="TimePerStep"/> the samples of an epoch).
/// </summary>
/// <remarks>
/// Step k (from 0) sets η₀ / (<see cref="StartTime"/> + k·<see cref="TimePerStep"/> + 1)^power,
/// except that creating the schedule (step 0) leaves the optimizer's learning rate as it is: a
/// fresh run starts at η₀, and a run that continues an earlier one (a warm start, a fit in parts)
/// starts where the earlier one left it. t is a count, so give whole numbers to reproduce
/// scikit-learn's rates exactly.
/// </remarks>
/// <example>
/// <code>
/// var schedule = new InverseScalingLR(optimizer, power: 0.5, timePerStep: samples);   // stepped once an epoch
/// </code>
/// </example>
public sealed class InverseScalingLR : LearningRateScheduler
{
    /// <summary>Creates the schedule; the optimizer's learning rate is left as it is until the first <see cref="LearningRateScheduler.Step"/>.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to set.</param>
    /// <param name="power">The exponent (≥ 0); scikit-learn's <c>power_t</c>.</param>
    /// <param name="timePerStep">How much t grows with each step (≥ 0): 1 to count steps, the samples of an epoch to count samples.</param>
    /// <param name="startTime">t before the first step (≥ 0): the time an earlier run already trained.</param>
    /// <param name="baseLearningRate">η₀; the optimizer's learning rate when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is negative, NaN or infinite.</exception>
    public InverseScalingLR(Optimizer optimizer, double power = 0.5, double timePerStep = 1, double startTime = 0, double? baseLearningRate = null)
        : base(optimizer, baseLearningRate is { } rate ? Hyperparameters.NonNegative(rate, "base learning rate", nameof(baseLearningRate)) : null)
    {
        Power = Hyperparameters.NonNegative(power, "power", nameof(power));
        TimePerStep = Hyperparameters.NonNegative(timePerStep, "time per step", nameof(timePerStep));
        StartTime = Hyperparameters.NonNegative(startTime, "start time", nameof(startTime));
        Step();
    }

    /// <summary>The exponent of the training time.</summary>
    public double Power { get; }

    /// <summary>How much the training time t grows with each step.</summary>
    public double TimePerStep { get; }

    /// <summary>The training time before the first step.</summary>
    public double StartTime { get; }

    private protected override double ComputeLearningRate() =>
        LastEpoch == 0 ? Optimizer.LearningRate : BaseLearningRate / Math.Pow(StartTime + LastEpoch * TimePerStep + 1, Power);
}
