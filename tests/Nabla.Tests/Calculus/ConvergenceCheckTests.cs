using Nabla.Calculus;

namespace Nabla.Tests.Calculus;

/// <summary>
/// <see cref="ConvergenceCheck"/>, through <see cref="Integrate.Adaptive"/>: an integral that does not
/// converge is named as such (sin x over (−∞, ∞) used to come out as a converged 0, x the same), and one
/// that converges too slowly or by cancellation is not called divergent.
/// </summary>
public class ConvergenceCheckTests
{
    private const double Inf = double.PositiveInfinity;

    private static readonly Dictionary<string, (Func<double, double> F, double A, double B)> s_divergent = new()
    {
        ["sin_real_line"] = (Math.Sin, -Inf, Inf),
        ["cos_real_line"] = (Math.Cos, -Inf, Inf),
        ["x_real_line"] = (x => x, -Inf, Inf),
        ["cube_real_line"] = (x => x * x * x, -Inf, Inf),
        ["sin_half_line"] = (Math.Sin, 0, Inf),
        ["x_sin_x_half_line"] = (x => x * Math.Sin(x), 0, Inf),
        ["reciprocal_tail"] = (x => 1 / x, 1, Inf),
        ["reciprocal_far_tail"] = (x => 1 / x, 1e6, Inf),
        ["shifted_reciprocal_tail"] = (x => 1 / (1 + x), 0, Inf),
        ["sqrt_tail"] = (Math.Sqrt, 0, Inf),
        ["constant_tail"] = (_ => 2, -Inf, 5),
        ["reciprocal_at_0"] = (x => 1 / x, 0, 1),
        ["reciprocal_at_0_from_the_left"] = (x => 1 / x, -1, 0),
        ["inverse_square_at_1"] = (x => 1 / ((x - 1) * (x - 1)), -2, 1),
    };

    public static TheoryData<string> Divergent() => [.. s_divergent.Keys];

    [Theory]
    [MemberData(nameof(Divergent))]
    public void Adaptive_NamesAnIntegralThatDoesNotConverge(string name)
    {
        var (f, a, b) = s_divergent[name];
        var r = Integrate.Adaptive(f, a, b);

        Assert.False(r.Converged, name);
        Assert.True(r.Diverges, $"{name}: {r.Message}");
        Assert.StartsWith("The integral does not converge: ", r.Message);
        Assert.True(r.Evaluations <= 2 * Integrate.DefaultMaxEvaluations, $"{name}: {r.Evaluations}");
        Assert.Throws<InvalidOperationException>(() => r.ValueOrThrow());
    }

    [Fact]
    public void Messages_SayWhereAndHow()
    {
        Assert.Equal(
            "The integral does not converge: toward x = 0 from the right, the integral over [h/2, h] does not shrink as h shrinks: it is 0.6931 for h = 0.5 and 0.6931 for h = 2.986E-300.",
            Integrate.Adaptive(x => 1 / x, 0, 1).Message);
        Assert.Equal(
            "The integral does not converge: toward x = 1 from the left, the integral over [1 − h, 1 − h/2] does not shrink as h shrinks: it is 0.6667 for h = 1.5 and 2.291E+10 for h = 4.366E-11.",
            Integrate.Adaptive(x => 1 / ((x - 1) * (x - 1)), -2, 1).Message);
        Assert.StartsWith(
            "The integral does not converge: toward −∞, the integral over [−2x, −x] does not shrink as x grows: it is -1.5 over [-2, -1] and ",
            Integrate.Adaptive(x => x, -Inf, Inf).Message);
        Assert.StartsWith(
            "The integral does not converge: toward +∞, the integral over [1 + x, 1 + 2x] does not shrink as x grows: it is 0.4055 over [2, 3] and 0.6931 over ",
            Integrate.Adaptive(x => 1 / x, 1, Inf).Message);
        Assert.Matches(
            @"^The integral does not converge: as x → −∞, the integral up to x keeps swinging without settling down: by 1\.\d+ over \[-\d+, -\d+\], against 1\.\d+ over \[-\d+, -\d+\] before\.$",
            Integrate.Adaptive(Math.Sin, -Inf, Inf).Message);
    }

    [Fact]
    public void SlowOrCancellingConvergence_IsNotCalledDivergence()
    {
        // ∫ sin(x)/x over [0, ∞) = π/2 converges only by cancellation: QUADPACK cannot estimate it, and says so.
        var sinc = Integrate.Adaptive(x => Math.Sin(x) / x, 0, Inf);
        Assert.False(sinc.Converged);
        Assert.False(sinc.Diverges, sinc.Message);
        Assert.Contains("Its tail does shrink as x → +∞", sinc.Message);
        Assert.EndsWith("so it may converge, slowly or by cancelling oscillations, but not in a way this quadrature can estimate.", sinc.Message);

        Assert.False(Integrate.Adaptive(x => Math.Sin(x) / Math.Sqrt(x), 0, Inf).Diverges);
        Assert.False(Integrate.Adaptive(x => Math.Sin(x / 100) / x, 0, Inf).Diverges);
    }

    [Fact]
    public void ALookAlikeOfADivergentIntegral_IsNotCalledDivergent()
    {
        // 1/(x + x²/10⁶) behaves as 1/x up to 10⁶ and converges to ln(1 + 10⁶); 1/x² on [10⁻¹⁰, 1] grows
        // toward its lower end as 1/x² near 0 does, but the pole lies beyond the range: 10¹⁰ − 1.
        var tail = Integrate.Adaptive(x => 1 / (x + x * x / 1e6), 1, Inf);
        Assert.False(tail.Diverges, tail.Message);
        Assert.True(!tail.Converged || Math.Abs(tail.Value - 13.815511557963774) <= 1e-8, $"{tail.Value:R}");

        var steep = Integrate.Adaptive(x => 1 / (x * x), 1e-10, 1);
        Assert.False(steep.Diverges, steep.Message);
        Assert.True(!steep.Converged || Math.Abs(steep.Value - (1e10 - 1)) <= 1e-8 * 1e10, $"{steep.Value:R}");
        // The stretches must come within 10⁻¹⁰⁰ of the end to see that they shrink there (they stopped at 10⁻⁷⁸).
        Assert.False(Integrate.Adaptive(x => 1 / (x * x), 1e-100, 1).Diverges);

        var slow = Integrate.Adaptive(x => Math.Pow(x, -1.01), 1, Inf);
        Assert.True(slow.Converged, slow.Message);
        Assert.True(Math.Abs(slow.Value - 100) <= 1e-8 * 100, $"{slow.Value:R}");
    }

    [Fact]
    public void ABudgetTooSmallToCheck_LeavesTheQuadraturesOwnReason()
    {
        var r = Integrate.Adaptive(x => 1 / x, 0, 1, maxEvaluations: 21);
        Assert.False(r.Converged);
        Assert.False(r.Diverges);
        Assert.StartsWith("The evaluation budget ran out", r.Message);
        Assert.True(r.Evaluations <= 42, $"{r.Evaluations}");
    }
}
