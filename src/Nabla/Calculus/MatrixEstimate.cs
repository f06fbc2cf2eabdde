namespace Nabla.Calculus;

/// <summary>A numeric matrix (such as a Jacobian or a Hessian) with an estimate of the absolute error of each entry.</summary>
/// <param name="Value">The computed entries.</param>
/// <param name="Error">The error estimate of each entry, the same shape as <paramref name="Value"/>.</param>
public sealed record MatrixEstimate(double[,] Value, double[,] Error);
