namespace Nabla.Calculus;

/// <summary>A numeric matrix (such as a Jacobian or a Hessian) with an estimate of the absolute error of each entry.</summary>
/// <param name="Value">The computed entries.</param>
/// <param name="Error">The error estimate of each entry, the same shape as <paramref name="Value"/>.</param>
public sealed record MatrixEstimate(double[,] Value, double[,] Error)
{
    /// <summary>
    /// The rows, each entry with its error, "[[2 ± 1e-10, 0 ± 0], [0 ± 0, 2 ± 1e-10]]" (rows and
    /// entries beyond six shortened to the first and last three and their number).
    /// </summary>
    public override string ToString() =>
        ResultText.List([.. Enumerable.Range(0, Value.GetLength(0))],
            i => ResultText.List([.. Enumerable.Range(0, Value.GetLength(1))], j => ResultText.WithError(Value[i, j], Error[i, j])));
}
