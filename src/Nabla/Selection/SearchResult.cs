namespace Nabla.Selection;

/// <summary>What a search found: every trial, a leaderboard, and the best trial.</summary>
public sealed class SearchResult
{
    internal SearchResult(IReadOnlyList<TrialRecord> trials, SearchDirection direction, bool isFinished)
    {
        (Trials, Direction, IsFinished) = (trials, direction, isFinished);
        var complete = trials.Where(trial => trial.State == TrialState.Complete).ToList();
        int sign = direction == SearchDirection.Maximize ? -1 : 1;
        Leaderboard = complete
            .OrderByDescending(trial => trial.Budget)
            .ThenBy(trial => sign * trial.Score!.Value)
            .ThenBy(trial => trial.Number)
            .Concat(trials.Where(trial => trial.State == TrialState.Pruned))
            .Concat(trials.Where(trial => trial.State == TrialState.Failed))
            .ToList();
        Best = complete.Count > 0 ? Leaderboard[0] : null;
    }

    /// <summary>Every finished trial, by number.</summary>
    public IReadOnlyList<TrialRecord> Trials { get; }

    /// <summary>
    /// The trials best first: completed ones by budget (largest first, since scores at different
    /// budgets do not compare fairly), then by score; then the pruned ones, then the failed ones.
    /// </summary>
    public IReadOnlyList<TrialRecord> Leaderboard { get; }

    /// <summary>The best completed trial at the largest budget any completed trial had; null when none completed.</summary>
    public TrialRecord? Best { get; }

    /// <summary>Whether the search is better when its score is larger or smaller.</summary>
    public SearchDirection Direction { get; }

    /// <summary>False when the search was cancelled before its plan ended; running it again with the same state file resumes it.</summary>
    public bool IsFinished { get; }
}
