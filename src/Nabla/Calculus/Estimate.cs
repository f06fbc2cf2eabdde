namespace Nabla.Calculus;

/// <summary>A numeric result with an estimate of its absolute error.</summary>
/// <param name="Value">The computed value.</param>
/// <param name="Error">An estimate of |Value − exact value|; +∞ when no trustworthy estimate was found.</param>
public readonly record struct Estimate(double Value, double Error)
{
    /// <summary>"value ± error", e.g. "2.22324 ± 1.2e-11" (invariant culture, 6 and 3 significant digits).</summary>
    public override string ToString() => ResultText.WithError(Value, Error);
}
