using System.Globalization;

namespace Nabla.Calculus;

/// <summary>
/// Definite integrals of a function of one variable: adaptive Gauss–Kronrod quadrature (QUADPACK's
/// QAGS and QAGI, the algorithm behind SciPy's <c>quad</c>), the composite trapezoid and Simpson rules,
/// and Romberg integration.
/// </summary>
public static partial class Integrate
{
    /// <summary>
    /// The default evaluation budget of <see cref="Adaptive"/>: about 240 subintervals of 21 points on a
    /// finite range (SciPy's <c>quad</c> stops at 50), far more than smooth, peaked or end-point-singular
    /// integrands need, yet small enough that a divergent integral is reported within milliseconds.
    /// </summary>
    public const int DefaultMaxEvaluations = 10_000;

    /// <summary>
    /// ∫ f(x) dx from <paramref name="a"/> to <paramref name="b"/> by globally adaptive Gauss–Kronrod
    /// quadrature with Wynn ε-extrapolation, as QUADPACK's QAGS (the algorithm of SciPy's <c>quad</c>):
    /// the interval with the largest error estimate is bisected until the total error estimate meets
    /// the tolerance, and the sums over bisection levels are extrapolated to their limit, which makes
    /// integrable end-point singularities (ln x, 1/√x at 0) converge in a few hundred evaluations.
    /// Either bound may be infinite: a half-line is mapped onto (0, 1] by x = a + (1 − t)/t, as QUADPACK's
    /// QAGI, and (−∞, ∞) is integrated as its two halves on either side of 0, since it converges only when
    /// both do. Finite ranges use the 10/21-point Gauss–Kronrod pair, half-lines the 7/15-point pair, as
    /// QUADPACK does, so the points sampled and the evaluations needed are QUADPACK's. A finite range
    /// wider than 1000 is split: within 1000 of its anchor (0, or the end nearer 0) x itself, beyond that
    /// x = anchor ± 1000·eᵘ, so that 21 points spread over 10³⁰⁰ do not step over the integrand's mass.
    /// </summary>
    /// <remarks>
    /// Two checks keep a failure from passing for an answer. An integral whose final error estimate is 0
    /// (f was 0 at every point of the final subdivision) is not trusted on a wide or infinite range, nor
    /// where f was seen to be non-zero: the mass lies between the points sampled. And when the quadrature
    /// fails, the integral is checked for convergence at each end (see <see cref="IntegrationResult.Diverges"/>),
    /// with up to <paramref name="maxEvaluations"/> more calls of f.
    /// </remarks>
    /// <param name="f">The integrand; it is never called at a finite end point, so an integrable singularity there is fine.</param>
    /// <param name="a">The lower bound (may be −∞).</param>
    /// <param name="b">The upper bound (may be +∞). With a &gt; b the result is −∫ from b to a; with a = b it is 0.</param>
    /// <param name="relativeTolerance">The requested relative accuracy; the default asks for 10 correct digits.</param>
    /// <param name="absoluteTolerance">
    /// The requested absolute accuracy. The default 1e-12 lets integrals whose value is 0 (an odd
    /// integrand over a symmetric range) converge rather than chase relative accuracy in rounding noise;
    /// pass 0 to ask for relative accuracy alone, for integrals much smaller than 1.
    /// </param>
    /// <param name="maxEvaluations">
    /// How many calls of <paramref name="f"/> the quadrature may make, shared among the pieces of a split
    /// range; see <see cref="DefaultMaxEvaluations"/>. When it fails, the convergence check may make as many again.
    /// </param>
    /// <returns>
    /// The value, its error estimate and the evaluations used. <see cref="IntegrationResult.Converged"/>
    /// is true when the error estimate is at most max(<paramref name="absoluteTolerance"/>,
    /// <paramref name="relativeTolerance"/>·|value|) (on a split range: when each piece's is, with the
    /// absolute tolerance shared among them); otherwise <see cref="IntegrationResult.Message"/> says why
    /// (budget exhausted, round-off, bad behaviour at a point, divergence, no evidence of the integrand's
    /// mass, or a non-finite value of f and where).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentException">A bound is NaN, or both tolerances are 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A tolerance is negative or NaN; the relative tolerance alone is below 50 ulps (≈1.1e-14), which
    /// double precision cannot meet; or <paramref name="maxEvaluations"/> is less than one rule on each
    /// piece needs (21 points on a finite range, 15 on a half-line, 30 on (−∞, ∞)).
    /// </exception>
    /// <example>
    /// <code>
    /// var r = Integrate.Adaptive(Math.Log, 0, 1);                       // −1, in 231 evaluations
    /// var g = Integrate.Adaptive(x => Math.Exp(-x * x), double.NegativeInfinity, double.PositiveInfinity);
    /// </code>
    /// </example>
    public static IntegrationResult Adaptive(Func<double, double> f, double a, double b,
        double relativeTolerance = 1e-10, double absoluteTolerance = 1e-12, int maxEvaluations = DefaultMaxEvaluations)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireNotNaN(a, nameof(a));
        RequireNotNaN(b, nameof(b));
        ValidateTolerances(relativeTolerance, absoluteTolerance);

