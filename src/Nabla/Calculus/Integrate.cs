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
    /// Either bound may be infinite: the range is then mapped onto (0, 1] by x = a + (1 − t)/t, as
    /// QUADPACK's QAGI. Finite ranges use the 10/21-point Gauss–Kronrod pair, infinite ones the 7/15-point
    /// pair, as QUADPACK does, so the points sampled and the evaluations needed are QUADPACK's.
    /// </summary>
    /// <param name="f">The integrand; it is never called at a finite end point, so an integrable singularity there is fine.</param>
    /// <param name="a">The lower bound (may be −∞).</param>
    /// <param name="b">The upper bound (may be +∞). With a &gt; b the result is −∫ from b to a; with a = b it is 0.</param>
    /// <param name="relativeTolerance">The requested relative accuracy; the default asks for 10 correct digits.</param>
    /// <param name="absoluteTolerance">
    /// The requested absolute accuracy. The default 1e-12 lets integrals whose value is 0 (an odd
    /// integrand over a symmetric range) converge rather than chase relative accuracy in rounding noise;
    /// pass 0 to ask for relative accuracy alone, for integrals much smaller than 1.
    /// </param>
    /// <param name="maxEvaluations">How many calls of <paramref name="f"/> the integration may make; see <see cref="DefaultMaxEvaluations"/>.</param>
    /// <returns>
    /// The value, its error estimate and the evaluations used. <see cref="IntegrationResult.Converged"/>
    /// is true when the error estimate is at most max(<paramref name="absoluteTolerance"/>,
    /// <paramref name="relativeTolerance"/>·|value|); otherwise <see cref="IntegrationResult.Message"/>
    /// says why (budget exhausted, round-off, bad behaviour at a point, probable divergence, or a
    /// non-finite value of f and where).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentException">A bound is NaN, or both tolerances are 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A tolerance is negative or NaN; the relative tolerance alone is below 50 ulps (≈1.1e-14), which
    /// double precision cannot meet; or <paramref name="maxEvaluations"/> is less than one rule needs
    /// (21 points on a finite range, 15 on an infinite one, and 30 calls on (−∞, ∞), where each point stands for x and −x).
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

        MappedIntegrand g;
        double lower = a, upper = b;
        if (double.IsFinite(a) && double.IsFinite(b)) g = MappedIntegrand.Finite(f);
        else
        {
            g = (double.IsFinite(a), double.IsFinite(b)) switch
            {
                (true, false) => MappedIntegrand.UpperInfinite(f, a),
                (false, true) => MappedIntegrand.LowerInfinite(f, b),
                _ => MappedIntegrand.WholeLine(f),
            };
            (lower, upper) = (0, 1);
        }

        // QUADPACK's choices: the 21-point rule on finite ranges (QAGS), the 15-point rule on the mapped
        // infinite ones (QAGI), whose transformed integrand is rarely smooth enough to repay more points.
        var rule = double.IsFinite(a) && double.IsFinite(b) ? GaussKronrodRule.K21 : GaussKronrodRule.K15;
        int ruleCost = rule.Points * g.CallsPerPoint;
        if (maxEvaluations < ruleCost)
            throw new ArgumentOutOfRangeException(nameof(maxEvaluations), maxEvaluations,
                $"maxEvaluations is {maxEvaluations}, but one {rule.Points}-point Gauss–Kronrod rule needs {ruleCost} evaluations on this range{(g.CallsPerPoint == 2 ? " (f(x) and f(−x) at each point on (−∞, ∞))" : "")}.");
        if (a == b) return new IntegrationResult(0, 0, 0, true, null, 0);

        // The first rule takes one rule's cost, every bisection two.
        int limit = 1 + (maxEvaluations - ruleCost) / (2 * ruleCost);
        return AdaptiveQuadrature.Integrate(g, rule, lower, upper, absoluteTolerance, relativeTolerance, limit);
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
