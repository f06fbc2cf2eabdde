using System.Diagnostics;
using System.Text.Json;
using Nabla.Symbolic;
using static Nabla.Tests.Symbolic.DifferentiationTests;

namespace Nabla.Tests.Symbolic;

/// <summary>
/// <see cref="Expr.DerivativeAt"/>: derivatives up to order 20 at a point from Taylor series,
/// against SymPy's symbolic derivatives and mpmath's high-precision numerical ones
/// (<see cref="HighOrderDerivativeFixture"/>),
/// against our own symbolic derivatives at the points of Fixtures/sympy_derivatives.json, and
/// against closed forms.
/// </summary>
public class TaylorEvaluatorTests
{
    // The references are correctly rounded; ours carry the rounding of O(order²) operations per
    // node (at most 6e-14 here, for x^x at order 20).
    private const double Reference = 1e-12;

    public static TheoryData<string> CaseNames() => [.. HighOrderDerivativeFixture.Cases.Select(c => c.Name)];

    [Fact]
    public void Fixture_CoversEveryFunctionAndTheHighOrders()
    {
        var cases = HighOrderDerivativeFixture.Cases;
        foreach (var f in Enum.GetValues<MathFunction>())
            Assert.Contains(cases, c => c.Expression.Contains(f.ToString().ToLowerInvariant() + "("));
        Assert.Contains(cases, c => c.Order == 20 && c.Expression == "x^x");
        Assert.Contains(cases, c => c.Order == 5 && c.Method == "mpmath");
        Assert.Contains(cases, c => c.Variable != "x");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void DerivativeAt_MatchesTheReference(string name)
    {
        var c = HighOrderDerivativeFixture.Named(name);
        var e = Expr.Parse(c.Expression);
        for (int i = 0; i < c.Points.Count; i++)
            AssertClose(c.Values[i], e.DerivativeAt(c.Variable, c.Order, c.Points[i]), Reference, $"{name} ({c.Method}) at {c.Variable} = {c.Points[i][c.Variable]:R}");
    }

    [Fact]
    public void DerivativeAt_OfDeepNesting_IsQuick()
    {
        // 150 nested sines at order 20: the symbolic derivative would have astronomically many
        // nodes; the series take 150 nodes × 21² operations. About a millisecond; bounded far above.
        var c = HighOrderDerivativeFixture.Named("nested_sin150_order20");
        var e = Expr.Parse(c.Expression);
        var clock = Stopwatch.StartNew();
        double value = e.DerivativeAt("x", 20, c.Points[0]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        AssertClose(c.Values[0], value, Reference, "nested_sin150_order20");
    }

    [Fact]
    public void DerivativeAt_AgreesWithTheSymbolicDerivative()
    {
        // Every single-variable case of the first- and second-order fixture, evaluated both ways.
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "sympy_derivatives.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        int compared = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var wrt = c.GetProperty("wrt").EnumerateArray().Select(v => v.GetString()!).ToArray();
            if (wrt.Distinct().Count() > 1) continue;
            var e = Expr.Parse(c.GetProperty("expression").GetString()!);
            var derivative = e.Differentiate(wrt[0], wrt.Length);
            foreach (var p in c.GetProperty("points").EnumerateArray())
            {
                var point = p.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetDouble());
                AssertClose(derivative.Evaluate(point), e.DerivativeAt(wrt[0], wrt.Length, point), 1e-12, $"{e} by {wrt[0]}, order {wrt.Length}");
                compared++;
            }
        }
        Assert.True(compared >= 200, $"{compared} comparisons");
    }

