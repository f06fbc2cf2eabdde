using Nabla.Selection;

namespace Nabla.Tests.Selection;

/// <summary>Successive halving and Hyperband: who goes on to the next rung, and with what budget.</summary>
public class SuccessiveHalvingTests
{
    /// <summary>A score that grows with the budget and, at any budget, ranks settings by how near x is to 0.3.</summary>
    private static TrialScore Score(Trial trial) => -Math.Abs(trial.Parameters.Double("x") - 0.3) - 1.0 / trial.Budget;

    [Fact]
    public void EachRungKeepsTheBestThird_AndTheBestSettingsGetTheFullBudget()
    {
        var space = SearchSpace.Parse("x=0..1");
        var result = new SuccessiveHalving { MinBudget = 1, MaxBudget = 27, Seed = 5 }.Run(space, Score);

        var rungs = result.Trials.GroupBy(trial => trial.Budget).OrderBy(group => group.Key).ToList();
        Assert.Equal([1, 3, 9, 27], rungs.Select(rung => rung.Key));
        Assert.Equal([27, 9, 3, 1], rungs.Select(rung => rung.Count()));
        for (int r = 1; r < rungs.Count; r++)
        {
            var bestThird = rungs[r - 1].OrderByDescending(trial => trial.Score).Take(rungs[r - 1].Count() / 3).Select(trial => trial.Parameters.ToString());
            Assert.Equal(bestThird.Order(), rungs[r].Select(trial => trial.Parameters.ToString()).Order());
        }
        var nearest = rungs[0].MinBy(trial => Math.Abs(trial.Parameters.Double("x") - 0.3))!;
        Assert.Equal(27, result.Best!.Budget);
        Assert.Equal(nearest.Parameters.ToString(), result.Best.Parameters.ToString());
    }

    [Fact]
    public void RungBudgetsCountDownFromTheMaximum()
    {
        var space = SearchSpace.Parse("x=0..1");
        var result = new SuccessiveHalving { MinBudget = 2, MaxBudget = 50, Eta = 3, Candidates = 10 }.Run(space, Score);
        // 50, 50/3, 50/9 ≥ 2 > 50/27: three rungs; 10 candidates keep 3, then 1.
        Assert.Equal([(6, 10), (17, 3), (50, 1)], result.Trials.GroupBy(t => t.Budget).Select(g => (g.Key, g.Count())));
    }

    [Fact]
    public void Hyperband_RunsLiEtAlsBrackets()
    {
        // Li et al. (2018), table 1: R = 81, η = 3.
        var hyperband = new Hyperband { MinBudget = 1, MaxBudget = 81, Seed = 1 };
        Assert.Equal([81, 34, 15, 8, 5], hyperband.BracketSizes());

        var result = hyperband.Run(SearchSpace.Parse("x=0..1"), Score);
        (int Budget, int Count)[] rungs =
        [
            (1, 81), (3, 27), (9, 9), (27, 3), (81, 1),
            (3, 34), (9, 11), (27, 3), (81, 1),
            (9, 15), (27, 5), (81, 1),
            (27, 8), (81, 2),
            (81, 5),
        ];
        // Trials run rung after rung, bracket after bracket.
        Assert.Equal(rungs.SelectMany(rung => Enumerable.Repeat(rung.Budget, rung.Count)), result.Trials.Select(trial => trial.Budget));
        Assert.Equal(81, result.Best!.Budget);
    }

    [Fact]
    public void ABudgetBelowTheMinimumIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SuccessiveHalving { MinBudget = 10, MaxBudget = 5 }.Run(SearchSpace.Parse("x=0..1"), Score));
        Assert.Contains("MinBudget 10 is above MaxBudget 5", error.Message);
    }
}
