namespace Nabla.Cli;

/// <summary>
/// The learning-rate schedules <c>nabla train --lr-schedule</c> offers, each one of the library's
/// schedulers (<see cref="Nabla.Optim.Schedulers"/>); the library has no such list, since its schedulers
/// are classes with their own settings.
/// </summary>
internal enum LearningRateScheduleKind
{
    /// <summary>StepLR: the rate times gamma every <c>--lr-step</c> epochs.</summary>
    Step,

    /// <summary>MultiStepLR: the rate times gamma at each of <c>--lr-milestones</c>.</summary>
    Multistep,

    /// <summary>ExponentialLR: the rate times gamma every epoch.</summary>
    Exponential,

    /// <summary>CosineAnnealingLR: a half cosine from the rate down to <c>--lr-min</c> over all the epochs.</summary>
    Cosine,

    /// <summary>CosineAnnealingWarmRestarts: the half cosine over <c>--lr-step</c> epochs, then again from the top.</summary>
    CosineRestarts,

    /// <summary>OneCycleLR: up to the rate over the first 30 % of the batches, then down, stepped each batch.</summary>
    Onecycle,

    /// <summary>ReduceLROnPlateau: the rate times gamma when the validation loss stops falling.</summary>
    Plateau,
}
