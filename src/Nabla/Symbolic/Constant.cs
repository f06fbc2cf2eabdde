namespace Nabla.Symbolic;

/// <summary>A named mathematical constant: <see cref="Pi"/> (written <c>pi</c>) or <see cref="E"/> (written <c>e</c>).</summary>
public sealed class Constant : Expr
{
    private Constant(string name, double value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>π, written <c>pi</c>.</summary>
    public static Constant Pi { get; } = new("pi", Math.PI);

    /// <summary>Euler's number e, the base of the natural logarithm, written <c>e</c>.</summary>
    public static Constant E { get; } = new("e", Math.E);

    /// <summary>The name as written in expressions: <c>pi</c> or <c>e</c>.</summary>
    public string Name { get; }

    /// <summary>The value in double precision.</summary>
    public double Value { get; }

    private protected override IReadOnlyList<Expr> Children => [];

    private protected override bool EqualsSameKind(Expr other) => Name == ((Constant)other).Name;

    private protected override int ComputeHashCode() => HashCode.Combine(3, StringComparer.Ordinal.GetHashCode(Name));

    /// <summary>The constant called <paramref name="name"/>, if there is one.</summary>
    internal static bool TryGet(string name, out Constant constant)
    {
        constant = name switch { "pi" => Pi, "e" => E, _ => null! };
        return constant is not null;
    }
}
