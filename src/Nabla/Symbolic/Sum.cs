namespace Nabla.Symbolic;

/// <summary>A sum of two or more terms; a − b is the sum of a and (−1)·b.</summary>
public sealed class Sum : Expr
{
    private readonly Expr[] _terms;

    /// <summary>Creates the sum of <paramref name="terms"/>, in the given order, without simplifying.</summary>
    /// <param name="terms">Two or more terms.</param>
    /// <exception cref="ArgumentException">Fewer than two terms, or a null term.</exception>
    public Sum(params IEnumerable<Expr> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        _terms = [.. terms];
        if (_terms.Length < 2) throw new ArgumentException($"A sum needs at least two terms, not {_terms.Length}.", nameof(terms));
        if (Array.IndexOf(_terms, null) >= 0) throw new ArgumentException("A term of a sum is null.", nameof(terms));
    }

    /// <summary>The terms, in order.</summary>
    public IReadOnlyList<Expr> Terms => _terms;

    private protected override IReadOnlyList<Expr> Children => _terms;

    private protected override bool EqualsSameKind(Expr other) => _terms.AsSpan().SequenceEqual(((Sum)other)._terms);

    private protected override int ComputeHashCode()
    {
        var h = new HashCode();
        h.Add(4);
        foreach (var t in _terms) h.Add(t);
        return h.ToHashCode();
    }
}
