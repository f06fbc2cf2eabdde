using System.Runtime.InteropServices;

namespace Nabla.Symbolic;

/// <summary>
/// Bottom-up simplification into a canonical form. The <c>Make*</c> builders take children that
/// are already simplified and return a simplified node, so the differentiator builds its results
/// with them directly. The rules:
/// <list type="bullet">
/// <item>sums: flatten, fold numbers (exactly when they are small fractions, see <see cref="NumberFolding"/>), merge like terms (2x + 3x = 5x), drop zero terms, sort;</item>
/// <item>products: flatten, fold numbers into one leading coefficient, 0 absorbs, merge powers of a
/// common base by adding exponents (x·x = x², x²·x³ = x⁵, x/x = 1, xᵃ·xᵇ = x^(a+b)), but number
/// exponents apart from the others (x·xᵃ stays, as in SymPy), sort;</item>
/// <item>powers: x⁰ = 1, x¹ = x, 1ˣ = 1, numbers folded when the result is finite,
/// (xᵃ)ⁿ = x^(a·n) and (x·y)ⁿ = xⁿ·yⁿ for whole n, (√n)^(2k) = nᵏ for a number n, (eᵘ)ᶜ = e^(u·c), eˣ = exp(x);</item>
/// <item>calls: exact values only (sin 0 = 0, cos 0 = 1, log 1 = 0, log e = 1, √4 = 2, |−3| = 3, ...),
/// log(exp u) = u, exp(log u) = u, |abs u| = abs u; √u = u^½ unless u is a number (printed as sqrt(u));
/// max and min of two numbers folded, max(u, u) = min(u, u) = u, their arguments in canonical order, a number last (max(y, x) = max(x, y), max(0, x) = max(x, 0)),
/// relu(relu u) = relu u.</item>
/// </list>
/// Sums are never expanded: x·(y + 1) stays as it is. Like SymPy, x/x = 1 and (√x)² = x ignore the
/// points where the original is undefined or negative.
/// </summary>
/// <remarks>
/// A simplifier builds each distinct sum, product, power and call once (hash-consing): a node equal
/// to one it has built is that same object. A derivative that repeats a subexpression (the
/// product rule copies every factor into every term) then holds it once, as a directed acyclic
/// graph, and whatever is keyed by node (the differentiator's memory of derivatives, the
/// compiler's common subexpressions) does each distinct node once. Comparing nodes stays cheap
/// for the same reason: equal children are the same object. A simplifier serves one operation
/// (one <see cref="Expr.Simplify"/> or <see cref="Expr.Differentiate(string, int)"/> call) and its
/// tables go with it.
/// </remarks>
internal sealed class Simplifier
{
    private static readonly Number Half = new(0.5);

    // Every composite node built, keyed by structure. Its children are in the table already, so a
    // lookup compares them by reference and costs a few operations per child.
    private readonly Dictionary<Expr, Expr> _nodes = [];

    // The simplified form of each input node, by reference: an input that shares subexpressions
    // (the result of an earlier call) is simplified once per distinct node, not once per occurrence.
    private readonly Dictionary<Expr, Expr> _simplified = new(ReferenceEqualityComparer.Instance);

    /// <summary>The distinct nodes built so far, each counted with its number of children: the size of the graph, and the measure of the work done.</summary>
    public long BuiltSize { get; private set; }

    /// <summary>The canonical form of <paramref name="e"/>.</summary>
    public Expr Simplify(Expr e)
    {
        if (_simplified.TryGetValue(e, out var known)) return known;
        var result = e switch
        {
            Sum s => MakeSum(s.Terms.Select(Simplify)),
            Product p => MakeProduct(p.Factors.Select(Simplify)),
            Power p => MakePower(Simplify(p.Base), Simplify(p.Exponent)),
            FunctionCall { Arguments: [var a, var b] } f => MakeCall(f.Function, Simplify(a), Simplify(b)),
            FunctionCall f => MakeCall(f.Function, Simplify(f.Argument)),
            _ => e,
        };
        _simplified[e] = result;
        return result;
    }

    /// <summary>The simplified sum of simplified terms.</summary>
    public Expr MakeSum(params IEnumerable<Expr> terms)
    {
        var constants = new List<double>();
        var like = new Dictionary<Expr, LikeTerms>();
        var order = new List<LikeTerms>();
        foreach (var term in Flatten<Sum>(terms, s => s.Terms, []))
        {
            if (term is Number n)
            {
                constants.Add(n.Value);
                continue;
            }
            var (c, rest) = SplitCoefficient(term);
            if (like.TryGetValue(rest, out var group)) group.Parts.Add(c);
            else
            {
                group = new LikeTerms(term, rest, [c]);
                like[rest] = group;
                order.Add(group);
            }
        }
        double constant = NumberFolding.Sum(constants);
        var result = new List<Expr>(order.Count + 1);
        foreach (var group in order)
        {
            if (group.Parts.Count == 1)
            {
                if (group.Parts[0] != 0) result.Add(group.First);
                continue;
            }
            double c = NumberFolding.Sum(group.Parts);
            if (c != 0) result.Add(WithCoefficient(c, group.Rest));
        }
        result.Sort(CanonicalOrder.Terms);
        if (constant != 0 || result.Count == 0) result.Add(new Number(constant));
        return result.Count == 1 ? result[0] : Share(new Sum(result));
    }

