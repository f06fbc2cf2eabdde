using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// <see cref="MonteCarlo.Expectation"/>: reproducible from its seed, unbiased within its standard
/// error, and a standard error that shrinks as 1/√n.
/// </summary>
public class MonteCarloTests
{
    private static readonly Func<Generator, double> Normal = g => g.NextNormal();
    private static readonly Func<double, double> Square = x => x * x;

    [Fact]
    public void Expectation_SameSeedGivesTheSameResult()
    {
        var first = MonteCarlo.Expectation(Normal, Square, 10_000, seed: 7);
        var again = MonteCarlo.Expectation(Normal, Square, 10_000, seed: 7);
        var other = MonteCarlo.Expectation(Normal, Square, 10_000, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first.Value, other.Value);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Expectation_OfXSquaredUnderTheStandardNormalIsOne(ulong seed)
    {
        const int n = 100_000;
        var r = MonteCarlo.Expectation(Normal, Square, n, seed);

        Assert.Equal(n, r.Samples);
        Assert.True(Math.Abs(r.Value - 1) <= 4 * r.StandardError, $"{r.Value} ± {r.StandardError}");
        // Var[X²] = E[X⁴] − 1 = 2, so the standard error is √(2/n).
        Assert.InRange(r.StandardError / Math.Sqrt(2.0 / n), 0.95, 1.05);
    }

    [Fact]
    public void Expectation_StandardErrorShrinksAsOneOverRootN()
    {
        var small = MonteCarlo.Expectation(Normal, Square, 10_000, seed: 11);
        var large = MonteCarlo.Expectation(Normal, Square, 160_000, seed: 11);
        Assert.InRange(small.StandardError / large.StandardError, 3.6, 4.4);
    }

    [Fact]
    public void Expectation_AgreesWithAdaptiveQuadratureOfTheDensity()
    {
        // E[cos X] for X ~ U(0, 2) is ∫₀² cos(x)/2 dx = sin(2)/2.
        var r = MonteCarlo.Expectation(g => 2 * g.NextDouble(), Math.Cos, 50_000, seed: 5);
        double exact = Integrate.Adaptive(x => Math.Cos(x) / 2, 0, 2).ValueOrThrow();
        Assert.Equal(Math.Sin(2) / 2, exact, 14);
        Assert.True(Math.Abs(r.Value - exact) <= 4 * r.StandardError, $"{r.Value} ± {r.StandardError}, exact {exact}");
    }

    [Fact]
    public void Expectation_RejectsBadArguments()
    {
        var one = Assert.Throws<ArgumentOutOfRangeException>("samples", () => MonteCarlo.Expectation(Normal, Square, 1, 0));
        Assert.StartsWith("samples must be at least 2", one.Message);
        Assert.Throws<ArgumentNullException>("sampler", () => MonteCarlo.Expectation(null!, Square, 10, 0));
        Assert.Throws<ArgumentNullException>("f", () => MonteCarlo.Expectation(Normal, null!, 10, 0));

        var log = Assert.Throws<ArgumentException>("f", () => MonteCarlo.Expectation(Normal, Math.Log, 100, 3));
        Assert.Matches(@"^f is NaN at x = -[0-9.E-]+ \(draw \d+ of 100, seed 3\)", log.Message);
    }
    [Theory]
    [InlineData("x^2", 0.0, 1.0, 1.0 / 3, 4.0 / 45)]              // ∫₀¹ x² = 1/3; Var[U²] = 1/5 − 1/9
    [InlineData("sin", 0.0, Math.PI, 2.0, 0.5 - 4 / (Math.PI * Math.PI))]   // ∫₀^π sin = 2; Var[sin U] = 1/2 − (2/π)²
    [InlineData("x^2", 1.0, 0.0, -1.0 / 3, 4.0 / 45)]             // reversed bounds negate the integral
    public void Integral_IsWithinFourStandardErrors_AndTheStandardErrorIsTheAnalyticOne(string integrand, double a, double b, double exact, double varianceOfMean)
    {
        const int n = 200_000;
        Func<double, double> f = integrand == "sin" ? Math.Sin : x => x * x;
        var r = MonteCarlo.Integral(f, a, b, n, seed: 4);

        Assert.Equal(n, r.Samples);
        Assert.True(Math.Abs(r.Value - exact) <= 4 * r.StandardError, $"{r.Value} ± {r.StandardError}, exact {exact}");
        // σ_f·|b − a|/√n, with σ_f² the variance of f(U) for U uniform on the interval.
        double analytic = Math.Sqrt(varianceOfMean) * Math.Abs(b - a) / Math.Sqrt(n);
        Assert.InRange(r.StandardError / analytic, 0.98, 1.02);
    }

    [Fact]
    public void Integral_SameSeedSameEstimate_AndAPointIntervalIsZero()
    {
        Assert.Equal(MonteCarlo.Integral(Math.Exp, -1, 2, 1000, 9), MonteCarlo.Integral(Math.Exp, -1, 2, 1000, 9));
        var point = MonteCarlo.Integral(Math.Exp, 2, 2, 10, 0);
        Assert.Equal(0, point.Value);
        Assert.Equal(0, point.StandardError);
    }

    [Theory]
    [InlineData(double.NegativeInfinity, 1.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    [InlineData(-1e308, 1e308)]
    [InlineData(double.NaN, 1.0)]
    public void Integral_RefusesAnIntervalThatIsNotFinite(double a, double b)
    {
        var e = Assert.Throws<ArgumentException>(() => MonteCarlo.Integral(Math.Exp, a, b, 10, 0));
        Assert.StartsWith("uniform sampling needs a finite interval", e.Message);
    }

    [Fact]
    public void Integral_NamesThePointWhereTheIntegrandIsNotFinite()
    {
        var e = Assert.Throws<ArgumentException>("f", () => MonteCarlo.Integral(x => Math.Log(x - 1), 0, 1, 10, 0));
        Assert.Matches(@"^f is NaN at x = [0-9.E-]+ \(draw 1 of 10, seed 0\)", e.Message);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void FiniteVariance_IsNotFlagged_AndTheLargestShareFallsAsOneOverN(ulong seed)
    {
        var square = MonteCarlo.Integral(Square, 0, 1, 100_000, seed);
        var exp = MonteCarlo.Expectation(Normal, Math.Exp, 100_000, seed);
        var small = MonteCarlo.Integral(Square, 0, 1, 1_000, seed);

        Assert.False(square.VarianceMayBeInfinite);
        Assert.False(exp.VarianceMayBeInfinite);
        Assert.False(small.VarianceMayBeInfinite);
        // x² on [0, 1]: each term is at most 1 and Σ x⁴ ≈ n/5, so the largest share is about 5/n.
        Assert.InRange(square.LargestShare, 0, 5.0 / 100_000 * 1.01);
        Assert.InRange(square.LargestAt, 0.99, 1);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void InfiniteVariance_IsFlagged_WithWhereTheLargestDrawWas(ulong seed)
    {
        // 1/x on [−1, 1] has no integral; x^(−3/4) on [0, 1] has one (4), but its square is not integrable.
        var reciprocal = MonteCarlo.Integral(x => 1 / x, -1, 1, 100_000, seed);
        var root = MonteCarlo.Integral(x => Math.Pow(x, -0.75), 0, 1, 100_000, seed);

        Assert.True(reciprocal.VarianceMayBeInfinite, reciprocal.LargestShare.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(root.VarianceMayBeInfinite, root.LargestShare.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(Math.Abs(reciprocal.LargestAt), 0, 1e-3);
        Assert.InRange(root.LargestAt, 0, 1e-3);
    }

    [Fact]
    public void FewDraws_AreNotJudged()
    {
        // Two draws: one carries at least half of Σ f², whatever f is.
        var two = MonteCarlo.Integral(x => 1 / x, -1, 1, 2, seed: 0);

        Assert.True(two.LargestShare >= 0.5);
        Assert.False(two.VarianceMayBeInfinite);
    }
}
