namespace Nabla.Selection;

/// <summary>
/// Hyperband (Li et al., 2018): several brackets of successive halving over randomly drawn settings,
/// from an aggressive one (many settings, starting at <see cref="MultiFidelitySearch.MinBudget"/>) to a cautious one (a few
/// settings, all with <see cref="HyperparameterSearch.MaxBudget"/>), so that no single guess of how
/// early a learning curve can be judged decides the search.
/// </summary>
/// <remarks>
/// With s_max + 1 rung budgets between the two (<see cref="SuccessiveHalving"/> counts them), bracket
/// s = s_max … 0 starts ⌈(s_max + 1) η^s / (s + 1)⌉ settings on the last s + 1 rungs, as the paper's
/// algorithm does with R = MaxBudget and budgets counted down from it.
/// </remarks>
public sealed class Hyperband : MultiFidelitySearch
{
    internal override string Settings => $"hyperband(min={MinBudget},eta={Eta})";

    /// <summary>How many settings each bracket starts, from the most aggressive to the most cautious.</summary>
    internal int[] BracketSizes()
    {
        int rungs = Budgets().Length;
        return Enumerable.Range(0, rungs).Reverse()
            .Select(s => (int)Math.Ceiling(rungs * Math.Pow(Eta, s) / (s + 1)))
            .ToArray();
    }

    private protected override IEnumerable<IReadOnlyList<TrialRequest>> Plan(SearchRun run)
    {
        int[] budgets = Budgets();
        int[] sizes = BracketSizes();
        for (int bracket = 0; bracket < sizes.Length; bracket++)
        {
            var random = run.Random(SearchRun.BracketStream, bracket);
            var candidates = Enumerable.Range(0, sizes[bracket]).Select(_ => run.Sample(random)).ToList();
            foreach (var rung in HalvingBracket.Rungs(run, candidates, budgets[bracket..], Eta)) yield return rung;
        }
    }
}
