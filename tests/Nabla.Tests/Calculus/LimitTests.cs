using System.Globalization;
using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// Numeric limits against SymPy's <c>limit</c> (Fixtures/numeric_derivatives.json): finite limits
/// with honest error estimates, infinite ones, sides that disagree, oscillation.
/// </summary>
public class LimitTests
{
    private const double Accuracy = 1e-10, Honesty = 5;

    public static TheoryData<string> LimitNames() => [.. CalculusFixture.Limits.Select(c => c.Name)];

    [Fact]
    public void Fixture_LambdasMatchSympysFunctions()
    {
        foreach (var c in CalculusFixture.Limits)
        {
            foreach (var (x, value) in c.Samples)
            {
                double y = CalculusFunctions.Limits[c.Name](x);
                Assert.True(Math.Abs(y - value) <= 1e-14 * Math.Max(1, Math.Abs(value)), $"{c.Name}({x}) = {c.Sympy}: SymPy {value:R}, lambda {y:R}");
            }
        }
        Assert.Contains(CalculusFixture.Limits, c => c.Answer.Kind == "oscillates");
        Assert.Contains(CalculusFixture.Limits, c => c.Answer.Kind == "does_not_exist");
        Assert.Contains(CalculusFixture.Limits, c => c.Answer.Kind == "zoo");
        Assert.Contains(CalculusFixture.Limits, c => c.At == "-oo");
    }

    [Theory]
    [MemberData(nameof(LimitNames))]
    public void Limit_MatchesSympy(string name)
    {
        var c = CalculusFixture.Limits.Single(c => c.Name == name);
        double at = c.At switch { "oo" => double.PositiveInfinity, "-oo" => double.NegativeInfinity, _ => double.Parse(c.At, CultureInfo.InvariantCulture) };
        // SymPy's direction at ±∞ is the only one there; ours is then TwoSided, the default.
        var side = double.IsInfinity(at) ? LimitSide.TwoSided : c.Direction switch { "+" => LimitSide.Right, "-" => LimitSide.Left, _ => LimitSide.TwoSided };
        var result = Limit.Of(CalculusFunctions.Limits[name], at, side);
        string what = $"lim {c.Sympy} as x → {c.At} ({c.Direction}): {result}";

        AssertMatches(c.Answer, result, what);
        if (c.Left is { } left && c.Right is { } right)
        {
            AssertSide(left, result.Left, what + ", left");
            AssertSide(right, result.Right, what + ", right");
        }
    }

    [Fact]
    public void Reasons_SayWhatHappened()
    {
        Assert.Equal("left limit -1 and right limit 1 differ", Limit.Of(x => Math.Abs(x) / x, 0).Reason);
        Assert.Equal("left limit −∞ and right limit +∞ differ", Limit.Of(x => 1 / x, 0).Reason);
        // relu(x)/x: 0 from the left, computed as −0.
        Assert.Equal("left limit 0 and right limit 1 differ", Limit.Of(x => Math.Max(x, 0) / x, 0).Reason);
        Assert.Equal("grows without bound (+∞) as x → 0 from both sides", Limit.Of(x => 1 / (x * x), 0).Reason);
        Assert.Equal("grows without bound (+∞) as x → 0⁺", Limit.Of(x => 1 / x, 0, LimitSide.Right).Reason);
        Assert.Equal("falls without bound (−∞) as x → 0⁻", Limit.Of(x => 1 / x, 0, LimitSide.Left).Reason);
        Assert.Equal("grows without bound (+∞) as x → +∞", Limit.Of(x => x, double.PositiveInfinity).Reason);
        Assert.StartsWith("converges to 1 as x → 0 (error estimate", Limit.Of(x => Math.Sin(x) / x, 0).Reason);
        Assert.StartsWith("no left limit: oscillates without settling as x → 0⁻ (values between -", Limit.Of(x => Math.Sin(1 / x), 0).Reason);
        Assert.StartsWith("oscillates without settling as x → +∞", Limit.Of(Math.Sin, double.PositiveInfinity).Reason);
    }

    [Fact]
    public void OneSidedLimits_FillOnlyTheirSide()
    {
        var right = Limit.Of(x => x * Math.Log(x), 0, LimitSide.Right);
        Assert.True(right.Exists, right.Reason);
        Assert.Null(right.Left);
        Assert.Equal(right.Value, right.Right);

        var left = Limit.Of(x => Math.Abs(x) / x, 0, LimitSide.Left);
        Assert.Equal(-1, left.Value);
        Assert.Equal(-1, left.Left);
        Assert.Null(left.Right);
    }

