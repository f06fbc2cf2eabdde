namespace Nabla.Dashboard;

/// <summary>Every run the dashboard knows, at one moment; never changed once made, so any request can read it while the next is built.</summary>
/// <param name="Version">Grows each time a run appears, goes, or changes.</param>
/// <param name="Runs">The runs in ordinal order of their names.</param>
/// <param name="Truncated">The log folder holds more runs than <see cref="RunCatalog.MaxRuns"/>.</param>
internal sealed record RunSnapshot(long Version, IReadOnlyList<RunState> Runs, bool Truncated)
{
    // Each look at the folder finds every run of the one before: a thousand runs are a thousand lookups, every poll.
    private readonly Dictionary<string, RunState> _byName = Runs.ToDictionary(run => run.Name, StringComparer.Ordinal);

    /// <summary>The run named <paramref name="name"/>, or null.</summary>
    public RunState? Find(string name) => _byName.GetValueOrDefault(name);
}
