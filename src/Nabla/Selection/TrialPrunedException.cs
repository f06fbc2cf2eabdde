namespace Nabla.Selection;

/// <summary>
/// Thrown by <see cref="Trial.Report"/> when the search's pruner stops the trial; the search catches
/// it and records the trial as <see cref="TrialState.Pruned"/>. An objective lets it pass.
/// </summary>
public sealed class TrialPrunedException : Exception
{
    /// <summary>Creates the exception for the trial <paramref name="number"/> stopped at <paramref name="step"/>.</summary>
    public TrialPrunedException(int number, int step)
        : base($"Trial {number} was pruned at step {step}: its best value so far is worse than the median of the earlier trials there.")
        => (Number, Step) = (number, step);

    /// <summary>The pruned trial's number.</summary>
    public int Number { get; }

    /// <summary>The step at which it was stopped.</summary>
    public int Step { get; }
}
