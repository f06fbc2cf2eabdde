using System.Globalization;
using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// <see cref="Integrate.Adaptive"/> against Fixtures/scipy_quad.json (tools/fixtures/scipy_quad.py):
/// SymPy's exact value, and SciPy's quad (QUADPACK) run at the same tolerances: as accurate, an
/// error estimate that covers the true error, and no more evaluations.
/// </summary>
public class AdaptiveTests
{
    // The integrals the method must handle at least as well as SciPy's quad.
    private static readonly string[] Required =
        ["log_0_1", "inverse_sqrt_0_1", "gaussian_real_line", "x2_exp_half_line", "cos_50x_0_1", "abs_kink_0_1"];

    public static TheoryData<string> ConvergentCases() => [.. QuadratureCases.All.Where(c => c.ScipyConverged).Select(c => c.Name)];

    public static TheoryData<string> DivergentCases() => [.. QuadratureCases.All.Where(c => !c.ScipyConverged).Select(c => c.Name)];

    [Fact]
    public void Fixture_HasTheRequiredIntegralsAndAnIntegrandForEachCase()
    {
        var names = QuadratureCases.All.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(Required, name => Assert.Contains(name, names));
        Assert.Equal(names.Order(), QuadratureCases.Integrands.Keys.Order());
        Assert.All(Required, name => Assert.True(QuadratureCases.Get(name).ScipyConverged, name));
        Assert.Contains(QuadratureCases.All, c => double.IsNegativeInfinity(c.A) && double.IsPositiveInfinity(c.B));
        Assert.Contains(QuadratureCases.All, c => double.IsFinite(c.A) && double.IsPositiveInfinity(c.B));
        Assert.Contains(QuadratureCases.All, c => double.IsNegativeInfinity(c.A) && double.IsFinite(c.B));
    }

    [Theory]
    [MemberData(nameof(ConvergentCases))]
    public void Adaptive_MeetsTheToleranceAgainstTheExactValue(string name)
    {
        var c = QuadratureCases.Get(name);
        var r = Run(c);

        Assert.True(r.Converged, $"{name}: {r.Message}");
        Assert.Null(r.Message);
        double tolerance = Math.Max(c.AbsoluteTolerance, c.RelativeTolerance * Math.Abs(c.Exact));
        Assert.True(Math.Abs(r.Value - c.Exact) <= tolerance, $"{name}: {r.Value:R}, exact {c.Exact:R}");
        Assert.True(r.ErrorEstimate <= Math.Max(c.AbsoluteTolerance, c.RelativeTolerance * Math.Abs(r.Value)), $"{name}: estimate {r.ErrorEstimate}");
    }

    [Theory]
    [MemberData(nameof(ConvergentCases))]
    public void Adaptive_ErrorEstimateCoversTheTrueError(string name)
    {
        var c = QuadratureCases.Get(name);
        var r = Run(c);
        // A few ulps of slack: the exact value is itself rounded to double, and so is every sum.
        double trueError = Math.Abs(r.Value - c.Exact);
        double ulp = Math.BitIncrement(Math.Abs(c.Exact)) - Math.Abs(c.Exact);
        Assert.True(r.ErrorEstimate + 4 * ulp >= trueError,
            $"{name}: estimate {r.ErrorEstimate:G3} < true error {trueError:G3}");
    }

    [Theory]
    [MemberData(nameof(ConvergentCases))]
    public void Adaptive_NeedsNoMoreEvaluationsThanScipy(string name)
    {
        var c = QuadratureCases.Get(name);
        var r = Run(c);
        Assert.True(r.Evaluations <= c.ScipyEvaluations, $"{name}: {r.Evaluations} evaluations, SciPy {c.ScipyEvaluations}");
        Assert.True(r.Intervals >= 1);
    }

    [Theory]
    [MemberData(nameof(ConvergentCases))]
    public void Adaptive_AgreesWithScipysQuadpack(string name)
    {
        // The same algorithm on the same points: the same value up to the rounding of the integrand.
        var c = QuadratureCases.Get(name);
        var r = Run(c);
        Assert.True(Math.Abs(r.Value - c.ScipyValue) <= 1e-13 * Math.Abs(c.Exact), $"{name}: {r.Value:R}, SciPy {c.ScipyValue:R}");
    }

