namespace Nabla.Symbolic;

/// <summary>A real number, such as <c>2</c> or <c>0.5</c>. Negative numbers are numbers too (−3 is one node).</summary>
public sealed class Number : Expr
{
    /// <summary>Creates the number <paramref name="value"/>.</summary>
    /// <param name="value">The value; −0 is stored as 0.</param>
    public Number(double value) => Value = value == 0 ? 0.0 : value;

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <summary>Whether the value is a whole number (and finite).</summary>
    public bool IsInteger => double.IsFinite(Value) && Value == Math.Floor(Value);

    private protected override IReadOnlyList<Expr> Children => [];

    private protected override bool EqualsSameKind(Expr other) => Value.Equals(((Number)other).Value);

    private protected override int ComputeHashCode() => HashCode.Combine(1, Value);

    internal static readonly Number Zero = new(0);
    internal static readonly Number One = new(1);
    internal static readonly Number MinusOne = new(-1);
}
