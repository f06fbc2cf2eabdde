using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>Romberg integration: accuracy on smooth integrands, honest failure on the rest, bad input.</summary>
public class RombergTests
{
    [Theory]
    [InlineData("sin on [0, π]", 0.0, Math.PI, 2.0)]
    [InlineData("exp on [0, 1]", 0.0, 1.0, Math.E - 1)]
    [InlineData("1/(1+x²) on [0, 1]", 0.0, 1.0, Math.PI / 4)]
    public void Romberg_IsAccurateOnSmoothIntegrands(string name, double a, double b, double exact)
    {
        Func<double, double> f = name[0] switch { 's' => Math.Sin, 'e' => Math.Exp, _ => x => 1 / (1 + x * x) };
        var r = Integrate.Romberg(f, a, b);

        Assert.True(r.Converged, r.Message);
        Assert.True(Math.Abs(r.Value - exact) <= 1e-10 * Math.Abs(exact), $"{name}: {r.Value:R}, exact {exact:R}");
        Assert.True(r.ErrorEstimate >= Math.Abs(r.Value - exact), $"{name}: estimate {r.ErrorEstimate:G3}");
        Assert.Equal(r.Intervals + 1, r.Evaluations);
        Assert.True(r.Evaluations <= 129, $"{name}: {r.Evaluations} evaluations");   // at most 7 levels
    }

    [Fact]
    public void Romberg_ReportsAnIntegrandTooRoughForIt()
    {
        // √x has an unbounded derivative at 0: the trapezoid error is not a series in h², so
        // extrapolation gains little and 10 levels fall short of 1e-10.
        var r = Integrate.Romberg(Math.Sqrt, 0, 1, maxLevels: 10);
        Assert.False(r.Converged);
        Assert.Equal(1025, r.Evaluations);
        Assert.StartsWith("Romberg integration did not meet the tolerance: after 10 levels (1024 panels)", r.Message);
        Assert.True(Math.Abs(r.Value - 2.0 / 3) < 1e-4);
    }

    [Fact]
    public void Romberg_ReportsANonFiniteIntegrand()
    {
        var r = Integrate.Romberg(x => 1 / x, 0, 1);
        Assert.False(r.Converged);
        Assert.True(double.IsNaN(r.Value));
        Assert.StartsWith("The integrand is Infinity at x = 0;", r.Message);
    }

    [Fact]
    public void Romberg_RejectsBadArguments()
    {
        var levels = Assert.Throws<ArgumentOutOfRangeException>("maxLevels", () => Integrate.Romberg(Math.Exp, 0, 1, maxLevels: 31));
        Assert.StartsWith("maxLevels must be between 1 and 30 (2^maxLevels panels), not 31.", levels.Message);
        Assert.Throws<ArgumentOutOfRangeException>("relativeTolerance", () => Integrate.Romberg(Math.Exp, 0, 1, relativeTolerance: -1));
        Assert.Throws<ArgumentException>("a", () => Integrate.Romberg(Math.Exp, double.NegativeInfinity, 1));
        Assert.Equal(new IntegrationResult(0, 0, 0, true, null, 0), Integrate.Romberg(Math.Exp, 2, 2));
    }
}