    [Theory]
    [MemberData(nameof(DivergentCases))]
    public void Adaptive_ReportsWhatScipyReportsAsDivergent(string name)
    {
        var c = QuadratureCases.Get(name);
        var r = Run(c);
        Assert.False(r.Converged);
        Assert.Contains("probably divergent", r.Message);
        // The quadrature's budget, and as much again for the convergence check.
        Assert.True(r.Evaluations <= 2 * Integrate.DefaultMaxEvaluations);

        // With SciPy's own budget (its 50 subintervals) it stops where SciPy stops, at SciPy's value.
        var same = Integrate.Adaptive(c.F, c.A, c.B, c.RelativeTolerance, c.AbsoluteTolerance, maxEvaluations: c.ScipyEvaluations);
        Assert.False(same.Converged);
        Assert.InRange(same.Evaluations, c.ScipyEvaluations, 2 * c.ScipyEvaluations);
        Assert.True(Math.Abs(same.Value - c.ScipyValue) <= 1e-12 * Math.Abs(c.ScipyValue), $"{same.Value:R}, SciPy {c.ScipyValue:R}");
        Assert.Throws<InvalidOperationException>(() => same.ValueOrThrow());
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(double.NegativeInfinity, double.PositiveInfinity)]
    public void Adaptive_ReversedBoundsNegate(double a, double b)
    {
        Func<double, double> f = x => Math.Exp(-x * x) * (2 + Math.Sin(x));
        var forward = Integrate.Adaptive(f, a, b);
        var backward = Integrate.Adaptive(f, b, a);
        Assert.True(forward.Converged);
        Assert.Equal(-forward.Value, backward.Value);
        Assert.Equal(forward.ErrorEstimate, backward.ErrorEstimate);
        Assert.Equal(forward.Evaluations, backward.Evaluations);
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Adaptive_EmptyRangeIsZero(double a)
    {
        var r = Integrate.Adaptive(x => throw new InvalidOperationException("never called"), a, a);
        Assert.Equal(new IntegrationResult(0, 0, 0, true, null, 0), r);
    }

    [Fact]
    public void Adaptive_ZeroIntegralConvergesOnTheAbsoluteTolerance()
    {
        var r = Integrate.Adaptive(x => x * x * x * Math.Cos(x), -2, 2);
        Assert.True(r.Converged, r.Message);
        Assert.True(Math.Abs(r.Value) <= 1e-12);
    }

    [Fact]
    public void Adaptive_ReportsAnExhaustedBudget()
    {
        var c = QuadratureCases.Get("narrow_peak_0_1");
        var r = Integrate.Adaptive(c.F, c.A, c.B, c.RelativeTolerance, c.AbsoluteTolerance, maxEvaluations: 100);

        Assert.False(r.Converged);
        Assert.False(r.Diverges);
        // 100 for the quadrature, at most as many again to check the ends for divergence (they are regular).
        Assert.True(r.Evaluations <= 200, $"{r.Evaluations}");
        Assert.StartsWith("The evaluation budget ran out", r.Message);
        Assert.Contains("maxEvaluations", r.Message);
        Assert.True(r.ErrorEstimate > c.RelativeTolerance * Math.Abs(r.Value));
        Assert.True(Math.Abs(r.Value - c.Exact) <= r.ErrorEstimate, "the estimate still bounds the error");
        var ex = Assert.Throws<InvalidOperationException>(() => r.ValueOrThrow());
        Assert.Equal(r.Message, ex.Message);
    }

    [Fact]
    public void Adaptive_ErrorEstimateIsNeverNegative()
    {
        // Errors from 10³⁰ down to 10⁻¹⁰ cancel in QUADPACK's running sums; the estimate came out as −3.28e4.
        var r = Integrate.Adaptive(t => (1 - t) * (1 - t) / (t * t * t * t), 1e-10, 1);
        Assert.False(r.Converged);
        Assert.True(r.ErrorEstimate >= 0, $"{r.ErrorEstimate}");
        Assert.DoesNotContain("error estimate -", r.Message);
    }

    [Fact]
    public void Adaptive_ReportsTheFirstPointWhereTheIntegrandIsNotFinite()
    {
        var infinite = Integrate.Adaptive(x => 1 / (x - 0.5), 0, 1);
        Assert.False(infinite.Converged);
        Assert.True(double.IsNaN(infinite.Value));
        Assert.Equal("The integrand is Infinity at x = 0.5: it must be finite at every point the rule samples.", infinite.Message);

        Func<double, double> root = x => Math.Sqrt(x - 0.5);
        var nan = Integrate.Adaptive(root, 0, 1);
        Assert.False(nan.Converged);
        double at = PointIn(nan.Message!, "The integrand is NaN at x = ");
        Assert.True(at < 0.5 && double.IsNaN(root(at)), $"{at}");

        // On an infinite range the point is reported in the integrand's own variable x, not the mapped t.
        Func<double, double> tail = x => x > 40 ? double.NaN : Math.Exp(-x);
        var mapped = Integrate.Adaptive(tail, 0, double.PositiveInfinity);
        Assert.False(mapped.Converged);
        Assert.True(PointIn(mapped.Message!, "The integrand is NaN at x = ") > 40);
    }

    [Fact]
    public void Adaptive_ReportsANonIntegrableSingularity()
    {
        // ∫ 1/(x − 0.3)² diverges at 0.3; the bisection sums grow without a limit.
        var r = Integrate.Adaptive(x => 1 / ((x - 0.3) * (x - 0.3)), 0, 1);
        Assert.False(r.Converged);
        Assert.StartsWith("The integral is probably divergent", r.Message);
    }

    [Fact]
    public void Adaptive_RejectsBadArguments()
    {
        Func<double, double> f = Math.Exp;
        Assert.Throws<ArgumentNullException>("f", () => Integrate.Adaptive(null!, 0, 1));

        var nanBound = Assert.Throws<ArgumentException>("b", () => Integrate.Adaptive(f, 0, double.NaN));
        Assert.StartsWith("The bound b is NaN", nanBound.Message);

        var negative = Assert.Throws<ArgumentOutOfRangeException>("relativeTolerance", () => Integrate.Adaptive(f, 0, 1, relativeTolerance: -1e-8));
        Assert.StartsWith("relativeTolerance must be 0 or positive, not -1E-08.", negative.Message);
        Assert.Throws<ArgumentOutOfRangeException>("absoluteTolerance", () => Integrate.Adaptive(f, 0, 1, absoluteTolerance: double.NaN));

        var both = Assert.Throws<ArgumentException>("relativeTolerance", () => Integrate.Adaptive(f, 0, 1, 0, 0));
        Assert.StartsWith("relativeTolerance and absoluteTolerance are both 0", both.Message);

        var tiny = Assert.Throws<ArgumentOutOfRangeException>("relativeTolerance", () => Integrate.Adaptive(f, 0, 1, 1e-16, 0));
        Assert.StartsWith("relativeTolerance 1E-16 is below 1.1E-14 (50 ulps)", tiny.Message);

        var budget = Assert.Throws<ArgumentOutOfRangeException>("maxEvaluations", () => Integrate.Adaptive(f, 0, 1, maxEvaluations: 20));
        Assert.StartsWith("maxEvaluations is 20, but one 21-point Gauss–Kronrod rule needs 21 evaluations on this range.", budget.Message);
        var line = Assert.Throws<ArgumentOutOfRangeException>("maxEvaluations",
            () => Integrate.Adaptive(f, double.NegativeInfinity, double.PositiveInfinity, maxEvaluations: 29));
        Assert.StartsWith("maxEvaluations is 29, but this range is integrated in 2 pieces ((−∞, 0], [0, ∞)), and one 15-point Gauss–Kronrod rule on each needs 30 evaluations.", line.Message);
    }

    private static IntegrationResult Run(QuadratureCase c) =>
        Integrate.Adaptive(c.F, c.A, c.B, c.RelativeTolerance, c.AbsoluteTolerance);

    private static double PointIn(string message, string prefix)
    {
        Assert.StartsWith(prefix, message);
        string rest = message[prefix.Length..];
        return double.Parse(rest[..rest.IndexOf(':')], CultureInfo.InvariantCulture);
    }
}