    /// <summary>The simplified product of simplified factors.</summary>
    public Expr MakeProduct(params IEnumerable<Expr> factors)
    {
        var numbers = new List<double>();
        var powers = new Dictionary<Expr, PowersOfBase>();
        var order = new List<PowersOfBase>();
        foreach (var factor in Flatten<Product>(factors, p => p.Factors, []))
        {
            if (factor is Number n)
            {
                numbers.Add(n.Value);
                continue;
            }
            var (b, e) = factor is Power p ? (p.Base, p.Exponent) : (factor, Number.One);
            if (!powers.TryGetValue(b, out var group))
            {
                group = new PowersOfBase(factor, b, [], []);
                powers[b] = group;
                order.Add(group);
            }
            (e is Number ? group.Numbers : group.Others).Add(e);
        }
        double coefficient = NumberFolding.Product(numbers);
        if (coefficient == 0) return Number.Zero;

        var result = new List<Expr>(order.Count + 1);
        bool regroup = false;
        foreach (var group in order)
        {
            if (group.Numbers.Count + group.Others.Count == 1)
            {
                result.Add(group.First);
                continue;
            }
            // Number exponents and the others merge apart, as in SymPy: x·xˣ stays, not x^(x + 1).
            // Merged, the derivatives of xˣ would be powers x^(x − k) whose own derivatives never
            // combine, and their size would grow exponentially with the order.
            foreach (var exponents in (List<Expr>[])[group.Numbers, group.Others])
            {
                if (exponents.Count == 0) continue;
                var merged = MakePower(group.Base, MakeSum(exponents));
                // A merged power may fold to a number, split into a product ((2x)^(1/2) · (2x)^(1/2) = 2x)
                // or change its base (e · e = exp(2)), which may then merge with another factor.
                if (merged is Number m) coefficient *= m.Value;
                else
                {
                    regroup |= !(merged.Equals(group.Base) || merged is Power mp && mp.Base.Equals(group.Base));
                    result.Add(merged);
                }
            }
        }
        if (regroup) return MakeProduct([new Number(coefficient), .. result]);
        if (coefficient == 0) return Number.Zero;

        result.Sort(CanonicalOrder.Factors);
        if (coefficient != 1 || result.Count == 0) result.Insert(0, new Number(coefficient));
        return result.Count == 1 ? result[0] : Share(new Product(result));
    }

    /// <summary>The simplified power of a simplified base and exponent.</summary>
    public Expr MakePower(Expr b, Expr exponent)
    {
        if (b is Constant c && c == Constant.E) return MakeCall(MathFunction.Exp, exponent);
        if (b is Number { Value: 1 }) return Number.One;
        if (exponent is not Number n) return Share(new Power(b, exponent));

        double p = n.Value;
        if (p == 0) return Number.One;
        if (p == 1) return b;
        switch (b)
        {
            case Number { Value: 0 } when p < 0:
                // 0 to any negative power is +inf: one canonical form for all of them.
                return Share(p == -1 ? new Power(b, exponent) : new Power(b, Number.MinusOne));
            case Number bn:
                // 1/b correctly rounded, so that 3^-1 is the double nearest 1/3, as 1/3 is.
                double folded = p == -1 ? 1 / bn.Value : Math.Pow(bn.Value, p);
                return double.IsFinite(folded) ? new Number(folded) : Share(new Power(b, exponent));
            case Power inner when n.IsInteger:
                return MakePower(inner.Base, MakeProduct(inner.Exponent, n));
            case Product product when n.IsInteger:
                return MakeProduct(product.Factors.Select(f => MakePower(f, n)));
            case FunctionCall { Function: MathFunction.Sqrt } sqrt when n.IsInteger && p % 2 == 0:
                return MakePower(sqrt.Argument, new Number(p / 2));
            case FunctionCall { Function: MathFunction.Exp } exp:
                return MakeCall(MathFunction.Exp, MakeProduct(exp.Argument, n));
            default:
                return Share(new Power(b, exponent));
        }
    }

