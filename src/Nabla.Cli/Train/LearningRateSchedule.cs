using System.Globalization;
using Nabla.Optim;
using Nabla.Optim.Schedulers;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// The learning-rate schedule of <c>nabla train --lr-schedule</c> with its parameters resolved: the
/// user's, or PyTorch's defaults. Only the parameters <see cref="Kind"/> uses are set; the others are null.
/// </summary>
/// <param name="Kind">Which schedule.</param>
internal sealed record LearningRateSchedule(LearningRateScheduleKind Kind)
{
    /// <summary>PyTorch's gamma of StepLR and MultiStepLR and factor of ReduceLROnPlateau.</summary>
    public const double DefaultGamma = 0.1;

    /// <summary>PyTorch's patience of ReduceLROnPlateau.</summary>
    public const int DefaultPatience = 10;

    /// <summary>PyTorch's div_factor of OneCycleLR: the cycle starts at the peak rate over this.</summary>
    public const double OneCycleDivFactor = 25;

    /// <summary>PyTorch's final_div_factor of OneCycleLR: the cycle ends at its starting rate over this.</summary>
    public const double OneCycleFinalDivFactor = 1e4;

    /// <summary>Epochs per step of <c>step</c> (StepLR's step_size), or the first period of <c>cosine-restarts</c> (T_0) (<c>--lr-step</c>).</summary>
    public int? StepSize { get; init; }

    /// <summary>The epochs after which <c>multistep</c> multiplies the rate by <see cref="Gamma"/> (<c>--lr-milestones</c>).</summary>
    public IReadOnlyList<int>? Milestones { get; init; }

    /// <summary>The factor of <c>step</c>, <c>multistep</c>, <c>exponential</c> and <c>plateau</c> (<c>--lr-gamma</c>).</summary>
    public double? Gamma { get; init; }

    /// <summary>
    /// The lowest rate of <c>cosine</c> and <c>cosine-restarts</c> (eta_min) and of <c>plateau</c> (min_lr),
    /// or the last rate of <c>onecycle</c> (<c>--lr-min</c>; when not given, <see cref="LastRate"/> of the peak).
    /// </summary>
    public double? MinLearningRate { get; init; }

    /// <summary>onecycle's last rate for the peak <paramref name="learningRate"/>: <c>--lr-min</c>, or PyTorch's default, the peak / 25 / 10⁴.</summary>
    public double LastRate(double learningRate) => MinLearningRate ?? learningRate / OneCycleDivFactor / OneCycleFinalDivFactor;

    /// <summary>Refuses a <c>--lr-min</c> that is not below the rate the schedule starts from or peaks at (<paramref name="origin"/> names where that rate came from).</summary>
    /// <exception cref="CommandInputException">The lowest rate is not below <paramref name="learningRate"/>.</exception>
    public void RequireBelow(double learningRate, string origin)
    {
        if (MinLearningRate is { } min && min >= learningRate)
            throw new CommandInputException(string.Create(CultureInfo.InvariantCulture,
                $"--lr-min must be less than the learning rate {origin} {learningRate:G6}, got {min}."));
    }

    /// <summary>The epochs without a lower validation loss that <c>plateau</c> waits before it cuts the rate (<c>--lr-patience</c>).</summary>
    public int? Patience { get; init; }

    /// <summary>
    /// The callback that steps the schedule: <c>onecycle</c> after every batch over all of them, with
    /// <paramref name="learningRate"/> as its peak; <c>plateau</c> after every epoch with the validation
    /// loss; the others after every epoch (<c>cosine</c> reaches its lowest rate at the last one).
    /// </summary>
    /// <exception cref="CommandInputException">onecycle would take more steps than the scheduler counts (2³¹ − 1).</exception>
    public SchedulerCallback CreateCallback(Optimizer optimizer, double learningRate, int epochs, int batchesPerEpoch) => Kind switch
    {
        LearningRateScheduleKind.Step => new(new StepLR(optimizer, StepSize!.Value, Gamma!.Value)),
        LearningRateScheduleKind.Multistep => new(new MultiStepLR(optimizer, Milestones!, Gamma!.Value)),
        LearningRateScheduleKind.Exponential => new(new ExponentialLR(optimizer, Gamma!.Value)),
        LearningRateScheduleKind.Cosine => new(new CosineAnnealingLR(optimizer, epochs, MinLearningRate!.Value)),
        LearningRateScheduleKind.CosineRestarts => new(new CosineAnnealingWarmRestarts(optimizer, StepSize!.Value, minLearningRate: MinLearningRate!.Value)),
        // The momentum (Adam's beta1) cycles against the rate, as PyTorch's default, where the optimizer has
        // one to cycle; plain sgd and rmsprop run without momentum and keep it so.
        LearningRateScheduleKind.Onecycle => new(
            new OneCycleLR(optimizer, learningRate, OneCycleSteps(epochs, batchesPerEpoch), cycleMomentum: optimizer is IMomentumOptimizer { Momentum: > 0 },
                divFactor: OneCycleDivFactor, finalDivFactor: learningRate / OneCycleDivFactor / LastRate(learningRate)),
            SchedulerInterval.Batch),
        LearningRateScheduleKind.Plateau => new(new ReduceLROnPlateau(optimizer, factor: Gamma!.Value, patience: Patience!.Value, minLearningRate: MinLearningRate!.Value)),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown learning-rate schedule."),
    };

    private static int OneCycleSteps(int epochs, int batchesPerEpoch)
    {
        long steps = (long)epochs * batchesPerEpoch;
        return steps <= int.MaxValue ? (int)steps
            : throw new CommandInputException(string.Create(CultureInfo.InvariantCulture,
                $"--lr-schedule onecycle steps once a batch, and --epochs {epochs} of {batchesPerEpoch} batches make {steps} steps, more than it counts ({int.MaxValue}); give fewer --epochs or a larger --batch-size."));
    }

    /// <summary>The schedule's settings by name ("lr_schedule", "lr_gamma", ...), as a checkpoint's run settings and the model file record them.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new("lr_schedule", TrainChoices.Schedule.WordOf(Kind));
        if (StepSize is { } step) yield return new("lr_step", Text(step));
        if (Milestones is { } milestones) yield return new("lr_milestones", string.Join(',', milestones.Select(m => Text(m))));
        if (Gamma is { } gamma) yield return new("lr_gamma", Text(gamma));
        if (MinLearningRate is { } min) yield return new("lr_min", Text(min));
        if (Patience is { } patience) yield return new("lr_patience", Text(patience));
    }

    /// <summary>The schedule for people, as the header shows it: "cosine (lr-min 0)", "step (lr-step 10, lr-gamma 0.1)".</summary>
    public string Describe()
    {
        var parameters = Settings().Skip(1).Select(setting => $"{setting.Key.Replace('_', '-')} {setting.Value}").ToList();
        if (Kind == LearningRateScheduleKind.Onecycle && MinLearningRate is null)
            parameters.Add(string.Create(CultureInfo.InvariantCulture, $"lr-min lr/{OneCycleDivFactor * OneCycleFinalDivFactor:G6}"));
        return $"{TrainChoices.Schedule.WordOf(Kind)} ({string.Join(", ", parameters)})";
    }

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
