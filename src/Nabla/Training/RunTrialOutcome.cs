namespace Nabla.Training;

/// <summary>How a trial of a hyper-parameter search ended, as a run log's "trial" event says.</summary>
public enum RunTrialOutcome
{
    /// <summary>The trial ran to its end and was scored.</summary>
    Complete,

    /// <summary>A pruner stopped it early because its learning curve was hopeless; it has no score.</summary>
    Pruned,

    /// <summary>It threw an error, or its score was not a number; <see cref="RunTrialEvent.Error"/> says why.</summary>
    Failed,
}
