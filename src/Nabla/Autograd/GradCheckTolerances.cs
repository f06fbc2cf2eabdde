namespace Nabla;

/// <summary>
/// The finite-difference step and the tolerances of a gradient check: an analytic derivative a passes
/// against the numeric one n when |a − n| ≤ <see cref="Atol"/> + <see cref="Rtol"/>·|n|, as
/// <c>torch.allclose</c>.
/// </summary>
public readonly record struct GradCheckTolerances
{
    /// <summary>Sets the step and both tolerances.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is not positive and finite, or a tolerance is negative or NaN.</exception>
    public GradCheckTolerances(double eps, double atol, double rtol)
    {
        if (!(eps > 0) || !double.IsFinite(eps))
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "GradCheck: the finite-difference step eps must be positive and finite.");
        if (!(atol >= 0))
            throw new ArgumentOutOfRangeException(nameof(atol), atol, "GradCheck: the absolute tolerance atol must be zero or positive.");
        if (!(rtol >= 0))
            throw new ArgumentOutOfRangeException(nameof(rtol), rtol, "GradCheck: the relative tolerance rtol must be zero or positive.");
        (Eps, Atol, Rtol) = (eps, atol, rtol);
    }

    /// <summary>PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3.</summary>
    public static GradCheckTolerances Default => new(1e-6, 1e-5, 1e-3);

    /// <summary>The step h of the central difference (f(x + h) − f(x − h)) / 2h.</summary>
    public double Eps { get; }

    /// <summary>The absolute tolerance.</summary>
    public double Atol { get; }

    /// <summary>The tolerance relative to the numeric derivative's magnitude.</summary>
    public double Rtol { get; }

    /// <summary>Whether <paramref name="analytic"/> is close enough to <paramref name="numeric"/> (false when either is NaN).</summary>
    public bool Accepts(double analytic, double numeric) => Math.Abs(analytic - numeric) <= Atol + Rtol * Math.Abs(numeric);
}
