namespace Nabla.Calculus;

/// <summary>A numeric vector (such as a gradient) with an estimate of the absolute error of each entry.</summary>
/// <param name="Value">The computed entries.</param>
/// <param name="Error">The error estimate of each entry, the same length as <paramref name="Value"/>.</param>
public sealed record VectorEstimate(double[] Value, double[] Error)
{
    /// <summary>Each entry with its error, "[1 ± 1e-12, 2 ± 3e-12]" (the first and last three and the length when longer than six).</summary>
    public override string ToString() => ResultText.List([.. Value.Index()], entry => ResultText.WithError(entry.Item, Error[entry.Index]));
}
