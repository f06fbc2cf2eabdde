namespace Nabla.Symbolic;

/// <summary>
/// Bottom-up simplification into a canonical form. The <c>Make*</c> builders take children that
/// are already simplified and return a simplified node, so the differentiator builds its results
/// with them directly. The rules:
/// <list type="bullet">
/// <item>sums: flatten, fold numbers (exactly when they are small fractions, see <see cref="NumberFolding"/>), merge like terms (2x + 3x = 5x), drop zero terms, sort;</item>
/// <item>products: flatten, fold numbers into one leading coefficient, 0 absorbs, merge powers of a
/// common base by adding exponents (x·x = x², x²·x³ = x⁵, x/x = 1), sort;</item>
/// <item>powers: x⁰ = 1, x¹ = x, 1ˣ = 1, numbers folded when the result is finite,
/// (xᵃ)ⁿ = x^(a·n) and (x·y)ⁿ = xⁿ·yⁿ for whole n, (√n)^(2k) = nᵏ for a number n, (eᵘ)ᶜ = e^(u·c), eˣ = exp(x);</item>
/// <item>calls: exact values only (sin 0 = 0, cos 0 = 1, log 1 = 0, log e = 1, √4 = 2, |−3| = 3, ...),
/// log(exp u) = u, exp(log u) = u, |abs u| = abs u; √u = u^½ unless u is a number (printed as sqrt(u)).</item>
/// </list>
/// Sums are never expanded: x·(y + 1) stays as it is. Like SymPy, x/x = 1 and (√x)² = x ignore the
/// points where the original is undefined or negative.
/// </summary>
internal static class Simplifier
{
    private static readonly Number Half = new(0.5);

    /// <summary>The canonical form of <paramref name="e"/>.</summary>
    public static Expr Simplify(Expr e) => e switch
    {
        Sum s => MakeSum(s.Terms.Select(Simplify)),
        Product p => MakeProduct(p.Factors.Select(Simplify)),
        Power p => MakePower(Simplify(p.Base), Simplify(p.Exponent)),
        FunctionCall f => MakeCall(f.Function, Simplify(f.Argument)),
        _ => e,
    };

    /// <summary>The simplified sum of simplified terms.</summary>
    public static Expr MakeSum(params IEnumerable<Expr> terms)
    {
        var constants = new List<double>();
        var coefficients = new Dictionary<Expr, List<double>>();
        var order = new List<Expr>();
        foreach (var term in Flatten<Sum>(terms, s => s.Terms))
        {
            if (term is Number n)
            {
                constants.Add(n.Value);
                continue;
            }
            var (c, rest) = SplitCoefficient(term);
            if (coefficients.TryGetValue(rest, out var list)) list.Add(c);
            else
            {
                coefficients[rest] = [c];
                order.Add(rest);
            }
        }
        double constant = NumberFolding.Sum(constants);
        var result = new List<Expr>(order.Count + 1);
        foreach (var rest in order)
        {
            double c = NumberFolding.Sum(coefficients[rest]);
            if (c != 0) result.Add(WithCoefficient(c, rest));
        }
        result.Sort(CanonicalOrder.Terms);
        if (constant != 0 || result.Count == 0) result.Add(new Number(constant));
        return result.Count == 1 ? result[0] : new Sum(result);
    }

    /// <summary>The simplified product of simplified factors.</summary>
    public static Expr MakeProduct(params IEnumerable<Expr> factors)
    {
        var numbers = new List<double>();
        var exponents = new Dictionary<Expr, List<Expr>>();
        var order = new List<Expr>();
        foreach (var factor in Flatten<Product>(factors, p => p.Factors))
        {
            if (factor is Number n)
            {
                numbers.Add(n.Value);
                continue;
            }
            var (b, e) = factor is Power p ? (p.Base, p.Exponent) : (factor, Number.One);
            if (exponents.TryGetValue(b, out var list)) list.Add(e);
            else
            {
                exponents[b] = [e];
                order.Add(b);
            }
        }
        double coefficient = NumberFolding.Product(numbers);
        if (coefficient == 0) return Number.Zero;

        var result = new List<Expr>(order.Count + 1);
        bool regroup = false;
        foreach (var b in order)
        {
            var list = exponents[b];
            var merged = list.Count == 1 ? (list[0] is Number { Value: 1 } ? b : new Power(b, list[0])) : MakePower(b, MakeSum(list));
            // A merged power may fold to a number, split into a product ((2x)^(1/2) · (2x)^(1/2) = 2x)
            // or change its base (e · e = exp(2)), which may then merge with another factor.
            if (merged is Number m) coefficient *= m.Value;
            else
            {
                regroup |= !(merged.Equals(b) || merged is Power mp && mp.Base.Equals(b));
                result.Add(merged);
            }
        }
        if (regroup) return MakeProduct([new Number(coefficient), .. result]);
        if (coefficient == 0) return Number.Zero;

        result.Sort(CanonicalOrder.Factors);
        if (coefficient != 1 || result.Count == 0) result.Insert(0, new Number(coefficient));
        return result.Count == 1 ? result[0] : new Product(result);
    }

