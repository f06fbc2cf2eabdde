namespace Nabla.Calculus;

/// <summary>
/// The limit of g(h) as h → 0⁺ from the sequence Sₖ = g(h₀·2⁻ᵏ): first whether it runs off to ±∞,
/// then whether its late terms agree exactly after closing in on their value (a limit reached to the last
/// bit, or underflowed to an exact 0), then two estimates of a finite limit, keeping the one with the smaller error:
/// <list type="bullet">
/// <item>Wynn's ε extrapolation, for the smooth approach of most limits (sin h / h = 1 − h²/6 + …),
/// which reaches full accuracy from the early terms, before round-off in g takes over;</item>
/// <item>the tail of the sequence itself, for limits that are approached without a pattern to
/// extrapolate (h·sin(1/h)), accepted only when the spread of the terms shrinks steadily, so that a
/// tail ruined by cancellation, such as (1 − cos h)/h² rounding to exactly 0, is not mistaken for a limit.</item>
/// </list>
/// When neither settles, the terms say whether g oscillates (keeps turning back, bounded) or just did not converge.
/// </summary>
internal static class OneSidedLimit
{
    internal const int Terms = 60;
    private const int Window = 4, GrowthRun = 10;
    private const double Epsilon = 2.220446049250313e-16;

    internal sealed record Outcome(LimitStatus Status, double Value, double Error, double Lower, double Upper);

    /// <summary>
    /// Approaches along h₀·2⁻ᵏ, stopping early where the point would stop moving
    /// (<paramref name="point"/> returns null) or g is NaN.
    /// </summary>
    internal static Outcome Find(Func<double, double> f, Func<double, double?> point, double h0, double tolerance, ref int evaluations)
    {
        var s = new List<double>(Terms);
        double h = h0;
        for (int k = 0; k < Terms; k++, h /= 2)
        {
            if (point(h) is not double x) break;
            double y = f(x);
            evaluations++;
            if (double.IsNaN(y)) break;
            s.Add(y);
            if (double.IsInfinity(y)) break;
        }

        if (s.Count == 0) return new Outcome(LimitStatus.Undefined, double.NaN, double.NaN, double.NaN, double.NaN);
        var finite = s.Where(double.IsFinite).ToList();
        if (Diverges(s) is LimitStatus divergence)
        {
            // Round-off can make a converged sequence run away at the end: (eʰ − 1 − h)/h² settles at 1/2, turns to
            // noise and exact zeros as its numerator cancels, then falls as −1/h once eʰ rounds to 1. After such a
            // break the run-away proves nothing: the answer is the limit the terms before it reach, if they reach
            // one, and otherwise undetermined ((1 − cos h − h²/2)/h⁴ has too few clean terms to reach −1/24). A
            // smooth run-away (1 + 10⁻³⁰/h², 1/h²) is a divergence.
            var before = s.Take(GrowthStart(s) - 1).ToList();
            if (!Broken(before)) return new Outcome(divergence, double.NaN, double.NaN, double.NaN, double.NaN);
            return Converges(before, tolerance) ?? Unsettled(LimitStatus.NotConverged, finite);
        }

        return Converges(finite, tolerance) ?? Unsettled(Oscillates(finite) ? LimitStatus.Oscillates : LimitStatus.NotConverged, finite);
    }

    /// <summary>No limit found, with the range of the late terms.</summary>
    private static Outcome Unsettled(LimitStatus status, List<double> finite)
    {
        var late = finite.Skip(finite.Count / 2).ToList();
        return new Outcome(status, double.NaN, double.NaN, late.Count > 0 ? late.Min() : double.NaN, late.Count > 0 ? late.Max() : double.NaN);
    }

    /// <summary>The limit the terms reach, exactly (<see cref="Settled"/>) or by Wynn's ε or the tail; null when neither settles.</summary>
    private static Outcome? Converges(List<double> finite, double tolerance)
    {
        if (Settled(finite)) return new Outcome(LimitStatus.Converged, finite[^1], Epsilon * Math.Abs(finite[^1]), double.NaN, double.NaN);
        var (value, error) = WynnEpsilon.Extrapolate(finite);
        var (tailValue, tailError) = Tail(finite);
        // A valid tail brackets the limit honestly; an extrapolation that strays from the tail's
        // middle (a chance agreement of Wynn's entries on a patternless approach, h·sin(1/h)) owns up to the gap.
        if (tailError < error) (value, error) = (tailValue, tailError);
        else if (double.IsFinite(tailError)) error = Math.Max(error, Math.Min(tailError, Math.Abs(value - tailValue)));
        return error <= tolerance * Math.Max(1, Math.Abs(value)) ? new Outcome(LimitStatus.Converged, value, error, double.NaN, double.NaN) : null;
    }

    /// <summary>Where the trailing run of growth begins: from there on the terms keep one sign and grow by steps that do not shrink.</summary>
    private static int GrowthStart(List<double> s)
    {
        double sign = Math.Sign(s[^1]);
        int start = s.Count - 1;
        while (start >= 2 && Grows(s, start - 1, sign)) start--;
        return start;
    }

    // Term i keeps the sign and grows in size by a step at least 0.9 of the one before.
    private static bool Grows(List<double> s, int i, double sign)
    {
        double step = Math.Abs(s[i]) - Math.Abs(s[i - 1]);
        double previous = i >= 2 ? Math.Abs(s[i - 1]) - Math.Abs(s[i - 2]) : step;
        return Math.Sign(s[i]) == sign && step > 0 && step >= 0.9 * previous;
    }

