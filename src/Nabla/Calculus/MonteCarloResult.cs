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
    /// <summary>The value ± its standard error and the samples, e.g. "MonteCarloResult { Value = 3.14 ± 0.0164, Samples = 10000 }".</summary>
    public override string ToString() => new ResultText(nameof(MonteCarloResult)).Add(nameof(Value), Value, StandardError).Add(nameof(Samples), Samples).ToString();
}