    /// <summary>The simplified power of a simplified base and exponent.</summary>
    public static Expr MakePower(Expr b, Expr exponent)
    {
        if (b is Constant c && c == Constant.E) return MakeCall(MathFunction.Exp, exponent);
        if (b is Number { Value: 1 }) return Number.One;
        if (exponent is not Number n) return new Power(b, exponent);

        double p = n.Value;
        if (p == 0) return Number.One;
        if (p == 1) return b;
        switch (b)
        {
            case Number { Value: 0 } when p < 0:
                // 0 to any negative power is +inf: one canonical form for all of them.
                return p == -1 ? new Power(b, exponent) : new Power(b, Number.MinusOne);
            case Number bn:
                // 1/b correctly rounded, so that 3^-1 is the double nearest 1/3, as 1/3 is.
                double folded = p == -1 ? 1 / bn.Value : Math.Pow(bn.Value, p);
                return double.IsFinite(folded) ? new Number(folded) : new Power(b, exponent);
            case Power inner when n.IsInteger:
                return MakePower(inner.Base, MakeProduct(inner.Exponent, n));
            case Product product when n.IsInteger:
                return MakeProduct(product.Factors.Select(f => MakePower(f, n)));
            case FunctionCall { Function: MathFunction.Sqrt } sqrt when n.IsInteger && p % 2 == 0:
                return MakePower(sqrt.Argument, new Number(p / 2));
            case FunctionCall { Function: MathFunction.Exp } exp:
                return MakeCall(MathFunction.Exp, MakeProduct(exp.Argument, n));
            default:
                return new Power(b, exponent);
        }
    }

    /// <summary>The simplified call of a function on a simplified argument.</summary>
    public static Expr MakeCall(MathFunction f, Expr argument)
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
            case (MathFunction.Abs, FunctionCall { Function: MathFunction.Abs or MathFunction.Exp or MathFunction.Sqrt or MathFunction.Cosh or MathFunction.Sigmoid } inner):
                return inner;
            case (MathFunction.Abs, Power { Exponent: Number { Value: 0.5 } } root):
                return root;
            case (MathFunction.Sin, Constant c) when c == Constant.Pi:
                return Number.Zero;
            case (MathFunction.Cos, Constant c) when c == Constant.Pi:
                return Number.MinusOne;
            default:
                return new FunctionCall(f, argument);
        }
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
        _ => null,
    };

    /// <summary>A term as its numeric coefficient and the rest (1 and the term itself when it has no coefficient).</summary>
    internal static (double Coefficient, Expr Remainder) SplitCoefficient(Expr term) => term switch
    {
        Product { Factors: [Number c, var only] } => (c.Value, only),
        Product { Factors: [Number c, ..] } p => (c.Value, new Product(p.Factors.Skip(1))),
        _ => (1, term),
    };

    /// <summary>c·rest for a simplified rest without a coefficient.</summary>
    private static Expr WithCoefficient(double c, Expr rest) => c switch
    {
        1 => rest,
        _ when rest is Product p => new Product([new Number(c), .. p.Factors]),
        _ => new Product(new Number(c), rest),
    };

    private static IEnumerable<Expr> Flatten<T>(IEnumerable<Expr> items, Func<T, IReadOnlyList<Expr>> children) where T : Expr
    {
        foreach (var item in items)
        {
            if (item is T nested)
            {
                foreach (var inner in Flatten(children(nested), children)) yield return inner;
            }
            else yield return item;
        }
    }
}
