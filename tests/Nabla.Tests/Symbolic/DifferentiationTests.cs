using System.Diagnostics;
using System.Text.Json;
using Nabla.Calculus;
using Nabla.Symbolic;

namespace Nabla.Tests.Symbolic;

using Autograd = global::Nabla.Autograd;

/// <summary>
/// Symbolic derivatives against three independent answers at the random points of
/// Fixtures/sympy_derivatives.json (written by tools/fixtures/sympy_derivatives.py): SymPy's
/// derivative, a Ridders-extrapolated central difference, and reverse-mode autodiff through
/// Nabla's Float64 tensors (the same expression evaluated with tensor ops).
/// </summary>
public class DifferentiationTests
{
    // SymPy's values are correctly rounded; ours carry the rounding of a few dozen double operations.
    private const double SympyFirstOrder = 1e-12, SympySecondOrder = 1e-10;
    private const double Numeric = 1e-7;
    private const double Autodiff = 1e-10;

    private static readonly Lazy<List<Case>> s_cases = new(Load);

    public static TheoryData<string> CaseNames() => [.. s_cases.Value.Select(c => c.Name)];

    [Fact]
    public void Fixture_CoversTheRules()
    {
        var cases = s_cases.Value;
        Assert.True(cases.Count >= 40, $"{cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
        foreach (var f in Enum.GetValues<MathFunction>())
            Assert.Contains(cases, c => c.Expression.Contains(f.ToString().ToLowerInvariant() + "("));
        Assert.Contains(cases, c => c.Order == 2);
        Assert.Contains(cases, c => c.Wrt.Distinct().Count() == 2);
        Assert.Contains(cases, c => c.Wrt[0] != "x");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Derivative_MatchesSympy(string name)
    {
        var c = s_cases.Value.Single(c => c.Name == name);
        var d = Derive(c);
        double tolerance = c.Order == 1 ? SympyFirstOrder : SympySecondOrder;
        for (int i = 0; i < c.Points.Count; i++)
            AssertClose(c.Values[i], d.Evaluate(c.Points[i]), tolerance, $"{name} at {Describe(c.Points[i])}: SymPy {c.Sympy}, ours {d}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Derivative_MatchesRiddersCentralDifferences(string name)
    {
        // The last differentiation is checked numerically on our own derivative of one order less.
        var c = s_cases.Value.Single(c => c.Name == name);
        var d = Derive(c);
        var lower = Derive(c, c.Order - 1);
        string v = c.Wrt[^1];
        foreach (var point in c.Points)
        {
            var (numeric, error) = RiddersDerivative(lower, v, point);
            AssertClose(numeric, d.Evaluate(point), Numeric, $"{name} at {Describe(point)}: Ridders error estimate {error:G3}, ours {d}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Derivative_MatchesTensorAutodiff(string name)
    {
        var c = s_cases.Value.Single(c => c.Name == name);
        var e = Expr.Parse(c.Expression);
        var tensors = e.Variables.ToDictionary(v => v, v => Tensor.FromArray(c.Points.Select(p => p[v]).ToArray(), c.Points.Count).RequiresGradient());
        if (e.ToString().Contains("asin(") || e.ToString().Contains("acos(") || e.ToString().Contains("atan("))
        {
            // No tensor op for inverse trigonometry yet: the evaluation says so instead of guessing.
            Assert.Throws<NotSupportedException>(() => e.Evaluate(tensors));
            return;
        }
        // One evaluation over all points at once: the function is elementwise, so the gradient of the
        // sum is the derivative at each point; a second order differentiates that gradient again.
        var y = e.Evaluate(tensors);
        for (int k = 0; k < c.Order; k++)
            y = Autograd.Grad(y.Sum(), tensors[c.Wrt[k]], createGraph: k + 1 < c.Order);
        var autodiff = y.ToDoubleArray();
        var d = Derive(c);
        for (int i = 0; i < c.Points.Count; i++)
            AssertClose(autodiff[i], d.Evaluate(c.Points[i]), Autodiff, $"{name} at {Describe(c.Points[i])}: ours {d}");
    }

    [Theory]
    [InlineData("x^2", "x", 1, "2*x")]
    [InlineData("x^3", "x", 1, "3*x^2")]
    [InlineData("x^3", "x", 2, "6*x")]
    [InlineData("x^3", "x", 3, "6")]
    [InlineData("x^3", "x", 4, "0")]
    [InlineData("x + x", "x", 0, "2*x")]
    [InlineData("sin(x)", "x", 1, "cos(x)")]
    [InlineData("sin(x)", "x", 2, "-sin(x)")]
    [InlineData("exp(x)", "x", 1, "exp(x)")]
    [InlineData("e^x", "x", 1, "exp(x)")]
    [InlineData("exp(2*x)", "x", 1, "2*exp(2*x)")]
    [InlineData("log(x)", "x", 1, "1/x")]
    [InlineData("abs(x)", "x", 1, "x/abs(x)")]
    [InlineData("tan(x)", "x", 1, "1/cos(x)^2")]
    [InlineData("asin(x)", "x", 1, "1/sqrt(1 - x^2)")]
    [InlineData("acos(x)", "x", 1, "-1/sqrt(1 - x^2)")]
    [InlineData("atan(x)", "x", 1, "1/(x^2 + 1)")]
    [InlineData("sinh(x)", "x", 1, "cosh(x)")]
    [InlineData("cosh(x)", "x", 1, "sinh(x)")]
    [InlineData("2^x", "x", 1, "2^x*log(2)")]
    [InlineData("5", "x", 1, "0")]
    [InlineData("y", "x", 1, "0")]
    [InlineData("x*y + y^2", "y", 1, "x + 2*y")]
    [InlineData("sigmoid(w*x + b)", "b", 1, "sigmoid(w*x + b)*(1 - sigmoid(w*x + b))")]
    [InlineData("(x^2 + 1)/(x - 3)", "x", 1, "2*x/(x - 3) - (x^2 + 1)/(x - 3)^2")]
    [InlineData("x^x", "x", 1, "x^x*(log(x) + 1)")]
    [InlineData("sqrt(x)", "x", 1, "1/(2*sqrt(x))")]
    [InlineData("sqrt(x)", "x", 2, "-1/(4*x^1.5)")]
    [InlineData("x^(1/3)", "x", 1, "1/(3*x^(2/3))")]
    [InlineData("1/x", "x", 1, "-1/x^2")]
    [InlineData("x^2*sin(x)", "x", 1, "x^2*cos(x) + 2*x*sin(x)")]   // SymPy's order: higher degree first
    [InlineData("exp(-x^2/2)", "x", 1, "-x*exp(-x^2/2)")]
    [InlineData("sqrt(x^2 + 1)", "x", 1, "x/sqrt(x^2 + 1)")]
    [InlineData("asin(x)", "x", 2, "x/(1 - x^2)^1.5")]
    [InlineData("x^x", "x", 2, "x^x*(log(x) + 1)^2 + x^x/x")]   // SymPy: x**x*((log(x) + 1)**2 + 1/x)
    [InlineData("x^x", "x", 3, "x^x*(log(x) + 1)^3 + 3*x^x*(log(x) + 1)/x - x^x/x^2")]
    public void PrintedDerivatives(string text, string variable, int order, string expected)
    {
        var d = Expr.Parse(text).Differentiate(variable, order);
        Assert.Equal(expected, d.ToString());
        if (order > 0) AssertAgreesWithNumericAndAutodiff(Expr.Parse(text), variable, order, d);
    }

    // At x = 0.4 (and 0.7, 1.3, -0.6 for y, w, b), inside every printed case's domain: the
    // symbolic value against a Ridders difference of the derivative one order lower, and against
    // reverse-mode autodiff through tensors when every function has a tensor op.
    private static void AssertAgreesWithNumericAndAutodiff(Expr e, string variable, int order, Expr d)
    {
        var point = new Dictionary<string, double> { ["x"] = 0.4, ["y"] = 0.7, ["w"] = 1.3, ["b"] = -0.6 };
        var (numeric, error) = RiddersDerivative(e.Differentiate(variable, order - 1), variable, point);
        double symbolic = d.Evaluate(point);
        AssertClose(numeric, symbolic, Numeric, $"{e} by {variable}, order {order}: Ridders error estimate {error:G3}, ours {d}");

        string printed = e.ToString();
        if (!e.DependsOn(variable) || printed.Contains("asin(") || printed.Contains("acos(") || printed.Contains("atan(")) return;
        var tensors = e.Variables.ToDictionary(v => v, v => Tensor.FromArray([point[v]], 1).RequiresGradient());
        var y = e.Evaluate(tensors);
        for (int k = 0; k < order; k++)
        {
            if (!y.RequiresGrad) { y = Tensor.Zeros([1], DType.Float64); break; }   // the derivative became constant
            y = Autograd.Grad(y.Sum(), tensors[variable], createGraph: k + 1 < order);
        }
        AssertClose(y.ToDoubleArray()[0], symbolic, Autodiff, $"{e} by {variable}, order {order}: autodiff, ours {d}");
    }

    // The derivative at a kink is the average of the one-sided slopes (heaviside(0) = ½), the same
    // symbolically, by Taylor series (DerivativeAt) and as the mean of one-sided differences.
    [Theory]
    [InlineData("relu(x)", 0.0, 0.5)]                 // PyTorch's relu takes 0 here; its maximum takes ½ to each side
    [InlineData("max(x, 0)", 0.0, 0.5)]
    [InlineData("min(x, 0)", 0.0, 0.5)]
    [InlineData("max(x, 2*x)", 0.0, 1.5)]
    [InlineData("min(x^2, x)", 1.0, 1.5)]
    [InlineData("relu(x)*x", 0.0, 0.0)]
    public void Kinks_TakeTheAverageOfTheOneSidedSlopes(string text, double x, double expected)
    {
        var e = Expr.Parse(text);
        var at = new Dictionary<string, double> { ["x"] = x };
        double h = 1e-6;
        double right = (e.Evaluate(new Dictionary<string, double> { ["x"] = x + h }) - e.Evaluate(at)) / h;
        double left = (e.Evaluate(at) - e.Evaluate(new Dictionary<string, double> { ["x"] = x - h })) / h;
        Assert.Equal(expected, (left + right) / 2, 5);
        Assert.Equal(expected, e.Differentiate("x").Evaluate(at), 15);
        Assert.Equal(expected, e.DerivativeAt("x", 1, at), 15);
    }

    [Theory]
    [InlineData("relu(x)", "heaviside(x)", "0")]
    [InlineData("heaviside(x)*x^2", "2*x*heaviside(x)", "2*heaviside(x)")]   // the step's own derivative (an impulse at 0) is taken as 0
    [InlineData("max(x, y)", "heaviside(x - y)", "0")]
    public void PiecewiseFunctions_HaveStepDerivatives(string text, string first, string second)
    {
        var e = Expr.Parse(text);
        Assert.Equal(first, e.Differentiate("x").ToString());
        Assert.Equal(second, e.Differentiate("x", 2).ToString());
    }

    [Fact]
    public void Gradient_GivesEveryPartial()
    {
        var e = Expr.Parse("x^2*y + y");
        Assert.Equal(["2*x*y", "x^2 + 1"], e.Gradient("x", "y").Select(d => d.ToString()));
        Assert.Equal(["x^2 + 1", "2*x*y"], e.Gradient("y", "x").Select(d => d.ToString()));
        Assert.Equal(["2*x*y", "x^2 + 1"], e.Gradient().Select(d => d.ToString()));   // sorted variables
    }

    [Fact]
    public void MixedPartials_Commute()
    {
        var e = Expr.Parse("x^2*sin(x*y) + exp(x - y^2)");
        var xy = e.Differentiate("x").Differentiate("y");
        var yx = e.Differentiate("y").Differentiate("x");
        var at = new Dictionary<string, double> { ["x"] = 0.4, ["y"] = -1.2 };
        Assert.Equal(xy.Evaluate(at), yx.Evaluate(at), 1e-13);
    }

    [Fact]
    public void BadArguments_Throw()
    {
        var e = Expr.Parse("x");
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Differentiate("x", -1));
        var ex = Assert.Throws<ArgumentException>(() => e.Differentiate("1x"));
        Assert.Contains("'1x' is not a variable name", ex.Message);
        Assert.Throws<ArgumentNullException>(() => e.Differentiate(null!));
    }

    [Fact]
    public void HighOrders_StayCompact()
    {
        // Simplifying after each order keeps repeated differentiation from blowing up.
        var d6 = Expr.Parse("sin(x)*exp(x)").Differentiate("x", 6);
        Assert.Equal("-8*cos(x)*exp(x)", d6.ToString());   // 2^(n/2)·eˣ·sin(x + nπ/4)
        var d4 = Expr.Parse("sigmoid(x)").Differentiate("x", 4);
        Assert.True(d4.ToString().Length < 400, d4.ToString());
    }

    [Fact]
    public void XToTheX_AtOrder20_StaysAsSmallAsSympys()
    {
        // Its derivatives are sums of c·xˣ·(log x + 1)ⁱ/xʲ, a family closed under differentiation:
        // SymPy prints the 20th in 3510 characters. Merging xˣ/x into x^(x − 1) made ours 27 MB,
        // 76 s to compute. Now a fraction of a second; bounded far above.
        var clock = Stopwatch.StartNew();
        var d20 = Expr.Parse("x^x").Differentiate("x", 20);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.True(d20.ToString().Length < 5000, $"{d20.ToString().Length} characters");
        var reference = HighOrderDerivativeFixture.Named("x_to_x_order20");
        for (int i = 0; i < reference.Points.Count; i++)
            AssertClose(reference.Values[i], d20.Evaluate(reference.Points[i]), 1e-12, $"x^x at order 20, x = {reference.Points[i]["x"]:R}");
    }

    [Fact]
    public void MaxNodes_StopsAtTheOrderThatOutgrowsIt()
    {
        // Five nested sines: the 10th derivative has 97441 nodes written out, the 11th 161581.
        var e = Expr.Parse("sin(sin(sin(sin(sin(x)))))");
        Assert.Equal(97441, e.Differentiate("x", 10).TreeSize);
        Assert.Equal(e.Differentiate("x", 10), e.Differentiate("x", 10, maxNodes: 97441));

        var clock = Stopwatch.StartNew();
        var tooLarge = Assert.Throws<ExpressionTooLargeException>(() => e.Differentiate("x", 20, maxNodes: 100_000));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");   // about a second
        Assert.Equal(("x", 11, 100_000L), (tooLarge.Variable, tooLarge.Order, tooLarge.Limit));
        Assert.Equal("the derivative of order 11 with respect to x grows past 100000 nodes (the limit)", tooLarge.Message);

        var atTheLimit = Assert.Throws<ExpressionTooLargeException>(() => e.Differentiate("x", 10, maxNodes: 97440));
        Assert.Equal(10, atTheLimit.Order);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Differentiate("x", 1, maxNodes: 0));
    }

    [Fact]
    public void MaxNodes_BoundsTheWorkOfOneOrder()
    {
        // The product rule on 3000 distinct factors builds 3000 products of 3000 factors, nine
        // million links, before any result exists to measure; the limit on nodes built stops it early.
        var factors = string.Join("*", Enumerable.Range(1, 3000).Select(k => $"(x + {k})"));
        var clock = Stopwatch.StartNew();
        var tooLarge = Assert.Throws<ExpressionTooLargeException>(() => Expr.Parse(factors).Differentiate("x", 1, maxNodes: 100_000));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(1, tooLarge.Order);
    }

    [Fact]
    public void SharedSubexpressions_AreWorkedOnOnce()
    {
        // u ← u·u/2 + 1/4, forty times, each step reusing the same object: a graph of 160 nodes
        // whose tree has 2⁴⁰ leaves. Simplifying and differentiating visit each node once.
        Expr u = new Variable("x");
        for (int i = 0; i < 40; i++) u = u * u / 2 + 0.25;
        var clock = Stopwatch.StartNew();
        var du = u.Differentiate("x");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");   // milliseconds

        // The reference: the same recurrence on numbers, with its derivative by the chain rule.
        double x = 0.3, value = x, slope = 1;
        for (int i = 0; i < 40; i++) (value, slope) = (value * value / 2 + 0.25, value * slope);
        Assert.Equal(slope, du.Compile("x")(x), 1e-12);
        Assert.Equal(slope, u.DerivativeAt("x", 1, new Dictionary<string, double> { ["x"] = x }), 1e-12);
        Assert.Equal(value, u.Simplify().Compile("x")(x), 1e-12);
    }

    /// <summary>∂<paramref name="f"/>/∂<paramref name="v"/> at <paramref name="point"/> by Ridders' method, with its error estimate.</summary>
    private static (double Value, double Error) RiddersDerivative(Expr f, string v, IReadOnlyDictionary<string, double> point)
    {
        var at = new Dictionary<string, double>(point);
        double x0 = point[v];
        // The first step, 5% of |x| (at least 0.005), keeps x ± h inside every test function's domain.
        var (value, error) = NumericDiff.Derivative(t =>
        {
            at[v] = t;
            return f.Evaluate(at);
        }, x0, initialStep: 0.05 * Math.Max(Math.Abs(x0), 0.1));
        return (value, error);
    }

    private static Expr Derive(Case c, int? order = null)
    {
        var e = Expr.Parse(c.Expression);
        foreach (var v in c.Wrt.Take(order ?? c.Order)) e = e.Differentiate(v);
        return order == 0 ? e.Simplify() : e;
    }

    /// <summary>|expected − actual| within <paramref name="relative"/> of |expected| (of 10⁻³ when smaller).</summary>
    internal static void AssertClose(double expected, double actual, double relative, string what)
    {
        double error = Math.Abs(expected - actual);
        Assert.True(error <= relative * Math.Max(Math.Abs(expected), 1e-3),
            $"{what}: expected {expected:R}, got {actual:R} (relative error {error / Math.Abs(expected):G3})");
    }

    private static string Describe(IReadOnlyDictionary<string, double> point) =>
        string.Join(", ", point.Select(kv => $"{kv.Key} = {kv.Value:R}"));

    private sealed record Case(string Name, string Expression, string[] Wrt, int Order, string Sympy,
        List<Dictionary<string, double>> Points, double[] Values);

    private static List<Case> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "sympy_derivatives.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("name").GetString()!,
            c.GetProperty("expression").GetString()!,
            [.. c.GetProperty("wrt").EnumerateArray().Select(v => v.GetString()!)],
            c.GetProperty("order").GetInt32(),
            c.GetProperty("sympy").GetString()!,
            [.. c.GetProperty("points").EnumerateArray().Select(p => p.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetDouble()))],
            [.. c.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())]))];
    }
}
