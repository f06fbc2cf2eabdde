using System.Globalization;

namespace Nabla.Calculus;

public static partial class Integrate
{
    /// <summary>
    /// The composite trapezoid rule with <paramref name="intervals"/> equal panels:
    /// h·(f(a)/2 + f(a + h) + … + f(b − h) + f(b)/2), h = (b − a)/n. Its error falls as h²
    /// (halving h divides it by about 4) for a twice-differentiable f.
    /// </summary>
    /// <param name="f">The integrand, called at the n + 1 equally spaced points, end points included.</param>
    /// <param name="a">The lower bound (finite).</param>
    /// <param name="b">The upper bound (finite); a &gt; b gives the negated integral.</param>
    /// <param name="intervals">The number of panels n, at least 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentException">A bound is NaN or infinite, or f is NaN or ±∞ at one of the points (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="intervals"/> is less than 1.</exception>
    public static double Trapezoid(Func<double, double> f, double a, double b, int intervals)
    {
        ValidateRule(f, a, b, "the trapezoid rule");
        if (intervals < 1)
            throw new ArgumentOutOfRangeException(nameof(intervals), intervals, $"The trapezoid rule needs at least 1 interval, not {intervals}.");
        double h = (b - a) / intervals;
        double sum = 0.5 * (Sample(f, a) + Sample(f, b));
        for (int i = 1; i < intervals; i++) sum += Sample(f, a + i * h);
        return sum * h;
    }

    /// <summary>
    /// The composite Simpson rule with <paramref name="intervals"/> equal panels (an even number):
    /// h/3·(f(a) + 4f(a + h) + 2f(a + 2h) + … + 4f(b − h) + f(b)). Its error falls as h⁴ (halving h
    /// divides it by about 16) for a four times differentiable f, and is zero for cubics.
    /// </summary>
    /// <param name="f">The integrand, called at the n + 1 equally spaced points, end points included.</param>
    /// <param name="a">The lower bound (finite).</param>
    /// <param name="b">The upper bound (finite); a &gt; b gives the negated integral.</param>
    /// <param name="intervals">The number of panels n: even, at least 2 (Simpson's parabolas span pairs of panels).</param>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A bound is NaN or infinite; <paramref name="intervals"/> is odd; or f is NaN or ±∞ at one of the points (the message names it).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="intervals"/> is less than 2.</exception>
    public static double Simpson(Func<double, double> f, double a, double b, int intervals)
    {
        ValidateRule(f, a, b, "Simpson's rule");
        if (intervals < 2)
            throw new ArgumentOutOfRangeException(nameof(intervals), intervals, $"Simpson's rule needs at least 2 intervals, not {intervals}.");
        if (intervals % 2 != 0)
            throw new ArgumentException($"Simpson's rule needs an even number of intervals (its parabolas span pairs of panels), not {intervals}; use {intervals + 1} or {intervals - 1}.", nameof(intervals));
        double h = (b - a) / intervals;
        double odd = 0, even = 0;
        for (int i = 1; i < intervals; i += 2) odd += Sample(f, a + i * h);
        for (int i = 2; i < intervals; i += 2) even += Sample(f, a + i * h);
        return (Sample(f, a) + Sample(f, b) + 4 * odd + 2 * even) * h / 3;
    }

    private static void ValidateRule(Func<double, double> f, double a, double b, string method)
    {
        ArgumentNullException.ThrowIfNull(f);
        RequireFinite(a, nameof(a), method);
        RequireFinite(b, nameof(b), method);
    }

    /// <summary>f at <paramref name="x"/>, which must be finite: a fixed rule has no way to step around a bad point.</summary>
    private static double Sample(Func<double, double> f, double x)
    {
        double value = f(x);
        if (!double.IsFinite(value))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The integrand is {value} at x = {x:R}; fixed-step rules sample the end points, so use Integrate.Adaptive for integrands singular there."), nameof(f));
        return value;
    }
}
