using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// <see cref="QuadraturePiece.Cover"/>: the pieces a range is integrated in, and what the split is for.
/// Twenty-one points spread over a very wide finite range, and their bisections, step over the integrand's
/// mass: exp(−x²) on [−10³⁰⁰, 10³⁰⁰] or [−10⁴, 10⁴] came out as 0 with an error estimate of 0. Closed forms
/// are the reference.
/// </summary>
public class QuadraturePieceTests
{
    private const double Inf = double.PositiveInfinity;

    [Theory]
    [InlineData(-1e300, 1e300)]
    [InlineData(-1e10, 1e10)]
    [InlineData(-1e4, 1e4)]
    [InlineData(-3000, 1e6)]
    public void Adaptive_FindsAGaussianOnAVeryWideRange(double a, double b)
    {
        var r = Integrate.Adaptive(x => Math.Exp(-x * x), a, b);

        Assert.True(r.Converged, r.Message);
        Assert.True(Math.Abs(r.Value - Math.Sqrt(Math.PI)) <= 1e-10 * Math.Sqrt(Math.PI), $"{r.Value:R}");
        Assert.True(r.ErrorEstimate > 0, "an estimate of 0 would claim an exact answer");
    }

    public static TheoryData<string, double, double, double> WideIntegrals() => new()
    {
        { "lorentzian", 0, 1e300, Math.PI / 2 },
        { "decay", 0, 1e10, 1 },
        { "shifted_gaussian", 0, 1e10, 1.772434273712279 },   // √π·(1 + erf 3)/2
        { "constant", 0, 1e300, 1e300 },                       // the log map keeps a constant smooth
        { "square", -1e5, 1e5, 2e15 / 3 },
        { "shifted_gaussian", -10, 1e8, 1.772453850905516 },   // anchored at 0: √π to double precision
    };

    [Theory]
    [MemberData(nameof(WideIntegrals))]
    public void Adaptive_IntegratesDecayingConstantAndGrowingIntegrandsOnWideRanges(string name, double a, double b, double exact)
    {
        Func<double, double> f = name switch
        {
            "lorentzian" => x => 1 / (1 + x * x),
            "decay" => x => Math.Exp(-x),
            "shifted_gaussian" => x => Math.Exp(-(x - 3) * (x - 3)),
            "constant" => _ => 1,
            _ => x => x * x,
        };
        var r = Integrate.Adaptive(f, a, b);

        Assert.True(r.Converged, $"{name}: {r.Message}");
        Assert.True(Math.Abs(r.Value - exact) <= 1e-10 * Math.Abs(exact), $"{name}: {r.Value:R}, exact {exact:R}");
    }

    [Fact]
    public void Cover_SplitsOnlyRangesWiderThan1000_AtTheirAnchor()
    {
        Assert.Equal(["[0, 1]"], Describe(0, 1));
        Assert.Equal(["[-500, 500]"], Describe(-500, 500));
        Assert.Equal(["[-1E+300, -1000]", "[-1000, 0]", "[0, 1000]", "[1000, 1E+300]"], Describe(-1e300, 1e300));
        Assert.Equal(["[-1000, 0]", "[0, 1000]", "[1000, 1001]"], Describe(-1000, 1001));
        // Anchored at the end nearer 0.
        Assert.Equal(["[5, 1005]", "[1005, 1E+06]"], Describe(5, 1e6));
        Assert.Equal(["[-1E+06, -1005]", "[-1005, -5]"], Describe(-1e6, -5));
        // (−∞, ∞) in its two halves; a half-line whole.
        Assert.Equal(["(−∞, 0]", "[0, ∞)"], Describe(-Inf, Inf));
        Assert.Equal(["[2, ∞)"], Describe(2, Inf));
        Assert.Equal(["(−∞, 2]"], Describe(-Inf, 2));
    }

    [Fact]
    public void Cover_FarFromZero_KeepsTheNearPieceWiderThanTheSpacingOfDoubles()
    {
        // 10¹² + 1000 would be 64 doubles away from 10¹²; a millionth of the distance is many more.
        var pieces = QuadraturePiece.Cover(x => 1, 1e12, 1e13);
        Assert.Equal(2, pieces.Count);
        Assert.Equal(1e12, pieces[0].Lower);
        Assert.Equal(1e12 + 1e6, pieces[0].Upper);

        var r = Integrate.Adaptive(x => 1, 1e12, 1e13);
        Assert.True(r.Converged, r.Message);
        Assert.True(Math.Abs(r.Value - 9e12) <= 1e-10 * 9e12, $"{r.Value:R}");
    }

    private static string[] Describe(double a, double b) => [.. QuadraturePiece.Cover(x => x, a, b).Select(p => p.Describe())];
}
