namespace Nabla.Calculus;

/// <summary>A numeric vector (such as a gradient) with an estimate of the absolute error of each entry.</summary>
/// <param name="Value">The computed entries.</param>
/// <param name="Error">The error estimate of each entry, the same length as <paramref name="Value"/>.</param>
public sealed record VectorEstimate(double[] Value, double[] Error);
