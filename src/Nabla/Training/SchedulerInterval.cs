namespace Nabla.Training;

/// <summary>How often <see cref="SchedulerCallback"/> steps a learning-rate schedule.</summary>
public enum SchedulerInterval
{
    /// <summary>After each epoch (StepLR, CosineAnnealingLR, ...).</summary>
    Epoch,

    /// <summary>After each optimizer step (OneCycleLR, warm-up schedules counted in steps).</summary>
    Batch,
}
