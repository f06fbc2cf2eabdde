namespace Nabla.Calculus;

/// <summary>A Monte Carlo estimate of an expectation.</summary>
/// <param name="Value">The sample mean of f(X).</param>
/// <param name="StandardError">
/// The estimated standard deviation of <see cref="Value"/>: the sample standard deviation of f(X)
/// divided by √<see cref="Samples"/>. About 95 % of seeds land within 2 standard errors of the expectation.
/// </param>
/// <param name="Samples">How many draws were averaged.</param>
public sealed record MonteCarloResult(double Value, double StandardError, int Samples);
