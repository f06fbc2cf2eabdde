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
/// sinh′ = cosh u; cosh′ = sinh u; relu′ = heaviside(u); softplus′ = σ(u); log1p′ = 1/(1 + u);
/// erf′ = (2/√π)·e^(−u²); heaviside′ = 0 (its impulse at 0 is left out);
/// d max(a, b) = heaviside(a − b)·a′ + heaviside(b − a)·b′ and d min(a, b) = heaviside(b − a)·a′ + heaviside(a − b)·b′.
/// At a kink the derivative is the average of the slopes on either side, from heaviside(0) = ½:
/// relu′(0) = ½ (PyTorch's relu takes 0 there) and d max(a, b) = (a′ + b′)/2 where a = b (as PyTorch's maximum),
/// so that max(x, x) = x keeps its derivative 1.
/// <para>
/// Each distinct node is differentiated once and its derivative remembered, across orders too, and
/// the results are built by one <see cref="Simplifier"/>, which shares equal subexpressions: the
/// work follows the size of the expression as a graph, not the (often exponentially larger) size
/// of its printed form.
/// </para>
/// </remarks>
internal sealed class Differentiator
{
    /// <summary>
    /// How many nodes (counted with their children) building one order may create, in multiples of
    /// the node limit: the result has at most that many, and the terms that merge or cancel on the
    /// way have stayed under half as many again in every case measured (x^x, nested sines, general
    /// powers, abs, at orders up to 20).
    /// </summary>
    private const long BuildAllowance = 4;

    private readonly Simplifier _simplifier;
    private readonly string _variable;
    private readonly long _maxNodes;
    private readonly Dictionary<Expr, Expr> _derivatives = [];
    private int _order;
    private long _buildLimit = long.MaxValue;

    private Differentiator(Simplifier simplifier, string variable, long maxNodes)
    {
        _simplifier = simplifier;
        _variable = variable;
        _maxNodes = maxNodes;
    }

