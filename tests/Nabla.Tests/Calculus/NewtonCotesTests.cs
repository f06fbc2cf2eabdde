using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// The composite trapezoid and Simpson rules: their orders of convergence (halving h divides the
/// error by 4 and by 16), exactness on the polynomials they integrate exactly, and bad input.
/// </summary>
public class NewtonCotesTests
{
    // ∫₀¹ eˣ dx = e − 1: smooth, with no derivative vanishing, so the leading error term is exact.
    private static readonly double Exact = Math.E - 1;

    [Fact]
    public void Trapezoid_ErrorFallsAsHSquared()
    {
        var errors = new[] { 8, 16, 32, 64 }.Select(n => Math.Abs(Integrate.Trapezoid(Math.Exp, 0, 1, n) - Exact)).ToArray();
        for (int i = 1; i < errors.Length; i++)
        {
            double ratio = errors[i - 1] / errors[i];
            Assert.InRange(ratio, 3.95, 4.05);
        }
        // The Euler–Maclaurin leading term: h²/12·(f'(b) − f'(a)).
        Assert.Equal(Math.Pow(1.0 / 64, 2) / 12 * (Math.E - 1), errors[^1], 1e-9);
    }

    [Fact]
    public void Simpson_ErrorFallsAsHToTheFourth()
    {
        var errors = new[] { 4, 8, 16, 32 }.Select(n => Math.Abs(Integrate.Simpson(Math.Exp, 0, 1, n) - Exact)).ToArray();
        for (int i = 1; i < errors.Length; i++)
        {
            double ratio = errors[i - 1] / errors[i];
            Assert.InRange(ratio, 15.8, 16.2);
        }
    }

    [Fact]
    public void Rules_AreExactOnTheirPolynomials()
    {
        Assert.Equal(2.0 * 3 - 0.5 * 9, Integrate.Trapezoid(x => 2 - x, 0, 3, 1), 14);
        Assert.Equal(4.0, Integrate.Simpson(x => x * x * x, 0, 2, 2), 14);
        Assert.Equal(-4.0, Integrate.Simpson(x => x * x * x, 2, 0, 2), 14);
        Assert.Equal(1.0 / 3, Integrate.Simpson(x => x * x, 0, 1, 10), 15);
    }

    [Fact]
    public void Rules_ReversedBoundsNegate()
    {
        Assert.Equal(-Integrate.Trapezoid(Math.Exp, 0, 1, 10), Integrate.Trapezoid(Math.Exp, 1, 0, 10), 15);
        Assert.Equal(-Integrate.Simpson(Math.Exp, 0, 1, 10), Integrate.Simpson(Math.Exp, 1, 0, 10), 15);
    }

    [Fact]
    public void Rules_RejectBadArguments()
    {
        var odd = Assert.Throws<ArgumentException>("intervals", () => Integrate.Simpson(Math.Exp, 0, 1, 7));
        Assert.StartsWith("Simpson's rule needs an even number of intervals (its parabolas span pairs of panels), not 7; use 8 or 6.", odd.Message);
        Assert.Throws<ArgumentOutOfRangeException>("intervals", () => Integrate.Simpson(Math.Exp, 0, 1, 0));
        var none = Assert.Throws<ArgumentOutOfRangeException>("intervals", () => Integrate.Trapezoid(Math.Exp, 0, 1, 0));
        Assert.StartsWith("The trapezoid rule needs at least 1 interval, not 0.", none.Message);

        var infinite = Assert.Throws<ArgumentException>("b", () => Integrate.Trapezoid(Math.Exp, 0, double.PositiveInfinity, 4));
        Assert.StartsWith("The bound b is Infinity, but the trapezoid rule needs a finite range", infinite.Message);
        Assert.Throws<ArgumentException>("a", () => Integrate.Simpson(Math.Exp, double.NaN, 1, 4));
        Assert.Throws<ArgumentNullException>("f", () => Integrate.Trapezoid(null!, 0, 1, 4));

        var singular = Assert.Throws<ArgumentException>("f", () => Integrate.Simpson(x => 1 / Math.Sqrt(x), 0, 1, 4));
        Assert.StartsWith("The integrand is Infinity at x = 0;", singular.Message);
    }
}