    /// <summary>The simplified call of a function on a simplified argument.</summary>
    public Expr MakeCall(MathFunction f, Expr argument)
    {
        if (argument is Number n && ExactValue(f, n.Value) is double v) return new Number(v);
        switch (f, argument)
        {
            // √u is u^½, as in SymPy, so that it merges with other powers of u (√x·x = x^1.5,
            // x/√x = √x); √2 of a number stays a call, which keeps it exact.
            case (MathFunction.Sqrt, not Number):
                return MakePower(argument, Half);
            case (MathFunction.Log, Constant c) when c == Constant.E:
                return Number.One;
            case (MathFunction.Log, FunctionCall { Function: MathFunction.Exp } inner):
                return inner.Argument;
            case (MathFunction.Exp, FunctionCall { Function: MathFunction.Log } inner):
                return inner.Argument;
            case (MathFunction.Abs, FunctionCall { Function: MathFunction.Abs or MathFunction.Exp or MathFunction.Sqrt or MathFunction.Cosh or MathFunction.Sigmoid
                or MathFunction.Relu or MathFunction.Softplus or MathFunction.Heaviside } inner):
                return inner;
            case (MathFunction.Relu, FunctionCall { Function: MathFunction.Relu } inner):
                return inner;
            case (MathFunction.Abs, Power { Exponent: Number { Value: 0.5 } } root):
                return root;
            case (MathFunction.Sin, Constant c) when c == Constant.Pi:
                return Number.Zero;
            case (MathFunction.Cos, Constant c) when c == Constant.Pi:
                return Number.MinusOne;
            default:
                return Share(new FunctionCall(f, argument));
        }
    }

    /// <summary>The simplified call of a two-argument function (max or min) on simplified arguments.</summary>
    public Expr MakeCall(MathFunction f, Expr a, Expr b)
    {
        if (a is Number x && b is Number y) return new Number(MathFunctions.Apply(f, x.Value, y.Value));
        if (a.Equals(b)) return a;
        // Both are symmetric: one order of the arguments, so that max(y, x) and max(x, y) are one node;
        // a number goes last, as max(x, 0) is written.
        bool swap = a is Number || (b is not Number && CanonicalOrder.Compare(a, b) > 0);
        return Share(swap ? new FunctionCall(f, b, a) : new FunctionCall(f, a, b));
    }

    // Only values that are exact, so that folding never loses anything: sin(2) stays sin(2).
    private static double? ExactValue(MathFunction f, double x) => f switch
    {
        MathFunction.Abs => Math.Abs(x),
        MathFunction.Sqrt when x >= 0 && Math.Sqrt(x) is double r && r * r == x && r == Math.Floor(r) => r,
        MathFunction.Sin or MathFunction.Tan or MathFunction.Tanh or MathFunction.Sinh or MathFunction.Asin or MathFunction.Atan when x == 0 => 0,
        MathFunction.Cos or MathFunction.Cosh or MathFunction.Exp when x == 0 => 1,
        MathFunction.Log or MathFunction.Acos when x == 1 => 0,
        MathFunction.Sigmoid when x == 0 => 0.5,
        MathFunction.Relu => MathFunctions.Relu(x),
        MathFunction.Heaviside => MathFunctions.Heaviside(x),
        MathFunction.Log1p or MathFunction.Erf when x == 0 => 0,
        _ => null,
    };

    /// <summary>A term as its numeric coefficient and the rest (1 and the term itself when it has no coefficient).</summary>
    private static (double Coefficient, Expr Remainder) SplitCoefficient(Expr term) => term switch
    {
        Product { Factors: [Number c, var only] } => (c.Value, only),
        Product { Factors: [Number c, ..] } p => (c.Value, new Product(p.Factors.Skip(1))),
        _ => (1, term),
    };

    /// <summary>c·rest for a simplified rest without a coefficient.</summary>
    private Expr WithCoefficient(double c, Expr rest) => c switch
    {
        1 => Share(rest),
        _ when rest is Product p => Share(new Product([new Number(c), .. p.Factors])),
        _ => Share(new Product(new Number(c), rest)),
    };

    /// <summary>The node built before that equals <paramref name="node"/>, or <paramref name="node"/> itself, now in the table.</summary>
    private Expr Share(Expr node)
    {
        if (node is Number or Constant or Variable) return node;
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_nodes, node, out bool exists);
        if (exists) return slot!;
        slot = node;
        BuiltSize += 1 + node.ChildCount;
        return node;
    }

    /// <summary><paramref name="items"/> with nested sums (or products) replaced by their terms (factors), added to <paramref name="into"/>.</summary>
    private static List<Expr> Flatten<T>(IEnumerable<Expr> items, Func<T, IReadOnlyList<Expr>> children, List<Expr> into) where T : Expr
    {
        foreach (var item in items)
        {
            if (item is T nested) Flatten(children(nested), children, into);
            else into.Add(item);
        }
        return into;
    }

    /// <summary>The terms of a sum that differ only in their coefficient: the first as written, the rest without coefficient, each coefficient.</summary>
    private sealed record LikeTerms(Expr First, Expr Rest, List<double> Parts);

    /// <summary>The factors of a product with one base: the first as written, the base, the exponents that are numbers and the others.</summary>
    private sealed record PowersOfBase(Expr First, Expr Base, List<Expr> Numbers, List<Expr> Others);
}
