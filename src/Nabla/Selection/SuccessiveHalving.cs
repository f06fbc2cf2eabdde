namespace Nabla.Selection;

/// <summary>
/// Successive halving over randomly drawn settings, as scikit-learn's <c>HalvingRandomSearchCV</c>:
/// <see cref="Candidates"/> settings run with a small budget, the best 1/<see cref="MultiFidelitySearch.Eta"/> of them go
/// on with <see cref="MultiFidelitySearch.Eta"/> times the budget, until the last few run with
/// <see cref="HyperparameterSearch.MaxBudget"/>.
/// </summary>
/// <remarks>
/// The rung budgets count down from <see cref="HyperparameterSearch.MaxBudget"/> by factors of η while
/// they stay at or above <see cref="MultiFidelitySearch.MinBudget"/> (rounded to whole numbers), so the best settings always
/// get the full budget. Each run of the objective is a trial of its own, with its rung's budget; the
/// objective starts each from scratch. <see cref="SearchResult.Best"/> is the best trial at the full budget.
/// </remarks>
public sealed class SuccessiveHalving : MultiFidelitySearch
{
    /// <summary>How many settings the first rung tries; null (the default) takes η^(rungs − 1), so that one reaches the full budget.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? Candidates
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Candidates), value, $"Candidates must be at least 1, got {value}.");
    }

    internal override string Settings => $"halving(min={MinBudget},eta={Eta},candidates={Candidates?.ToString() ?? "auto"})";

    private protected override IEnumerable<IReadOnlyList<TrialRequest>> Plan(SearchRun run)
    {
        int[] budgets = Budgets();
        int count = Candidates ?? (int)Math.Pow(Eta, budgets.Length - 1);
        var random = run.Random(SearchRun.BracketStream, 0);
        var candidates = Enumerable.Range(0, count).Select(_ => run.Sample(random)).ToList();
        return HalvingBracket.Rungs(run, candidates, budgets, Eta);
    }
}
