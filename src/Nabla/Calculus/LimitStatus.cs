namespace Nabla.Calculus;

/// <summary>What <see cref="Limit.Of"/> found.</summary>
public enum LimitStatus
{
    /// <summary>The values settle on a finite limit, within the error estimate.</summary>
    Converged,

    /// <summary>The left and right limits both exist (finite or infinite) but differ, as |x|/x or 1/x at 0.</summary>
    SidesDisagree,

    /// <summary>f grows without bound, as 1/x² at 0.</summary>
    DivergesToPositiveInfinity,

    /// <summary>f falls without bound, as log x at 0⁺.</summary>
    DivergesToNegativeInfinity,

    /// <summary>f keeps swinging between values without settling, as sin(1/x) at 0.</summary>
    Oscillates,

    /// <summary>
    /// The values neither settle to the accuracy asked for nor show one of the patterns above: the limit could
    /// not be determined, which is not to say that it does not exist (1/log x at 0⁺ approaches 0 too slowly to see).
    /// </summary>
    NotConverged,

    /// <summary>f is NaN at every point tried on a side, as √x left of 0.</summary>
    Undefined,
}
