namespace Nabla.Selection;

/// <summary>
/// What every search shares: the direction, the seed, trials in parallel, pruning, and a state file
/// that lets an interrupted search resume. Subclasses decide which settings to try.
/// </summary>
/// <remarks>
/// <para>Trials run in batches of <see cref="DegreeOfParallelism"/>. The settings of a batch, and each
/// pruning decision in it, depend only on the trials of earlier batches, and every random draw comes
/// from a generator seeded by <see cref="Seed"/> and the trial's number; so a search gives the same
/// trials whatever the order in which parallel trials finish (a different degree of parallelism may
/// give different ones, since a batch sees fewer earlier trials).</para>
/// <para>With a <see cref="StatePath"/>, the state is written there (atomically) after each batch. A
/// search run again with the same settings, space and file replays the saved trials instead of running
/// them again, then goes on, so it ends with the leaderboard an uninterrupted search would have had.</para>
/// </remarks>
public abstract class HyperparameterSearch
{
    private protected HyperparameterSearch() { }

    /// <summary>Whether greater scores are better (the default) or smaller ones.</summary>
    public SearchDirection Direction { get; init; } = SearchDirection.Maximize;

    /// <summary>The seed every random choice of the search, and every <see cref="Trial.Seed"/>, derives from.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// How many trials run at once (default 1). While several run, each trial's kernels get an equal
    /// share of <see cref="Kernels.Parallelism.MaxDegreeOfParallelism"/>, so the cores are not oversubscribed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int DegreeOfParallelism
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(DegreeOfParallelism), value, $"DegreeOfParallelism must be at least 1, got {value}.");
    } = 1;

    /// <summary>The budget of a full trial, in the objective's unit (epochs or rows); halving gives its last rung this much (default 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxBudget
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxBudget), value, $"MaxBudget must be at least 1, got {value}.");
    } = 1;

    /// <summary>Stops hopeless trials early; null (the default) lets every trial finish.</summary>
    public MedianPruner? Pruner { get; init; }

    /// <summary>
    /// Called with each trial's record as the trial ends, and with each trial a state file replays as it is read back,
    /// so a display can follow the search. Trials running in parallel call it from their threads, one at a time.
    /// </summary>
    public Action<TrialRecord>? TrialEnded { get; init; }

    /// <summary>A JSON file to save the search's state in after each batch and to resume from; null (the default) saves nothing.</summary>
    public string? StatePath { get; init; }

    /// <summary>
    /// Runs the search over <paramref name="space"/>, scoring each trial with <paramref name="objective"/>.
    /// When <paramref name="cancellation"/> is set, the running batch finishes and the search returns what
    /// it has, with <see cref="SearchResult.IsFinished"/> false; a time budget is a token that cancels itself
    /// (<see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The space has no parameters, or does not suit this search.</exception>
    /// <exception cref="InvalidDataException">The state file is not a saved search, or was saved by another search, space or seed.</exception>
    public SearchResult Run(SearchSpace space, Objective objective, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(objective);
        if (space.Parameters.Count == 0) throw new ArgumentException("The search space has no parameters.", nameof(space));
        CheckSpace(space);
        var saved = StatePath is not null && File.Exists(StatePath)
            ? SearchStateFile.Read(StatePath, this, space)
            : new Dictionary<int, TrialRecord>();
        var run = new SearchRun(this, space, objective, saved, cancellation);
        foreach (var group in Plan(run))
            if (!run.Execute(group)) return new SearchResult(run.Trials, Direction, isFinished: false);
        return new SearchResult(run.Trials, Direction, isFinished: true);
    }

    /// <summary>
    /// The trials to run, in groups of trials that do not depend on each other; after each group the
    /// search has run it, and <see cref="SearchRun.LastGroup"/> holds its records.
    /// </summary>
    private protected abstract IEnumerable<IReadOnlyList<TrialRequest>> Plan(SearchRun run);

    /// <summary>Throws an <see cref="ArgumentException"/> when this search cannot use <paramref name="space"/>.</summary>
    private protected virtual void CheckSpace(SearchSpace space) { }

    /// <summary>The kind of search and the settings that change which trials it runs, as the state file records them.</summary>
    internal abstract string Settings { get; }
}
