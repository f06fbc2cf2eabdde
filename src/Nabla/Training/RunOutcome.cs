namespace Nabla.Training;

/// <summary>How a run recorded by a <see cref="RunLog"/> ended, as its "end" event says.</summary>
public enum RunOutcome
{
    /// <summary>Every epoch ran.</summary>
    Completed,

    /// <summary>A callback stopped training before its last epoch (early stopping); <see cref="History.StopReason"/> says why.</summary>
    StoppedEarly,

    /// <summary>The user or the system stopped the run (Ctrl-C, SIGTERM) between batches.</summary>
    Interrupted,

    /// <summary>Training failed with an error (the loss diverged, say).</summary>
    Failed,
}
