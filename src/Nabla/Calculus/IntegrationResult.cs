namespace Nabla.Calculus;

/// <summary>
/// The outcome of a numerical integration: the value, an estimate of its absolute error, the
/// work it took, and whether the requested tolerance was met.
/// </summary>
/// <param name="Value">The approximation to the integral (NaN when the integrand was not finite somewhere).</param>
/// <param name="ErrorEstimate">
/// An estimate of |exact − <see cref="Value"/>|; QUADPACK's estimate is deliberately pessimistic, so the
/// true error is usually much smaller. Positive infinity when the integrand was not finite.
/// </param>
/// <param name="Evaluations">How many times the integrand was called.</param>
/// <param name="Converged">
/// Whether <see cref="ErrorEstimate"/> met the tolerance the caller asked for. When false,
/// <see cref="Message"/> says why and <see cref="Value"/> is the best approximation found.
/// </param>
/// <param name="Message">Why the tolerance was not met; null when <see cref="Converged"/> is true.</param>
/// <param name="Intervals">How many subintervals (or, for Romberg, panels of the finest trapezoid rule) the range ended up split into.</param>
public sealed record IntegrationResult(double Value, double ErrorEstimate, int Evaluations, bool Converged, string? Message, int Intervals)
{
    /// <summary>
    /// Whether the integral was found not to converge: after the quadrature failed, the integral over stretches
    /// running toward an end of the range (twice as long each time toward ±∞, half as long toward a finite end)
    /// did not shrink (1/x, x, a constant) or kept swinging (sin x). <see cref="Message"/> says where and how.
    /// </summary>
    public bool Diverges { get; init; }

    /// <summary>Throws when the tolerance was not met; returns the value otherwise.</summary>
    /// <exception cref="InvalidOperationException">The integration did not converge; the message says why.</exception>
    public double ValueOrThrow() => Converged ? Value : throw new InvalidOperationException(Message);

    /// <summary>
    /// The value with its error estimate and the work done, e.g. "IntegrationResult { Value = 2 ± 2.22e-14,
    /// Evaluations = 21, Intervals = 1, Converged = true }", and the message when it did not converge.
    /// </summary>
    public override string ToString()
    {
        var text = new ResultText(nameof(IntegrationResult)).Add(nameof(Value), Value, ErrorEstimate).Add(nameof(Evaluations), Evaluations)
            .Add(nameof(Intervals), Intervals).Add(nameof(Converged), Converged);
        if (Diverges) text.Add(nameof(Diverges), true);
        return text.AddQuoted(nameof(Message), Message).ToString();
    }
}
