namespace Nabla.Selection;

/// <summary>
/// A tree-structured Parzen estimator search, as Optuna's default <c>TPESampler</c> (univariate): after
/// <see cref="StartupTrials"/> random trials, the completed trials are split into the best γ(n) =
/// min(⌈n/10⌉, 25) and the rest; per parameter, a Parzen estimator l over the best and g over the rest
/// (each with the prior as one more kernel) give <see cref="CandidateCount"/> candidates drawn from l, and
/// the one with the largest l(x)/g(x) (expected improvement) is tried.
/// </summary>
/// <remarks>
/// <para>Observation weights are Optuna's: 1 each for up to 25 trials, beyond that a ramp from 1/n up to 1
/// over the oldest ones, so recent trials count fully. Integers are modelled on a range widened by ½ at
/// each end and rounded. Pruned and failed trials count towards the startup trials but are not modelled.</para>
/// <para>With <see cref="HyperparameterSearch.DegreeOfParallelism"/> p, trials are proposed by batches of p:
/// each trial of a batch is drawn, from its own seeded generator, against the trials of earlier batches
/// (not Optuna's constant liar), so the search does not depend on which trial finishes first.</para>
/// </remarks>
public sealed class TpeSearch : HyperparameterSearch
{
    /// <summary>Creates a search of <paramref name="trials"/> trials.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> is less than 1.</exception>
    public TpeSearch(int trials)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, $"A TPE search needs at least 1 trial, got {trials}.");
        Trials = trials;
    }

    /// <summary>How many trials to run.</summary>
    public int Trials { get; }

    /// <summary>How many trials are drawn at random before the model guides the search (Optuna's default: 10).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int StartupTrials
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(StartupTrials), value, $"StartupTrials must be at least 0, got {value}.");
    } = 10;

    /// <summary>How many candidates are drawn from l for each parameter, the best of which by l/g is tried (Optuna's default: 24).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int CandidateCount
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(CandidateCount), value, $"CandidateCount must be at least 1, got {value}.");
    } = 24;

    /// <summary>The weight of the prior's kernel in each estimator (Optuna's default: 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double PriorWeight
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(PriorWeight), value, $"PriorWeight must be positive and finite, got {value}.");
    } = 1.0;

    internal override string Settings => $"tpe(startup={StartupTrials},candidates={CandidateCount},prior={RangeDistribution.Text(PriorWeight)})";

    /// <summary>How many of <paramref name="n"/> completed trials count as the good ones (Optuna's default γ).</summary>
    internal static int GoodCount(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <summary>Optuna's default observation weights, oldest first.</summary>
    internal static double[] ObservationWeights(int n)
    {
        if (n < 25) return Enumerable.Repeat(1.0, n).ToArray();
        int ramp = n - 25;
        return Enumerable.Range(0, ramp)
            .Select(i => ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1))
            .Concat(Enumerable.Repeat(1.0, 25))
            .ToArray();
    }

    private protected override IEnumerable<IReadOnlyList<TrialRequest>> Plan(SearchRun run)
    {
        while (run.NextNumber < Trials)
        {
            int first = run.NextNumber, count = Math.Min(run.DegreeOfParallelism, Trials - first);
            yield return Enumerable.Range(first, count)
                .Select(n => new TrialRequest(Propose(run, run.Random(SearchRun.SamplingStream, n)), MaxBudget))
                .ToList();
        }
    }

    private TrialParameters Propose(SearchRun run, Generator random)
    {
        var finished = run.Trials.Where(trial => trial.State != TrialState.Failed).ToList();
        var complete = run.Trials.Where(trial => trial.State == TrialState.Complete).ToList();
        if (finished.Count < StartupTrials || complete.Count == 0) return run.Sample(random);

        int sign = run.Direction == SearchDirection.Maximize ? -1 : 1;
        var ranked = complete.OrderBy(trial => sign * trial.Score!.Value).ThenBy(trial => trial.Number).ToList();
        int good = GoodCount(complete.Count);
        // Within each group, observations stay in trial order so the weights favour recent trials.
        var below = ranked.Take(good).OrderBy(trial => trial.Number).ToList();
        var above = ranked.Skip(good).OrderBy(trial => trial.Number).ToList();

        var values = new object[run.Space.Parameters.Count];
        for (int p = 0; p < values.Length; p++)
            values[p] = run.Space.Parameters[p].Value switch
            {
                RangeDistribution range => ProposeNumber(range, p, below, above, random),
                ChoiceDistribution choice => ProposeChoice(choice, p, below, above, random),
                var other => throw new InvalidOperationException($"TPE has no model for {other}."),
            };
        return run.Parameters(values);
    }

    private object ProposeNumber(RangeDistribution range, int p, List<TrialRecord> below, List<TrialRecord> above, Generator random)
    {
        NumericParzenEstimator Estimator(List<TrialRecord> trials) => new(
            trials.Select(trial => range.ToInternal(RangeDistribution.Number(trial.Parameters.Values[p]))).ToList(),
            ObservationWeights(trials.Count), range.InternalLow, range.InternalHigh, PriorWeight);
        var good = Estimator(below);
        var bad = Estimator(above);
        object? best = null;
        double bestScore = double.NegativeInfinity;
        for (int c = 0; c < CandidateCount; c++)
        {
            object candidate = range.FromInternal(good.Sample(random));
            double x = range.ToInternal(RangeDistribution.Number(candidate));
            double score = good.LogDensity(x) - bad.LogDensity(x);
            if (best is null || score > bestScore) (best, bestScore) = (candidate, score);
        }
        return best!;
    }

    private object ProposeChoice(ChoiceDistribution choice, int p, List<TrialRecord> below, List<TrialRecord> above, Generator random)
    {
        CategoricalParzenEstimator Estimator(List<TrialRecord> trials) => new(
            trials.Select(trial => choice.IndexOf(trial.Parameters.Values[p])).ToList(),
            ObservationWeights(trials.Count), choice.Count, PriorWeight);
        var good = Estimator(below);
        var bad = Estimator(above);
        int best = -1;
        double bestScore = double.NegativeInfinity;
        for (int c = 0; c < CandidateCount; c++)
        {
            int candidate = good.Sample(random);
            double score = good.LogDensity(candidate) - bad.LogDensity(candidate);
            if (best < 0 || score > bestScore) (best, bestScore) = (candidate, score);
        }
        return choice[best];
    }
}
