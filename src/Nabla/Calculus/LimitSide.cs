namespace Nabla.Calculus;

/// <summary>The side from which <see cref="Limit.Of"/> approaches the point.</summary>
public enum LimitSide
{
    /// <summary>From both sides; the limit exists when the two one-sided limits agree.</summary>
    TwoSided,

    /// <summary>From below, x → a⁻ (the only side of +∞).</summary>
    Left,

    /// <summary>From above, x → a⁺ (the only side of −∞).</summary>
    Right,
}
