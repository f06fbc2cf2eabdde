using static Nabla.Symbolic.Simplifier;

namespace Nabla.Symbolic;

/// <summary>
/// Symbolic differentiation by the rules: sum, product (n factors at once, which covers the
/// quotient rule since a/b = a·b⁻¹), chain, power with a constant exponent
/// (d uⁿ = n·uⁿ⁻¹·du), exponential with a constant base (d aᵘ = aᵘ·ln a·du) and the general
/// power d fᵍ = fᵍ·(g′·ln f + g·f′/f), from fᵍ = e^(g ln f). Every result is simplified.
/// </summary>
/// <remarks>
/// The derivatives of the functions, in terms of their argument u:
/// sin′ = cos u; cos′ = −sin u; tan′ = 1/cos²u; exp′ = eᵘ; log′ = 1/u; sqrt′ = 1/(2√u);
/// abs′ = u/|u| (undefined at 0, like the function's kink); tanh′ = 1 − tanh²u;
/// sigmoid′ = σ(u)(1 − σ(u)); asin′ = 1/√(1 − u²); acos′ = −1/√(1 − u²); atan′ = 1/(1 + u²);
/// sinh′ = cosh u; cosh′ = sinh u.
/// </remarks>
internal static class Differentiator
{
    /// <summary>
    /// The derivative of <paramref name="expr"/> with respect to <paramref name="variable"/>, taken
    /// <paramref name="order"/> times; other variables are held constant (a partial derivative).
    /// </summary>
    /// <param name="expr">The expression.</param>
    /// <param name="variable">The variable to differentiate by.</param>
    /// <param name="order">How many times to differentiate; 0 returns the simplified expression.</param>
    /// <returns>The simplified derivative.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expr"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="variable"/> is not an identifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> is negative.</exception>
    public static Expr Differentiate(Expr expr, string variable, int order = 1)
    {
        ArgumentNullException.ThrowIfNull(expr);
        CheckVariable(variable);
        ArgumentOutOfRangeException.ThrowIfNegative(order);
        var result = Simplify(expr);
        for (int i = 0; i < order; i++) result = D(result, variable);
        return result;
    }

    /// <summary>The partial derivatives of <paramref name="expr"/> with respect to each of <paramref name="variables"/>, in that order.</summary>
    /// <param name="expr">The expression.</param>
    /// <param name="variables">The variables; when empty, the expression's own <see cref="Expr.Variables"/>.</param>
    /// <returns>One simplified partial derivative per variable.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expr"/> or <paramref name="variables"/> is null.</exception>
    /// <exception cref="ArgumentException">A name is not an identifier.</exception>
    public static IReadOnlyList<Expr> Gradient(Expr expr, params IReadOnlyList<string> variables)
    {
        ArgumentNullException.ThrowIfNull(expr);
        ArgumentNullException.ThrowIfNull(variables);
        if (variables.Count == 0) variables = expr.Variables;
        foreach (var v in variables) CheckVariable(v);
        var simplified = Simplify(expr);
        return [.. variables.Select(v => D(simplified, v))];
    }

    private static void CheckVariable(string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (!Variable.IsIdentifier(variable))
            throw new ArgumentException($"'{variable}' is not a variable name: use a letter or '_', then letters, digits or '_'.", nameof(variable));
    }

    /// <summary>d<paramref name="e"/>/d<paramref name="x"/> for a simplified <paramref name="e"/>; the result is simplified.</summary>
    private static Expr D(Expr e, string x)
    {
        if (!e.DependsOn(x)) return Number.Zero;
        switch (e)
        {
            case Variable:
                return Number.One;

            case Sum s:
                return MakeSum(s.Terms.Select(t => D(t, x)));

            case Product p:
            {
                // Σᵢ f₁ ⋯ fᵢ′ ⋯ fₙ, skipping the factors that do not depend on x.
                var terms = new List<Expr>();
                var factors = p.Factors;
                for (int i = 0; i < factors.Count; i++)
                {
                    if (!factors[i].DependsOn(x)) continue;
                    var term = new Expr[factors.Count];
                    for (int j = 0; j < factors.Count; j++) term[j] = j == i ? D(factors[j], x) : factors[j];
                    terms.Add(MakeProduct(term));
                }
                return MakeSum(terms);
            }

            case Power { Base: var f, Exponent: var g }:
                if (!g.DependsOn(x)) // g·f^(g−1)·f′
                    return MakeProduct(g, MakePower(f, MakeSum(g, Number.MinusOne)), D(f, x));
                if (!f.DependsOn(x)) // f^g·ln f·g′
                    return MakeProduct(e, MakeCall(MathFunction.Log, f), D(g, x));
                // f^g·(g′·ln f + g·f′/f)
                return MakeProduct(e, MakeSum(
                    MakeProduct(D(g, x), MakeCall(MathFunction.Log, f)),
                    MakeProduct(g, D(f, x), MakePower(f, Number.MinusOne))));

            case FunctionCall call:
                return MakeProduct(Outer(call), D(call.Argument, x));

            default:
                throw new InvalidOperationException($"No derivative rule for {e.GetType().Name}.");
        }
    }

    /// <summary>The derivative of the called function, at its argument: f′(u) for f(u).</summary>
    private static Expr Outer(FunctionCall call)
    {
        var u = call.Argument;
        return call.Function switch
        {
            MathFunction.Sin => MakeCall(MathFunction.Cos, u),
            MathFunction.Cos => MakeProduct(Number.MinusOne, MakeCall(MathFunction.Sin, u)),
            MathFunction.Tan => MakePower(MakeCall(MathFunction.Cos, u), new Number(-2)),
            MathFunction.Exp => call,
            MathFunction.Log => MakePower(u, Number.MinusOne),
            MathFunction.Sqrt => MakeProduct(new Number(0.5), MakePower(call, Number.MinusOne)),
            MathFunction.Abs => MakeProduct(u, MakePower(call, Number.MinusOne)),
            MathFunction.Tanh => MakeSum(Number.One, MakeProduct(Number.MinusOne, MakePower(call, new Number(2)))),
            MathFunction.Sigmoid => MakeProduct(call, MakeSum(Number.One, MakeProduct(Number.MinusOne, call))),
            MathFunction.Asin => MakePower(MakeCall(MathFunction.Sqrt, OneMinusSquare(u)), Number.MinusOne),
            MathFunction.Acos => MakeProduct(Number.MinusOne, MakePower(MakeCall(MathFunction.Sqrt, OneMinusSquare(u)), Number.MinusOne)),
            MathFunction.Atan => MakePower(MakeSum(Number.One, MakePower(u, new Number(2))), Number.MinusOne),
            MathFunction.Sinh => MakeCall(MathFunction.Cosh, u),
            MathFunction.Cosh => MakeCall(MathFunction.Sinh, u),
            _ => throw new InvalidOperationException($"No derivative rule for {call.Function}."),
        };
    }

    private static Expr OneMinusSquare(Expr u) => MakeSum(Number.One, MakeProduct(Number.MinusOne, MakePower(u, new Number(2))));
}
