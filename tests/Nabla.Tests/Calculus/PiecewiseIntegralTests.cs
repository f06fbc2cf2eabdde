using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// <see cref="PiecewiseIntegral"/>: the pieces of a split range summed, and a 0 with an error estimate of
/// 0 refused where no evidence backs it (it came back as a converged answer for a peak between the points
/// sampled).
/// </summary>
public class PiecewiseIntegralTests
{
    private const double Inf = double.PositiveInfinity;

    [Fact]
    public void AZeroWithoutEvidence_OnAWideOrInfiniteRange_IsNotAnAnswer()
    {
        Func<double, double> farPeak = x => Math.Exp(-(x - 1e8) * (x - 1e8));   // ∫ = √π, far from every point sampled

        var half = Integrate.Adaptive(farPeak, 0, Inf);
        Assert.False(half.Converged);
        Assert.Equal(0, half.ErrorEstimate);
        // QAGI's points, then those of QAGS within 1000 of 0 and of QAGI beyond, all miss it.
        Assert.Equal("The integrand is 0 at every point sampled on [0, ∞), so the integral cannot be established: on a range this wide, mass between the points (a peak narrower than their spacing) would be missed. Narrow the range to where the integrand is not 0.", half.Message);

        var wide = Integrate.Adaptive(farPeak, -1e300, 1e300);
        Assert.False(wide.Converged);
        Assert.StartsWith("The integrand is 0 at every point sampled on [-1E+300, -1000], [-1000, 0], [0, 1000], [1000, 1E+300], so the integral cannot be established", wide.Message);

        var offCentre = Integrate.Adaptive(x => Math.Exp(-(x - 3000) * (x - 3000)), 0, 1e4);
        Assert.False(offCentre.Converged);
        Assert.Contains("cannot be established", offCentre.Message);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(500)]
    [InlineData(-20)]
    public void APeakThatQagisPointsStepOver_IsFoundWithinAThousandOfTheEnd(double at)
    {
        // exp(−(x − 20)²) on [0, ∞) came out as a converged 5e-13, exp(−(x − 500)²) as 0: both are √π.
        Func<double, double> peak = x => Math.Exp(-(x - at) * (x - at));
        var r = at > 0 ? Integrate.Adaptive(peak, 0, Inf) : Integrate.Adaptive(peak, -Inf, 0);
        Assert.True(r.Converged, r.Message);
        Assert.True(Math.Abs(r.Value - Math.Sqrt(Math.PI)) <= 1e-10 * Math.Sqrt(Math.PI), $"{r.Value:R}");

        var line = Integrate.Adaptive(peak, -Inf, Inf);
        Assert.True(line.Converged, line.Message);
        Assert.True(Math.Abs(line.Value - Math.Sqrt(Math.PI)) <= 1e-10 * Math.Sqrt(Math.PI), $"{line.Value:R}");
    }

    [Fact]
    public void AZeroAfterTheBisectionsLostWhatTheRuleSaw_IsNotAnAnswer()
    {
        // The first rule sees f(0) = 1 at its centre; the halves' points all lie where exp(−10⁴x²) underflows.
        var r = Integrate.Adaptive(x => Math.Exp(-1e4 * x * x), -500, 500);
        Assert.False(r.Converged);
        Assert.StartsWith("The integrand is 0 at every point of the final subdivision of [-500, 500], yet f(0) = 1: its mass lies between the points sampled", r.Message);
        Assert.EndsWith("Split the range at x = 0, or narrow it to where the integrand is not 0.", r.Message);
    }

    [Fact]
    public void AnIntegrandThatIsZeroWhereverItIsSampled_OnAnOrdinaryRange_IntegratesToZero()
    {
        var relu = Integrate.Adaptive(x => Math.Max(0, x), -2, -1);
        Assert.True(relu.Converged, relu.Message);
        Assert.Equal(0, relu.Value);

        // Zero on the left half is fine when the right half holds the mass.
        var halfGaussian = Integrate.Adaptive(x => Math.Max(0, x) * Math.Exp(-x * x), -Inf, Inf);
        Assert.True(halfGaussian.Converged, halfGaussian.Message);
        Assert.True(Math.Abs(halfGaussian.Value - 0.5) <= 1e-10, $"{halfGaussian.Value:R}");
    }

    [Fact]
    public void AnIntegralBeyondDoubles_IsSaidToOverflow()
    {
        // f is finite everywhere (at most 10³⁰⁰), each half of the integral is not: it read "round-off error
        // prevents reaching the tolerance NaN".
        var wide = Integrate.Adaptive(x => x, -1e300, 1e300);
        Assert.False(wide.Converged);
        Assert.True(double.IsNaN(wide.Value));
        Assert.StartsWith("On [-1E+300, -1000]: The integral overflows double precision: the integrand's mass over [", wide.Message);
        Assert.EndsWith("] alone exceeds ±1.8e308.", wide.Message);

        var pieces = Integrate.Adaptive(x => 5e304, -2000, 2000);   // 5e307 on each of four pieces
        Assert.False(pieces.Converged);
        Assert.Equal("The integral overflows double precision: its pieces ([-2000, -1000], [-1000, 0], [0, 1000], [1000, 2000]) add up to more than ±1.8e308.", pieces.Message);
    }

    [Fact]
    public void TheRealLine_IsItsTwoHalves()
    {
        // Odd and convergent: each half is ±1/2.
        var odd = Integrate.Adaptive(x => x * Math.Exp(-x * x), -Inf, Inf);
        Assert.True(odd.Converged, odd.Message);
        Assert.True(Math.Abs(odd.Value) <= 1e-11, $"{odd.Value:R}");
        Assert.Equal(2, QuadraturePiece.Cover(Math.Sin, -Inf, Inf).Count);

        // A half that fails is named; its budget is its share.
        var tight = Integrate.Adaptive(x => Math.Exp(-x * x) * (1 + x), -Inf, Inf, maxEvaluations: 30);
        Assert.False(tight.Converged);
        Assert.StartsWith("On (−∞, 0]: The evaluation budget ran out (15 evaluations, 1 subintervals)", tight.Message);
    }
}
