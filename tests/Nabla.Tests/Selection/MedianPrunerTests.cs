using Nabla.Selection;

namespace Nabla.Tests.Selection;

/// <summary>The median rule: each decision checked against the rule computed here from the saved curves.</summary>
public class MedianPrunerTests
{
    /// <summary>A learning curve that rises towards x: trials with a small x are hopeless.</summary>
    private static TrialScore Curve(Trial trial)
    {
        double x = trial.Parameters.Double("x");
        for (int step = 0; step < 10; step++) trial.Report(step, x * (1 - Math.Exp(-(step + 1) / 3.0)));
        return x;
    }

    private static SearchResult Run(MedianPruner pruner) =>
        new RandomSearch(40) { Seed = 7, Pruner = pruner }.Run(SearchSpace.Parse("x=0..1"), Curve);

    [Fact]
    public void EveryDecisionFollowsTheMedianRule_AndHopelessCurvesStop()
    {
        var pruner = new MedianPruner { StartupTrials = 5, WarmupSteps = 3 };
        var result = Run(pruner);

        for (int n = 0; n < result.Trials.Count; n++)
        {
            var trial = result.Trials[n];
            var completed = result.Trials.Take(n).Where(t => t.State == TrialState.Complete).ToList();
            double best = double.NegativeInfinity;
            foreach (var (step, value) in trial.IntermediateValues)
            {
                best = Math.Max(best, value);
                bool shouldStop = completed.Count >= 5 && step >= 3 && best < Median(completed.Select(t => t.IntermediateValues[step].Value));
                bool stopped = trial.State == TrialState.Pruned && step == trial.IntermediateValues[^1].Step;
                Assert.True(shouldStop == stopped, $"trial {n} at step {step}: the rule says {(shouldStop ? "stop" : "go on")}");
                if (stopped) break;
            }
        }
        int pruned = result.Trials.Count(t => t.State == TrialState.Pruned);
        Assert.InRange(pruned, 10, 35);
        // The hopeless curves stop, the promising ones finish.
        Assert.True(result.Trials.Where(t => t.State == TrialState.Pruned).Max(t => t.Parameters.Double("x"))
            < result.Trials.Where(t => t.State == TrialState.Complete && t.Number >= 5).Max(t => t.Parameters.Double("x")));
    }

    [Fact]
    public void NothingIsPrunedBeforeTheWarmUpNorDuringTheStartupTrials()
    {
        var result = Run(new MedianPruner { StartupTrials = 8, WarmupSteps = 6 });
        Assert.Contains(result.Trials, t => t.State == TrialState.Pruned);
        Assert.All(result.Trials.Where(t => t.State == TrialState.Pruned), t => Assert.True(t.IntermediateValues[^1].Step >= 6));
        Assert.All(result.Trials.Take(8), t => Assert.Equal(TrialState.Complete, t.State));
    }

    [Fact]
    public void WithoutAPrunerEveryTrialCompletes()
    {
        Assert.All(new RandomSearch(20) { Seed = 7 }.Run(SearchSpace.Parse("x=0..1"), Curve).Trials, t => Assert.Equal(TrialState.Complete, t.State));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
