using System.Globalization;

namespace Nabla.Calculus;

public static partial class Integrate
{
    // Below this level the diagonal of the table rests on too few points to trust its agreement:
    // with 2 or 4 panels an oscillating integrand can sample as a polynomial.
    private const int RombergFirstTest = 3;

    /// <summary>
    /// Romberg integration: trapezoid sums with 1, 2, 4, …, 2ᵏ panels (each level reusing the previous
    /// level's points), combined by Richardson extrapolation, R(k, j) = R(k, j−1) + (R(k, j−1) − R(k−1, j−1))/(4ʲ − 1),
    /// which cancels the h², h⁴, … terms of the trapezoid error. Very fast for smooth integrands on
    /// finite ranges; use <see cref="Adaptive"/> for singular, peaked or infinite-range integrands.
    /// </summary>
    /// <param name="f">The integrand, called at equally spaced points, end points included.</param>
    /// <param name="a">The lower bound (finite).</param>
    /// <param name="b">The upper bound (finite); a &gt; b gives the negated integral.</param>
    /// <param name="relativeTolerance">
    /// Converged when two successive diagonal values R(k−1, k−1) and R(k, k) differ by at most
    /// max(<paramref name="absoluteTolerance"/>, relativeTolerance·|R(k, k)|), from level 3 (8 panels) on;
    /// that difference is the error estimate.
    /// </param>
    /// <param name="maxLevels">The finest level k allowed (2ᵏ panels, 2ᵏ + 1 evaluations), 1 to 30.</param>
    /// <param name="absoluteTolerance">The absolute accuracy that also counts as converged; lets a zero integral converge.</param>
    /// <returns>R(k, k) for the last level k computed, with its error estimate; <see cref="IntegrationResult.Converged"/> false (and the reason) when the tolerance was not met.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentException">A bound is NaN or infinite, or both tolerances are 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative or NaN, or <paramref name="maxLevels"/> is outside 1 to 30.</exception>
    public static IntegrationResult Romberg(Func<double, double> f, double a, double b, double relativeTolerance = 1e-10, int maxLevels = 20,
        double absoluteTolerance = 1e-12)
    {
        ValidateRule(f, a, b, "Romberg integration");
        ValidateTolerances(relativeTolerance, absoluteTolerance);
        if (maxLevels is < 1 or > 30)
            throw new ArgumentOutOfRangeException(nameof(maxLevels), maxLevels, $"maxLevels must be between 1 and 30 (2^maxLevels panels), not {maxLevels}.");
        if (a == b) return new IntegrationResult(0, 0, 0, true, null, 0);

        // Two rows of the triangle suffice: the previous level's and the one being built.
        var previous = new double[maxLevels + 1];
        var current = new double[maxLevels + 1];
        double h = b - a;
        double fa = f(a), fb = f(b);
        int evaluations = 2;
        if (!double.IsFinite(fa)) return RombergNonFinite(fa, a, evaluations, 1);
        if (!double.IsFinite(fb)) return RombergNonFinite(fb, b, evaluations, 1);
        previous[0] = 0.5 * h * (fa + fb);
        double error = double.PositiveInfinity;
        int level;
        for (level = 1; level <= maxLevels; level++)
        {
            h *= 0.5;
            int newPoints = 1 << (level - 1);
            double sum = 0;
            for (int i = 1; i <= newPoints; i++)
            {
                double x = a + (2 * i - 1) * h;
                double value = f(x);
                evaluations++;
                if (!double.IsFinite(value)) return RombergNonFinite(value, x, evaluations, 1 << level);
                sum += value;
            }
            current[0] = 0.5 * previous[0] + h * sum;
            double factor = 1;
            for (int j = 1; j <= level; j++)
            {
                factor *= 4;
                current[j] = current[j - 1] + (current[j - 1] - previous[j - 1]) / (factor - 1);
            }
            error = Math.Abs(current[level] - previous[level - 1]);
            (previous, current) = (current, previous);
            if (level >= RombergFirstTest && error <= Math.Max(absoluteTolerance, relativeTolerance * Math.Abs(previous[level])))
                return new IntegrationResult(previous[level], error, evaluations, true, null, 1 << level);
        }
        level = maxLevels;
        string why = level < RombergFirstTest
            ? $"maxLevels {maxLevels} stops before level {RombergFirstTest}, the first at which convergence is tested"
            : string.Create(CultureInfo.InvariantCulture, $"after {maxLevels} levels ({1 << maxLevels} panels) the last two diagonal values still differ by {error:G3}");
        return new IntegrationResult(previous[level], error, evaluations, false,
            string.Create(CultureInfo.InvariantCulture, $"Romberg integration did not meet the tolerance: {why}. The integrand may not be smooth enough for Romberg; try Integrate.Adaptive."),
            1 << level);
    }

    private static IntegrationResult RombergNonFinite(double value, double x, int evaluations, int panels) => new(
        double.NaN, double.PositiveInfinity, evaluations, false,
        string.Create(CultureInfo.InvariantCulture, $"The integrand is {value} at x = {x:R}; Romberg samples the end points, so use Integrate.Adaptive for integrands singular there."),
        panels);
}
