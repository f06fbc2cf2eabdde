using Nabla.Selection;

namespace Nabla.Tests.Selection;

/// <summary>Objectives whose optimum is known, cheap enough to run hundreds of trials in a test.</summary>
internal static class SyntheticObjectives
{
    /// <summary>A learning rate on a log scale, a dropout rate and an activation, as a network's settings.</summary>
    public static SearchSpace QuadraticSpace() => SearchSpace.Parse("lr=1e-5..1:log,dropout=0..0.5,activation={relu;tanh;sigmoid}");

    /// <summary>
    /// The negated distance from lr = 10^−2.5, dropout = 0.2 and tanh, plus noise of standard deviation
    /// 0.05 from the trial's seed: greater is better, 0 is the best without noise. It reports a learning
    /// curve that climbs towards that score over <see cref="Trial.Budget"/> steps.
    /// </summary>
    public static TrialScore Quadratic(Trial trial)
    {
        double quality = QuadraticQuality(trial.Parameters);
        for (int step = 1; step <= trial.Budget; step++) trial.Report(step, quality - 2.0 / step);
        return quality + 0.05 * new Generator(trial.Seed).NextNormal();
    }

    /// <summary>The score <see cref="Quadratic"/> gives <paramref name="p"/> without noise.</summary>
    public static double QuadraticQuality(TrialParameters p) =>
        -(Math.Pow(Math.Log10(p.Double("lr")) + 2.5, 2) + 4 * Math.Pow(p.Double("dropout") - 0.2, 2) + (p.String("activation") == "tanh" ? 0 : 0.5));

    /// <summary>Branin's domain.</summary>
    public static SearchSpace BraninSpace() => SearchSpace.Parse("x1=-5..10,x2=0..15");

    /// <summary>The Branin function, to minimize: its minimum is 0.397887 at (−π, 12.275), (π, 2.275) and (9.42478, 2.475).</summary>
    public static TrialScore Branin(Trial trial) => Branin(trial.Parameters);

    /// <summary>The Branin function at <paramref name="p"/>.</summary>
    public static double Branin(TrialParameters p)
    {
        double x1 = p.Double("x1"), x2 = p.Double("x2");
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        return Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10;
    }

    /// <summary>What a test compares between two runs: everything but the durations.</summary>
    public static string[] Summary(SearchResult result) =>
        result.Trials.Select(trial =>
            $"{trial.Number} {trial.State} {trial.Budget} {trial.Score:R} {trial.Std:R} {trial.Parameters} " +
            string.Join(";", trial.IntermediateValues.Select(v => $"{v.Step}:{v.Value:R}"))).ToArray();
}
