namespace Nabla.Symbolic;

/// <summary>A power: <see cref="Base"/> raised to <see cref="Exponent"/>, written <c>b^e</c>.</summary>
public sealed class Power : Expr
{
    /// <summary>Creates <paramref name="b"/> raised to <paramref name="exponent"/>, without simplifying.</summary>
    /// <param name="b">The base.</param>
    /// <param name="exponent">The exponent.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public Power(Expr b, Expr exponent)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(exponent);
        Base = b;
        Exponent = exponent;
    }

    /// <summary>The base.</summary>
    public Expr Base { get; }

    /// <summary>The exponent.</summary>
    public Expr Exponent { get; }

    private protected override IReadOnlyList<Expr> Children => [Base, Exponent];

    private protected override bool EqualsSameKind(Expr other)
    {
        var p = (Power)other;
        return Base.Equals(p.Base) && Exponent.Equals(p.Exponent);
    }

    private protected override int ComputeHashCode() => HashCode.Combine(6, Base, Exponent);
}
