namespace Nabla.Selection;

/// <summary>
/// Tries <see cref="Trials"/> settings drawn independently from the space's distributions (as
/// scikit-learn's <c>RandomizedSearchCV</c>), each with the full <see cref="HyperparameterSearch.MaxBudget"/>.
/// </summary>
/// <remarks>Trial <c>n</c>'s settings come from a generator seeded by the search's seed and <c>n</c>.</remarks>
public sealed class RandomSearch : HyperparameterSearch
{
    /// <summary>Creates a search of <paramref name="trials"/> trials.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> is less than 1.</exception>
    public RandomSearch(int trials)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, $"A random search needs at least 1 trial, got {trials}.");
        Trials = trials;
    }

    /// <summary>How many trials to run.</summary>
    public int Trials { get; }

    internal override string Settings => "random";

    private protected override IEnumerable<IReadOnlyList<TrialRequest>> Plan(SearchRun run)
    {
        yield return Enumerable.Range(0, Trials)
            .Select(n => new TrialRequest(run.Sample(run.Random(SearchRun.SamplingStream, n)), MaxBudget))
            .ToList();
    }
}