    /// <summary>Whether the later half of the terms lost their smoothness: an exact 0 among them, or two turns or more.</summary>
    private static bool Broken(List<double> s)
    {
        int turns = 0;
        for (int i = s.Count / 2; i < s.Count; i++)
        {
            if (s[i] == 0) return true;
            if (i >= 2 && (s[i] - s[i - 1]) * (s[i - 1] - s[i - 2]) < 0) turns++;
        }
        return turns >= 2;
    }

    /// <summary>
    /// The late terms agree: the last four or more are the same number, and the terms before them (two at
    /// least, unless there are none) came closer to it by half or more at each step. g has then reached its
    /// limit to the last bit, as exp(−1/h²)/h¹⁰⁰ does when both factors underflow and its terms fall from
    /// 10⁶² and 10⁹ to an exact 0 (then NaN, 0/0), too few terms for the extrapolations. A run that breaks
    /// with the trend is not taken: (1 − cos h)/h² hovers at 0.5 in rounding noise, then drops to an exact 0
    /// once cos h rounds to 1.
    /// </summary>
    private static bool Settled(List<double> s)
    {
        int run = 1;
        while (run < s.Count && s[^(run + 1)] == s[^1]) run++;
        if (run < Window) return false;
        int before = Math.Min(Window, s.Count - run);
        if (before == 1) return false;
        for (int i = s.Count - run - before + 1; i < s.Count - run; i++)
        {
            if (!(Math.Abs(s[i] - s[^1]) <= 0.5 * Math.Abs(s[i - 1] - s[^1]))) return false;
        }
        return true;
    }

    /// <summary>
    /// Runs off to ±∞: g reached ±∞, or its last terms keep one sign and grow in size by steps
    /// that do not shrink (1/h doubles, log h falls by log 2 each time), which no convergent
    /// sequence does.
    /// </summary>
    private static LimitStatus? Diverges(List<double> s)
    {
        int n = s.Count;
        if (double.IsInfinity(s[^1]))
            return n == 1 || Math.Abs(s[^2]) < Math.Abs(s[^1]) ? Infinity(s[^1]) : null;
        if (n < GrowthRun + 1) return null;
        double sign = Math.Sign(s[^1]);
        if (sign == 0) return null;
        for (int i = n - GrowthRun; i < n; i++)
        {
            if (!Grows(s, i, sign)) return null;
        }
        return Infinity(sign);
    }

    private static LimitStatus Infinity(double sign) =>
        sign > 0 ? LimitStatus.DivergesToPositiveInfinity : LimitStatus.DivergesToNegativeInfinity;

    /// <summary>
    /// The middle of the last four terms, when the spread of the terms (over windows of four) shrinks
    /// geometrically by a ratio r ≤ 0.8 a step, measured over the last ten steps; the error is the
    /// last spreads summed over the rest of the geometric series. No window may spread more than 8×
    /// the narrowest window four or more steps before it (which has 16× the step): on a patternless
    /// approach such as h·sin(1/h) spreads vary by 50× around their trend, while round-off taking
    /// over (a tail of exact zeros for (1 − cos h)/h²) jumps by many orders. Error +∞ when the rule is broken.
    /// </summary>
    private static (double Value, double Error) Tail(List<double> s)
    {
        const int Baseline = 10;
        int windows = s.Count - Window + 1;
        if (windows < Baseline + 3) return (double.NaN, double.PositiveInfinity);
        var spread = new double[windows];
        for (int i = 0; i < windows; i++)
        {
            double lo = s[i], hi = s[i];
            for (int j = 1; j < Window; j++) (lo, hi) = (Math.Min(lo, s[i + j]), Math.Max(hi, s[i + j]));
            spread[i] = hi - lo;
        }
        double narrowestEarlier = double.PositiveInfinity;
        for (int i = Window; i < windows; i++)
        {
            narrowestEarlier = Math.Min(narrowestEarlier, spread[i - Window]);
            if (spread[i] > 8 * narrowestEarlier) return (double.NaN, double.PositiveInfinity);
        }
        double last = Math.Max(spread[^1], Math.Max(spread[^2], spread[^3]));
        double before = Math.Max(spread[^(Baseline + 1)], Math.Max(spread[^(Baseline + 2)], spread[^(Baseline + 3)]));
        double lo4 = s.Skip(s.Count - Window).Min(), hi4 = s.Skip(s.Count - Window).Max();
        double value = (lo4 + hi4) / 2, floor = 2.220446049250313e-16 * Math.Abs(value);
        if (last == 0) return (value, floor);
        double ratio = Math.Pow(last / before, 1.0 / Baseline);
        if (!(ratio <= 0.8)) return (double.NaN, double.PositiveInfinity);
        return (value, Math.Max(last * (1 + 1 / (1 - ratio)), floor));
    }

    /// <summary>Bounded and turning back again and again: at least a third of the late steps reverse direction.</summary>
    private static bool Oscillates(List<double> s)
    {
        int start = s.Count / 2, turns = 0, steps = 0;
        for (int i = start + 2; i < s.Count; i++, steps++)
        {
            if ((s[i] - s[i - 1]) * (s[i - 1] - s[i - 2]) < 0) turns++;
        }
        return steps >= 6 && turns * 3 >= steps;
    }
}
