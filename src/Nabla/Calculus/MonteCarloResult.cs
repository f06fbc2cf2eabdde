namespace Nabla.Calculus;

/// <summary>A Monte Carlo estimate of an expectation.</summary>
/// <param name="Value">The sample mean of f(X).</param>
/// <param name="StandardError">
/// The estimated standard deviation of <see cref="Value"/>: the sample standard deviation of f(X)
/// divided by √<see cref="Samples"/>. About 95 % of seeds land within 2 standard errors of the expectation.
/// </param>
/// <param name="Samples">How many draws were averaged.</param>
public sealed record MonteCarloResult(double Value, double StandardError, int Samples)
{
    /// <summary>The fewest draws for which <see cref="VarianceMayBeInfinite"/> judges: with fewer, one draw carries much of any sum.</summary>
    public const int SamplesToJudgeVariance = 1000;

    /// <summary>
    /// The share of Σ f(X)² that the largest single draw carries, in [0, 1]. With a finite variance it falls
    /// as about 1/<see cref="Samples"/>; near a singularity whose square is not integrable (1/x at 0, 1/√x at 0)
    /// it stays large however many draws are taken.
    /// </summary>
    public double LargestShare { get; init; }

    /// <summary>The X at which f(X)² was largest: where to look for the singularity when <see cref="VarianceMayBeInfinite"/>.</summary>
    public double LargestAt { get; init; }

    /// <summary>
    /// Whether one draw carries over a tenth of Σ f(X)² among at least <see cref="SamplesToJudgeVariance"/>
    /// draws: then f(X) very likely has no finite variance, so <see cref="StandardError"/> means nothing, and
    /// the estimate is unreliable (and meaningless when the integral itself diverges, as ∫₋₁¹ dx/x).
    /// </summary>
    public bool VarianceMayBeInfinite => Samples >= SamplesToJudgeVariance && LargestShare > 0.1;

    /// <summary>The value ± its standard error and the samples, e.g. "MonteCarloResult { Value = 3.14 ± 0.0164, Samples = 10000 }".</summary>
    public override string ToString() => new ResultText(nameof(MonteCarloResult)).Add(nameof(Value), Value, StandardError).Add(nameof(Samples), Samples).ToString();
}