    [Theory]
    [InlineData("x^2*sin(x) + exp(x)/x", 0.7)]
    [InlineData("sigmoid(x)^x", 1.3)]
    [InlineData("abs(x - 2)*atan(x)", -0.4)]
    public void OrderZero_IsExactlyTheValue(string text, double x)
    {
        var e = Expr.Parse(text);
        var point = new Dictionary<string, double> { ["x"] = x };
        Assert.Equal(e.Simplify().Evaluate(point), e.DerivativeAt("x", 0, point));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20)]
    public void ClosedForms(int k)
    {
        var at = new Dictionary<string, double> { ["x"] = 1.7, ["y"] = -0.6 };
        double factorial = Enumerable.Range(1, k).Aggregate(1.0, (f, i) => f * i);
        // dᵏ/dxᵏ e^(2x) = 2ᵏ e^(2x)
        AssertClose(Math.Pow(2, k) * Math.Exp(3.4), Expr.Parse("exp(2*x)").DerivativeAt("x", k, at), 1e-13, "exp(2x)");
        // dᵏ/dxᵏ 1/x = (−1)ᵏ k!/x^(k+1)
        AssertClose((k % 2 == 0 ? 1 : -1) * factorial / Math.Pow(1.7, k + 1), Expr.Parse("1/x").DerivativeAt("x", k, at), 1e-13, "1/x");
        // dᵏ/dxᵏ sin(x) = sin(x + kπ/2)
        AssertClose(Math.Sin(1.7 + k * Math.PI / 2), Expr.Parse("sin(x)").DerivativeAt("x", k, at), 1e-13, "sin(x)");
        // dᵏ/dyᵏ x·e^(xy) = x^(k+1) e^(xy), x held at 1.7
        AssertClose(Math.Pow(1.7, k + 1) * Math.Exp(1.7 * -0.6), Expr.Parse("x*exp(x*y)").DerivativeAt("y", k, at), 1e-13, "x*exp(x*y) by y");
    }

    [Fact]
    public void WholePowers_AreExactAtZero()
    {
        // Repeated squaring, not the recurrence that divides by the value: x⁵ at 0 has derivatives
        // 0, 0, 0, 0, 120, 0 (and the recurrence would give 0/0).
        var zero = new Dictionary<string, double> { ["x"] = 0 };
        var e = Expr.Parse("x^5");
        Assert.Equal([0.0, 0, 0, 0, 0, 120, 0], Enumerable.Range(0, 7).Select(k => e.DerivativeAt("x", k, zero)));
        var one = new Dictionary<string, double> { ["x"] = 1 };
        Assert.Equal([0.0, 0, 0, 6, 0], Enumerable.Range(0, 5).Select(k => Expr.Parse("(x - 1)^3").DerivativeAt("x", k, one)));
    }

    [Fact]
    public void Kinks_HaveNoDerivative()
    {
        var zero = new Dictionary<string, double> { ["x"] = 0 };
        Assert.Equal(0.0, Expr.Parse("abs(x)").DerivativeAt("x", 0, zero));
        Assert.True(double.IsNaN(Expr.Parse("abs(x)").DerivativeAt("x", 1, zero)));
        Assert.Equal(0.0, Expr.Parse("abs(y)*x").DerivativeAt("x", 2, new Dictionary<string, double> { ["x"] = 0, ["y"] = 0 }));
        Assert.False(double.IsFinite(Expr.Parse("sqrt(x)").DerivativeAt("x", 1, zero)));
    }

    [Fact]
    public void BadArguments_Throw()
    {
        var e = Expr.Parse("x*y");
        var unbound = Assert.Throws<ArgumentException>(() => e.DerivativeAt("x", 2, new Dictionary<string, double> { ["x"] = 1 }));
        Assert.Contains("variable 'y' has no value (bound: x)", unbound.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.DerivativeAt("x", -1, new Dictionary<string, double> { ["x"] = 1, ["y"] = 2 }));
        Assert.Contains("'1x' is not a variable name", Assert.Throws<ArgumentException>(() => e.DerivativeAt("1x", 1, new Dictionary<string, double>())).Message);
        Assert.Throws<ArgumentNullException>(() => e.DerivativeAt("x", 1, null!));
    }
}
