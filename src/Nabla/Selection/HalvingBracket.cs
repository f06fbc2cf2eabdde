namespace Nabla.Selection;

/// <summary>
/// One bracket of successive halving (Jamieson and Talwalkar; Li et al.'s Hyperband runs several):
/// every candidate runs at the first rung's budget, the best 1/η go on to the next rung with η times
/// the budget, and so on until the last rung's survivors run with the full budget.
/// </summary>
internal static class HalvingBracket
{
    /// <summary>
    /// The budgets of the rungs from <paramref name="minBudget"/> up to <paramref name="maxBudget"/>: the
    /// last is <paramref name="maxBudget"/>, each one before it η times smaller (rounded), as many as stay
    /// at or above <paramref name="minBudget"/>.
    /// </summary>
    public static int[] Budgets(int minBudget, int maxBudget, int eta)
    {
        if (minBudget > maxBudget) throw new ArgumentException($"MinBudget {minBudget} is above MaxBudget {maxBudget}.");
        var budgets = new List<int>();
        for (double budget = maxBudget; budget >= minBudget; budget /= eta) budgets.Add((int)Math.Round(budget));
        budgets.Reverse();
        return budgets.ToArray();
    }

    /// <summary>The rungs of a bracket over <paramref name="candidates"/>, one group each; the next rung keeps the best ⌊n/η⌋ (at least one).</summary>
    public static IEnumerable<IReadOnlyList<TrialRequest>> Rungs(SearchRun run, IReadOnlyList<TrialParameters> candidates, int[] budgets, int eta)
    {
        var alive = candidates;
        for (int rung = 0; rung < budgets.Length; rung++)
        {
            int budget = budgets[rung];
            yield return alive.Select(parameters => new TrialRequest(parameters, budget)).ToList();
            var results = run.LastGroup;
            int keep = Math.Max(1, alive.Count / eta);
            alive = Enumerable.Range(0, alive.Count)
                .OrderBy(i => Rank(results[i], run.Direction))
                .ThenBy(i => i)
                .Take(keep)
                .Select(i => alive[i])
                .ToList();
        }
    }

    /// <summary>Smaller is better: completed trials by score, then the pruned and failed ones.</summary>
    private static double Rank(TrialRecord record, SearchDirection direction) =>
        record.Score is not { } score ? double.PositiveInfinity
        : direction == SearchDirection.Maximize ? -score : score;
}
