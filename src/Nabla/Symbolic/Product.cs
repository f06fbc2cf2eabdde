namespace Nabla.Symbolic;

/// <summary>
/// A product of two or more factors; a / b is the product of a and b^−1, and −a is (−1)·a. In
/// simplified form a numeric coefficient, when there is one, is the first factor.
/// </summary>
public sealed class Product : Expr
{
    private readonly Expr[] _factors;

    /// <summary>Creates the product of <paramref name="factors"/>, in the given order, without simplifying.</summary>
    /// <param name="factors">Two or more factors.</param>
    /// <exception cref="ArgumentException">Fewer than two factors, or a null factor.</exception>
    public Product(params IEnumerable<Expr> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        _factors = [.. factors];
        if (_factors.Length < 2) throw new ArgumentException($"A product needs at least two factors, not {_factors.Length}.", nameof(factors));
        if (Array.IndexOf(_factors, null) >= 0) throw new ArgumentException("A factor of a product is null.", nameof(factors));
    }

    /// <summary>The factors, in order.</summary>
    public IReadOnlyList<Expr> Factors => _factors;

    private protected override IReadOnlyList<Expr> Children => _factors;

    private protected override bool EqualsSameKind(Expr other) => _factors.AsSpan().SequenceEqual(((Product)other)._factors);

    private protected override int ComputeHashCode()
    {
        var h = new HashCode();
        h.Add(5);
        foreach (var f in _factors) h.Add(f);
        return h.ToHashCode();
    }
}
