namespace Nabla.Selection;

/// <summary>
/// Stops a trial whose learning curve is hopeless, as Optuna's <c>MedianPruner</c> does: at a reported
/// step, the trial's best value so far is compared with the median of the values that completed trials
/// reported at the same step, and the trial stops when it is worse.
/// </summary>
/// <remarks>
/// Nothing is pruned until <see cref="StartupTrials"/> trials have completed, nor before step
/// <see cref="WarmupSteps"/>, nor at a step no completed trial reported. "Completed" means completed
/// before the trial's batch started (see <see cref="HyperparameterSearch.DegreeOfParallelism"/>), so
/// the decision never depends on which parallel trial finishes first.
/// </remarks>
public sealed class MedianPruner
{
    /// <summary>How many trials must complete before any is pruned (Optuna's default: 5).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int StartupTrials
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(StartupTrials), value, $"StartupTrials must be at least 0, got {value}.");
    } = 5;

    /// <summary>Steps below this one are never pruned, so a slow start is not held against a trial (Optuna's default: 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int WarmupSteps
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(WarmupSteps), value, $"WarmupSteps must be at least 0, got {value}.");
    }

    /// <summary>Whether <paramref name="trial"/>, which just reported <paramref name="step"/>, should stop, given the trials finished before its batch.</summary>
    internal bool ShouldPrune(Trial trial, int step, IReadOnlyList<TrialRecord> earlier, SearchDirection direction)
    {
        var completed = earlier.Where(record => record.State == TrialState.Complete).ToList();
        if (completed.Count == 0 || completed.Count < StartupTrials || step < WarmupSteps) return false;
        var atStep = completed
            .SelectMany(record => record.IntermediateValues.Where(value => value.Step == step))
            .Select(value => value.Value)
            .ToList();
        if (atStep.Count == 0) return false;
        double median = Median(atStep);
        var values = trial.IntermediateValues.Select(value => value.Value);
        return direction == SearchDirection.Maximize ? values.Max() < median : values.Min() > median;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : 0.5 * (values[middle - 1] + values[middle]);
    }
}
