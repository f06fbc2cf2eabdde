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
                return c != 0 ? c : CompareLists(new Run(x.Arguments, 0), new Run(y.Arguments, 0));
            case (Sum x, Sum y): return CompareLists(new Run(x.Terms, 0), new Run(y.Terms, 0));
            case (Product x, Product y): return CompareLists(new Run(x.Factors, 0), new Run(y.Factors, 0));
            case (Power x, Power y):
                c = Compare(x.Base, y.Base);
                return c != 0 ? c : Compare(x.Exponent, y.Exponent);
            default: return 0;
        }
    }

    private static int CompareLists(Run a, Run b)
    {
        int n = Math.Min(a.Count, b.Count);
        for (int i = 0; i < n; i++)
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
    private static (double Coefficient, Run Factors) Monomial(Expr e) => e switch
    {
        Product { Factors: [Number c, ..] } p => (c.Value, new Run(p.Factors, 1)),
        Product p => (1, new Run(p.Factors, 0)),
        _ => (1, new Run(e)),
    };

    /// <summary>The total degree in the variables: x counts 1, x^n counts n; anything else 0.</summary>
    private static double Degree(Run factors)
    {
        double d = 0;
        for (int i = 0; i < factors.Count; i++)
        {
            var f = factors[i];
            if (f is Variable) d += 1;
            else if (f is Power { Base: Variable, Exponent: Number n } && double.IsFinite(n.Value)) d += n.Value;
        }
        return d;
    }

    /// <summary>
    /// A list of expressions from some index on, or a single expression: the factors of a term
    /// without its coefficient, compared in place (sorting a large sum compares terms many times).
    /// </summary>
    private readonly struct Run
    {
        private readonly IReadOnlyList<Expr>? _list;
        private readonly int _start;
        private readonly Expr? _single;

        public Run(IReadOnlyList<Expr> list, int start) => (_list, _start) = (list, start);

        public Run(Expr single) => _single = single;

        public int Count => _single is null ? _list!.Count - _start : 1;

        public Expr this[int i] => _single ?? _list![_start + i];
    }
}