    [Fact]
    public void UndefinedSide_IsReportedNotGuessed()
    {
        var result = Limit.Of(Math.Sqrt, 0);
        Assert.Equal(LimitStatus.Undefined, result.Status);
        Assert.False(result.Exists);
        Assert.True(double.IsNaN(result.Value));
        Assert.Null(result.Left);
        Assert.True(result.Right is double r && Math.Abs(r) <= 1e-9, $"√x → 0 from the right, got {result.Right}");
        Assert.Equal("no left limit: f is NaN at every point tried as x → 0⁻", result.Reason);
    }

    [Fact]
    public void ThePointItself_IsNeverEvaluated()
    {
        foreach (double a in new[] { 0.0, 3.0, -1e5 })
        {
            var seen = new List<double>();
            var result = Limit.Of(x =>
            {
                seen.Add(x);
                return x == a ? double.NaN : (x * x - a * a) / (x - a);   // 0/0 at a; the limit is 2a
            }, a);
            Assert.DoesNotContain(a, seen);
            Assert.Equal(seen.Count, result.Evaluations);
            Assert.True(result.Exists, result.Reason);
            Assert.True(Math.Abs(result.Value - 2 * a) <= Accuracy * Math.Max(1, Math.Abs(2 * a)), $"at {a}: {result}");
        }
    }

    [Fact]
    public void LateTermsThatAgree_AreTheLimit()
    {
        // exp(−1/x²)/x¹⁰⁰ → 0: its terms fall from 3e62 and 1.7e9 to an exact 0 when both factors underflow,
        // then to NaN (0/0); it was called divergent, "the late ones lie between 0 and 0".
        Func<double, double> flat = x => Math.Exp(-1 / (x * x)) / Math.Pow(x, 100);
        var zero = Limit.Of(flat, 0);
        Assert.True(zero.Exists, zero.Reason);
        Assert.Equal(0, zero.Value);
        Assert.Equal(0, zero.Left);
        Assert.Equal(0, zero.Right);

        var one = Limit.Of(x => 1 + flat(x), 0, LimitSide.Right);
        Assert.True(one.Exists, one.Reason);
        Assert.Equal(1, one.Value);

        Assert.Equal(3, Limit.Of(_ => 3, 0).Value);
        Assert.Equal(-2.5, Limit.Of(_ => -2.5, double.NegativeInfinity).Value);
    }

    [Fact]
    public void ARunAwayAfterRoundOff_IsNotADivergence()
    {
        // (eˣ − 1 − x)/x² settles at 1/2, turns to noise and zeros as its numerator cancels, then falls as −1/x
        // once eˣ rounds to 1: the right side was called −∞. The same happens to (1 − cos x − x²/2)/x⁴ → −1/24.
        var taylor = Limit.Of(x => (Math.Exp(x) - 1 - x) / (x * x), 0);
        Assert.True(taylor.Exists, taylor.Reason);
        Assert.True(Math.Abs(taylor.Value - 0.5) <= Math.Min(1e-8, Honesty * taylor.Error), $"{taylor.Value:R} ± {taylor.Error:G3}");

        var quartic = Limit.Of(x => (1 - Math.Cos(x) - x * x / 2) / (x * x * x * x), 0);
        Assert.True(quartic.Exists, quartic.Reason);
        Assert.True(Math.Abs(quartic.Value + 1.0 / 24) <= Math.Min(1e-7, Honesty * quartic.Error), $"{quartic.Value:R} ± {quartic.Error:G3}");

        // A run-away that follows smoothly on the values before it is a divergence, however late it starts.
        Assert.Equal(LimitStatus.DivergesToPositiveInfinity, Limit.Of(x => 1 + 1e-30 / (x * x), 0).Status);
    }

    [Fact]
    public void ValuesThatDoNotSettle_LeaveTheLimitUndetermined_NotAbsent()
    {
        // 1/log|x| → 0 as x → 0, but only as 1/k over the terms 2⁻ᵏ: it was "no left limit".
        var r = Limit.Of(x => 1 / Math.Log(Math.Abs(x)), 0);
        Assert.Equal(LimitStatus.NotConverged, r.Status);
        Assert.False(r.Exists);
        Assert.StartsWith("the values do not settle as x → 0⁻ (the late ones lie between ", r.Reason);
    }

