namespace Nabla.Symbolic;

/// <summary>
/// The fixed order of factors in a simplified product and of terms in a simplified sum, so that
/// simplification is deterministic. Factors: numbers, then constants, then variables by name, then
/// function calls by name, then sums, products and powers; a power sorts by its base, then its
/// exponent, so x, x^2, y, sin(x) come in that order. Terms: by falling polynomial degree
/// (x^2 before x), then factor by factor; the constant term last.
/// </summary>
internal static class CanonicalOrder
{
    /// <summary>Orders factors of a product (and, inside that, any two expressions).</summary>
    public static readonly IComparer<Expr> Factors = Comparer<Expr>.Create(Compare);

    /// <summary>Orders the terms of a sum.</summary>
    public static readonly IComparer<Expr> Terms = Comparer<Expr>.Create(CompareTerms);

    /// <summary>A total order on expressions: 0 only for structurally equal trees.</summary>
    public static int Compare(Expr a, Expr b)
    {
        if (ReferenceEquals(a, b)) return 0;
        var (ba, ea) = SplitPower(a);
        var (bb, eb) = SplitPower(b);
        int c = CompareBase(ba, bb);
        if (c != 0) return c;
        c = Compare(ea, eb);
        if (c != 0) return c;
        // x and x^1 split alike; put the bare one first.
        return (a is Power).CompareTo(b is Power);
    }

    private static (Expr Base, Expr Exponent) SplitPower(Expr e) => e is Power p ? (p.Base, p.Exponent) : (e, Number.One);

    private static int Rank(Expr e) => e switch
    {
        Number => 0,
        Constant => 1,
        Variable => 2,
        FunctionCall => 3,
        Sum => 4,
        Product => 5,
        _ => 6,
    };

    private static int CompareBase(Expr a, Expr b)
    {
        int c = Rank(a).CompareTo(Rank(b));
        if (c != 0) return c;
        switch (a, b)
        {
            case (Number x, Number y): return x.Value.CompareTo(y.Value);
            case (Constant x, Constant y): return string.CompareOrdinal(x.Name, y.Name);
            case (Variable x, Variable y): return string.CompareOrdinal(x.Name, y.Name);
            case (FunctionCall x, FunctionCall y):
                c = string.CompareOrdinal(x.Name, y.Name);
                return c != 0 ? c : Compare(x.Argument, y.Argument);
            case (Sum x, Sum y): return CompareLists(x.Terms, y.Terms);
            case (Product x, Product y): return CompareLists(x.Factors, y.Factors);
            case (Power x, Power y):
                c = Compare(x.Base, y.Base);
                return c != 0 ? c : Compare(x.Exponent, y.Exponent);
            default: return 0;
        }
    }

    private static int CompareLists(IReadOnlyList<Expr> a, IReadOnlyList<Expr> b)
    {
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            int c = Compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Count.CompareTo(b.Count);
    }

    /// <summary>Orders sum terms: numbers last; otherwise higher degree first, then factor by factor, then by coefficient.</summary>
    public static int CompareTerms(Expr a, Expr b)
    {
        if (ReferenceEquals(a, b)) return 0;
        int c = (a is Number).CompareTo(b is Number);
        if (c != 0) return c;
        if (a is Number na && b is Number nb) return na.Value.CompareTo(nb.Value);
        var (ca, fa) = Monomial(a);
        var (cb, fb) = Monomial(b);
        c = Degree(fb).CompareTo(Degree(fa));
        if (c != 0) return c;
        c = CompareLists(fa, fb);
        return c != 0 ? c : ca.CompareTo(cb);
    }

    /// <summary>A term as its numeric coefficient and its other factors.</summary>
    private static (double Coefficient, IReadOnlyList<Expr> Factors) Monomial(Expr e) => e switch
    {
        Product { Factors: [Number c, ..] } p => (c.Value, p.Factors.Skip(1).ToArray()),
        Product p => (1, p.Factors),
        _ => (1, [e]),
    };

    /// <summary>The total degree in the variables: x counts 1, x^n counts n; anything else 0.</summary>
    private static double Degree(IReadOnlyList<Expr> factors)
    {
        double d = 0;
        foreach (var f in factors)
        {
            if (f is Variable) d += 1;
            else if (f is Power { Base: Variable, Exponent: Number n } && double.IsFinite(n.Value)) d += n.Value;
        }
        return d;
    }
}