    /// <summary>
    /// The derivative of <paramref name="expr"/> with respect to <paramref name="variable"/>, taken
    /// <paramref name="order"/> times; other variables are held constant (a partial derivative).
    /// </summary>
    /// <param name="expr">The expression.</param>
    /// <param name="variable">The variable to differentiate by.</param>
    /// <param name="order">How many times to differentiate; 0 returns the simplified expression.</param>
    /// <param name="maxNodes">The most nodes the derivative of each order may have written out
    /// (building one order may create <see cref="BuildAllowance"/> times as many distinct nodes,
    /// counted with their children); <see cref="long.MaxValue"/> for no limit.</param>
    /// <returns>The simplified derivative.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expr"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="variable"/> is not an identifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> is negative or <paramref name="maxNodes"/> is below 1.</exception>
    /// <exception cref="ExpressionTooLargeException">The derivative of some order grew past <paramref name="maxNodes"/>.</exception>
    public static Expr Differentiate(Expr expr, string variable, int order, long maxNodes)
    {
        ArgumentNullException.ThrowIfNull(expr);
        CheckVariable(variable);
        ArgumentOutOfRangeException.ThrowIfNegative(order);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNodes, 1);
        var simplifier = new Simplifier();
        var differentiator = new Differentiator(simplifier, variable, maxNodes);
        var result = simplifier.Simplify(expr);
        for (int k = 1; k <= order; k++) result = differentiator.NextOrder(result, k);
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
        var simplifier = new Simplifier();
        var simplified = simplifier.Simplify(expr);
        return [.. variables.Select(v => new Differentiator(simplifier, v, long.MaxValue).NextOrder(simplified, 1))];
    }

    /// <summary>Throws unless <paramref name="variable"/> can be differentiated by: an identifier.</summary>
    internal static void CheckVariable(string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (!Variable.IsIdentifier(variable))
            throw new ArgumentException($"'{variable}' is not a variable name: use a letter or '_', then letters, digits or '_'.", nameof(variable));
    }

    /// <summary>The derivative of <paramref name="e"/>, the derivative of order <paramref name="order"/> − 1, within the node limit.</summary>
    private Expr NextOrder(Expr e, int order)
    {
        _order = order;
        long built = _simplifier.BuiltSize;
        _buildLimit = _maxNodes > (long.MaxValue - built) / BuildAllowance ? long.MaxValue : built + BuildAllowance * _maxNodes;
        var d = D(e);
        if (d.TreeSize > _maxNodes) throw TooLarge();
        return d;
    }

    // Checked before each node is differentiated and after each term of the product rule, so that
    // the work between two checks is one node's worth, and a derivative that outgrows the limit
    // is abandoned soon after it does.
    private void CheckGrowth()
    {
        if (_simplifier.BuiltSize > _buildLimit) throw TooLarge();
    }

    private ExpressionTooLargeException TooLarge() => new(_variable, _order, _maxNodes);

    /// <summary>d<paramref name="e"/>/dx for a simplified <paramref name="e"/>; the result is simplified.</summary>
    private Expr D(Expr e)
    {
        if (!e.DependsOn(_variable)) return Number.Zero;
        if (_derivatives.TryGetValue(e, out var known)) return known;
        CheckGrowth();
        var d = Rule(e);
        _derivatives[e] = d;
        return d;
    }

    private Expr Rule(Expr e)
    {
        var s = _simplifier;
        switch (e)
        {
            case Variable:
                return Number.One;

            case Sum sum:
                return s.MakeSum(sum.Terms.Select(D));

            case Product p:
            {
                // Σᵢ f₁ ⋯ fᵢ′ ⋯ fₙ, skipping the factors that do not depend on x.
                var terms = new List<Expr>();
                var factors = p.Factors;
                for (int i = 0; i < factors.Count; i++)
                {
                    if (!factors[i].DependsOn(_variable)) continue;
                    var term = new Expr[factors.Count];
                    for (int j = 0; j < factors.Count; j++) term[j] = j == i ? D(factors[j]) : factors[j];
                    terms.Add(s.MakeProduct(term));
                    CheckGrowth();
                }
                return s.MakeSum(terms);
            }

            case Power { Base: var f, Exponent: var g }:
                if (!g.DependsOn(_variable)) // g·f^(g−1)·f′
                    return s.MakeProduct(g, s.MakePower(f, s.MakeSum(g, Number.MinusOne)), D(f));
                if (!f.DependsOn(_variable)) // f^g·ln f·g′
                    return s.MakeProduct(e, s.MakeCall(MathFunction.Log, f), D(g));
                // f^g·(g′·ln f + g·f′/f)
                return s.MakeProduct(e, s.MakeSum(
                    s.MakeProduct(D(g), s.MakeCall(MathFunction.Log, f)),
                    s.MakeProduct(g, D(f), s.MakePower(f, Number.MinusOne))));

            case FunctionCall { Function: MathFunction.Max or MathFunction.Min, Arguments: [var a, var b] } call:
            {
                // The step picks the argument that is chosen: a for max where a > b, for min where a < b.
                var aMinusB = s.MakeSum(a, s.MakeProduct(Number.MinusOne, b));
                var bMinusA = s.MakeSum(b, s.MakeProduct(Number.MinusOne, a));
                bool max = call.Function == MathFunction.Max;
                return s.MakeSum(
                    s.MakeProduct(s.MakeCall(MathFunction.Heaviside, max ? aMinusB : bMinusA), D(a)),
                    s.MakeProduct(s.MakeCall(MathFunction.Heaviside, max ? bMinusA : aMinusB), D(b)));
            }

            case FunctionCall call:
                return s.MakeProduct(Outer(call), D(call.Argument));

            default:
                throw new InvalidOperationException($"No derivative rule for {e.GetType().Name}.");
        }
    }

    /// <summary>The derivative of the called function, at its argument: f′(u) for f(u).</summary>
    private Expr Outer(FunctionCall call)
    {
        var u = call.Argument;
        var s = _simplifier;
        return call.Function switch
        {
            MathFunction.Sin => s.MakeCall(MathFunction.Cos, u),
            MathFunction.Cos => s.MakeProduct(Number.MinusOne, s.MakeCall(MathFunction.Sin, u)),
            MathFunction.Tan => s.MakePower(s.MakeCall(MathFunction.Cos, u), new Number(-2)),
            MathFunction.Exp => call,
            MathFunction.Log => s.MakePower(u, Number.MinusOne),
            MathFunction.Sqrt => s.MakeProduct(new Number(0.5), s.MakePower(call, Number.MinusOne)),
            MathFunction.Abs => s.MakeProduct(u, s.MakePower(call, Number.MinusOne)),
            MathFunction.Tanh => s.MakeSum(Number.One, s.MakeProduct(Number.MinusOne, s.MakePower(call, new Number(2)))),
            MathFunction.Sigmoid => s.MakeProduct(call, s.MakeSum(Number.One, s.MakeProduct(Number.MinusOne, call))),
            MathFunction.Asin => s.MakePower(s.MakeCall(MathFunction.Sqrt, OneMinusSquare(u)), Number.MinusOne),
            MathFunction.Acos => s.MakeProduct(Number.MinusOne, s.MakePower(s.MakeCall(MathFunction.Sqrt, OneMinusSquare(u)), Number.MinusOne)),
            MathFunction.Atan => s.MakePower(s.MakeSum(Number.One, s.MakePower(u, new Number(2))), Number.MinusOne),
            MathFunction.Sinh => s.MakeCall(MathFunction.Cosh, u),
            MathFunction.Cosh => s.MakeCall(MathFunction.Sinh, u),
            MathFunction.Relu => s.MakeCall(MathFunction.Heaviside, u),
            MathFunction.Softplus => s.MakeCall(MathFunction.Sigmoid, u),
            MathFunction.Log1p => s.MakePower(s.MakeSum(Number.One, u), Number.MinusOne),
            // 2·π^(−½)·e^(−u²): π stays a constant, so the result prints as 2*exp(-x^2)/sqrt(pi).
            MathFunction.Erf => s.MakeProduct(new Number(2), s.MakePower(Constant.Pi, new Number(-0.5)),
                s.MakeCall(MathFunction.Exp, s.MakeProduct(Number.MinusOne, s.MakePower(u, new Number(2))))),
            MathFunction.Heaviside => Number.Zero,
            _ => throw new InvalidOperationException($"No derivative rule for {call.Function}."),
        };
    }

    private Expr OneMinusSquare(Expr u) =>
        _simplifier.MakeSum(Number.One, _simplifier.MakeProduct(Number.MinusOne, _simplifier.MakePower(u, new Number(2))));
}