    [Fact]
    public void ExactZerosThatBreakWithTheTrend_AreNotTheLimit()
    {
        // (1 − cos x)/x² hovers at 1/2, then drops to an exact 0 once cos x rounds to 1.
        var r = Limit.Of(x => (1 - Math.Cos(x)) / (x * x), 0);
        Assert.True(r.Exists, r.Reason);
        Assert.True(Math.Abs(r.Value - 0.5) <= Accuracy, $"{r.Value:R}");
    }

    [Fact]
    public void BadArguments_HaveClearMessages()
    {
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => Limit.Of(null!, 0)).ParamName);

        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => Limit.Of(Math.Sin, double.NaN));
        Assert.Equal("at", nan.ParamName);
        Assert.Contains("the point must be a number or ±∞, got NaN", nan.Message);

        var right = Assert.Throws<ArgumentException>(() => Limit.Of(Math.Exp, double.PositiveInfinity, LimitSide.Right));
        Assert.Equal("side", right.ParamName);
        Assert.Contains("x → +∞ can only be approached from the left", right.Message);
        Assert.Contains("x → −∞ can only be approached from the right",
            Assert.Throws<ArgumentException>(() => Limit.Of(Math.Exp, double.NegativeInfinity, LimitSide.Left)).Message);

        Assert.Contains("side must be TwoSided, Left or Right, got 7",
            Assert.Throws<ArgumentOutOfRangeException>(() => Limit.Of(Math.Exp, 0, (LimitSide)7)).Message);
        Assert.Contains("tolerance must be between 0 and 1, got 0",
            Assert.Throws<ArgumentOutOfRangeException>(() => Limit.Of(Math.Exp, 0, tolerance: 0)).Message);
    }

    private static void AssertMatches(CalculusFixture.Answer answer, LimitResult result, string what)
    {
        switch (answer.Kind)
        {
            case "finite":
                Assert.True(result.Exists, what);
                Assert.Equal(LimitStatus.Converged, result.Status);
                double gap = Math.Abs(result.Value - answer.Value);
                Assert.True(gap <= Accuracy * Math.Max(1, Math.Abs(answer.Value)), $"{what}: SymPy {answer.Value:R}");
                Assert.True(gap <= Honesty * result.Error, $"{what}: the true error {gap:G3} exceeds {Honesty}× the estimate");
                break;
            case "+inf" or "-inf":
                AssertNoValue(result, what);
                Assert.Equal(answer.Kind == "+inf" ? LimitStatus.DivergesToPositiveInfinity : LimitStatus.DivergesToNegativeInfinity, result.Status);
                Assert.Contains(answer.Kind == "+inf" ? "grows without bound (+∞)" : "falls without bound (−∞)", result.Reason);
                break;
            case "zoo" or "does_not_exist":
                AssertNoValue(result, what);
                Assert.Equal(LimitStatus.SidesDisagree, result.Status);
                Assert.Matches("^left limit .* and right limit .* differ$", result.Reason);
                break;
            case "oscillates":
                AssertNoValue(result, what);
                Assert.Equal(LimitStatus.Oscillates, result.Status);
                Assert.Contains("oscillates without settling", result.Reason);
                break;
            default:
                Assert.Fail($"{what}: unknown answer kind {answer.Kind}");
                break;
        }
    }

    private static void AssertSide(CalculusFixture.Answer answer, double? side, string what)
    {
        switch (answer.Kind)
        {
            case "finite":
                Assert.True(side is double v && Math.Abs(v - answer.Value) <= Accuracy * Math.Max(1, Math.Abs(answer.Value)), $"{what}: SymPy {answer.Value:R}");
                break;
            case "+inf":
                Assert.Equal(double.PositiveInfinity, side);
                break;
            case "-inf":
                Assert.Equal(double.NegativeInfinity, side);
                break;
            default:
                Assert.Null(side);
                break;
        }
    }

    private static void AssertNoValue(LimitResult result, string what)
    {
        Assert.False(result.Exists, what);
        Assert.True(double.IsNaN(result.Value), $"{what}: a limit that does not exist must have no value");
        Assert.True(double.IsNaN(result.Error), what);
    }
}