        if (a > b)
        {
            var reversed = Adaptive(f, b, a, relativeTolerance, absoluteTolerance, maxEvaluations);
            return reversed with { Value = -reversed.Value };
        }
        if (a == b) return new IntegrationResult(0, 0, 0, true, null, 0);

        var pieces = QuadraturePiece.Cover(f, a, b);
        int ruleCost = pieces[0].Rule.Points;
        if (maxEvaluations < pieces.Count * ruleCost)
            throw new ArgumentOutOfRangeException(nameof(maxEvaluations), maxEvaluations, pieces.Count == 1
                ? $"maxEvaluations is {maxEvaluations}, but one {ruleCost}-point Gauss–Kronrod rule needs {ruleCost} evaluations on this range."
                : $"maxEvaluations is {maxEvaluations}, but this range is integrated in {pieces.Count} pieces ({QuadraturePiece.Describe(pieces)}), and one {ruleCost}-point Gauss–Kronrod rule on each needs {pieces.Count * ruleCost} evaluations.");

        var result = PiecewiseIntegral.Integrate(pieces, absoluteTolerance, relativeTolerance, maxEvaluations);
        // Nothing to check after a non-finite value of f (the message says where), or after a result that
        // failed for want of evidence, the only failure with an error estimate of 0.
        if (result.Converged || double.IsNaN(result.Value) || result.ErrorEstimate == 0) return result;

        // As many calls again, short of overflowing the count.
        var finding = ConvergenceCheck.Run(f, a, b, Math.Min(maxEvaluations, int.MaxValue - result.Evaluations));
        int evaluations = result.Evaluations + finding.Evaluations;
        if (finding.Diverges)
            return result with { Evaluations = evaluations, Diverges = true, Message = $"The integral does not converge: {finding.Text}." };
        return result with { Evaluations = evaluations, Message = result.Message + finding.Text };
    }

    private static void ValidateTolerances(double relativeTolerance, double absoluteTolerance)
    {
        if (!(relativeTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), relativeTolerance, string.Create(CultureInfo.InvariantCulture, $"relativeTolerance must be 0 or positive, not {relativeTolerance}."));
        if (!(absoluteTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(absoluteTolerance), absoluteTolerance, string.Create(CultureInfo.InvariantCulture, $"absoluteTolerance must be 0 or positive, not {absoluteTolerance}."));
        if (relativeTolerance == 0 && absoluteTolerance == 0)
            throw new ArgumentException("relativeTolerance and absoluteTolerance are both 0: no error estimate can meet that; give at least one of them a positive value.", nameof(relativeTolerance));
        const double smallestRelative = 50 * AdaptiveQuadrature.Epsilon;
        if (absoluteTolerance == 0 && relativeTolerance < smallestRelative)
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), relativeTolerance,
                string.Create(CultureInfo.InvariantCulture, $"relativeTolerance {relativeTolerance:G3} is below {smallestRelative:G2} (50 ulps), which double precision cannot meet; raise it or give an absoluteTolerance."));
    }

    private static void RequireNotNaN(double bound, string name)
    {
        if (double.IsNaN(bound))
            throw new ArgumentException($"The bound {name} is NaN; bounds must be numbers (±∞ allowed where the method supports them).", name);
    }

    private static void RequireFinite(double bound, string name, string method)
    {
        RequireNotNaN(bound, name);
        if (!double.IsFinite(bound))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The bound {name} is {bound}, but {method} needs a finite range; use Integrate.Adaptive for infinite ranges."), name);
    }
}
