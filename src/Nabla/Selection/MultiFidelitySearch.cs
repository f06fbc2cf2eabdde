namespace Nabla.Selection;

/// <summary>
/// What successive halving and Hyperband share: trials start with a small budget, and each rung keeps the
/// best 1/<see cref="Eta"/> of them and gives those <see cref="Eta"/> times the budget, up to
/// <see cref="HyperparameterSearch.MaxBudget"/>.
/// </summary>
public abstract class MultiFidelitySearch : HyperparameterSearch
{
    private protected MultiFidelitySearch() { }

    /// <summary>The smallest budget a trial gets, at least (default 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MinBudget
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MinBudget), value, $"MinBudget must be at least 1, got {value}.");
    } = 1;

    /// <summary>The factor η: each rung keeps 1/η of the settings and gives them η times the budget (default 3).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 2.</exception>
    public int Eta
    {
        get;
        init => field = value >= 2 ? value : throw new ArgumentOutOfRangeException(nameof(Eta), value, $"Eta must be at least 2, got {value}.");
    } = 3;

    /// <summary>The budgets of the rungs, smallest first (<see cref="HalvingBracket.Budgets"/>).</summary>
    private protected int[] Budgets() => HalvingBracket.Budgets(MinBudget, MaxBudget, Eta);

    private protected override void CheckSpace(SearchSpace space) => Budgets();
}
