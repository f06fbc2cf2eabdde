namespace Nabla.Selection;

/// <summary>How a trial ended.</summary>
public enum TrialState
{
    /// <summary>The objective returned a score.</summary>
    Complete,

    /// <summary>The pruner stopped the trial at a reported step because its learning curve was hopeless.</summary>
    Pruned,

    /// <summary>The objective threw an exception or returned a score that is not a number.</summary>
    Failed,
}
