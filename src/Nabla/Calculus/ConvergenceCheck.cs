using System.Globalization;

namespace Nabla.Calculus;

/// <summary>
/// Whether an integral that adaptive quadrature could not estimate converges at all. By the Cauchy
/// criterion it converges only if the integral over [x, x′] shrinks to 0 as x and x′ run toward an
/// infinite end (or into a singular end point). The check integrates f over stretches [x, 2x] that run
/// toward each end of the range (measured from the finite end, or from 0; toward a finite end, stretches
/// [h/2, h] of the distance h from it), and calls the integral divergent where they show it plainly:
/// <list type="bullet">
/// <item>f keeps one sign and the integral over a stretch never shrinks from one stretch to a farther one,
/// all the way out to x = 2¹⁰²¹ or in to near the resolution of doubles (1/x gives ln 2 on every stretch toward
/// ∞ and toward 0; x, √x and a constant give more each time). Going that far tells 1/x from 1/(x + x²/10⁶),
/// whose stretches stop growing beyond 10⁶, and a pole at the end point from one just beyond it;</item>
/// <item>f oscillates over each of the last six of ten successive stretches and the integral up to x swings
/// over the last three by at least half as much as over those before them (sin x, cos x, x·sin x).</item>
/// </list>
/// An integral whose stretches shrink, however slowly, is not called divergent (∫ x^−1.01 converges),
/// nor is one whose oscillations have not settled into a pattern within the ten stretches (sin(x/100)/x);
/// and an oscillation whose swing decays very slowly, as x^−0.2·sin x, may look like one that does not
/// decay at all: the check is evidence from the stretches it sees, not a proof.
/// </summary>
internal static class ConvergenceCheck
{
    private const int SuccessiveStretches = 10, SteadyRun = 4, SwingRun = 6, LateRun = 3;

    // The stretches the one-sign test looks at, numbered by doublings from the first: each of the first five,
    // then one for every factor of about 1.4 in the number, and always the last four that doubles can hold.
    private static readonly int[] s_farStretches = [0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768];

    /// <summary>What the stretches showed.</summary>
    /// <param name="Diverges">Whether the integral does not converge.</param>
    /// <param name="Text">
    /// Why it does not converge (a clause, no full stop); otherwise, when the tail toward an infinite end clearly shrinks,
    /// a sentence saying so, to add to the quadrature's own message; otherwise null.
    /// </param>
    /// <param name="Evaluations">How many times f was called.</param>
    internal sealed record Finding(bool Diverges, string? Text, int Evaluations);

    /// <summary>
    /// Checks both ends of [<paramref name="a"/>, <paramref name="b"/>] (a &lt; b) with at most
    /// <paramref name="budget"/> calls of <paramref name="f"/>.
    /// </summary>
    internal static Finding Run(Func<double, double> f, double a, double b, int budget)
    {
        var calls = new Budget(budget);
        string? note = null;
        foreach (var end in Ends(a, b))
        {
            var far = Integrals(f, end, FarStretches(end), calls, oneSign: true);
            if (far is not null && NotShrinking(far, end) is string steady) return new Finding(true, steady, calls.Used);
            var successive = Integrals(f, end, [.. Enumerable.Range(0, SuccessiveStretches)], calls, oneSign: false);
            if (successive is null) continue;
            if (Swinging(successive, end) is string swing) return new Finding(true, swing, calls.Used);
            if (end.Infinite) note ??= Shrinking(successive, end);
        }
        return new Finding(false, note, calls.Used);
    }

    /// <summary>
    /// The far stretches that exist toward <paramref name="end"/>, ending with the last four in a row: near a
    /// finite end e ≠ 0 the stretches must come well within e of it and show how they behave there (1/x² on
    /// [10⁻¹⁰⁰, 1] grows toward its end until 10⁻¹⁰⁰ from it, then shrinks: its pole lies beyond the range),
    /// and a tail ends at 2¹⁰²¹, where the sum of a stretch's ends would overflow.
    /// </summary>
    private static int[] FarStretches(End end)
    {
        int last = 0;
        while (end.Stretch(last + 1) is not null) last++;
        int firstOfLast = Math.Max(0, last - SteadyRun + 1);
        return [.. s_farStretches.Where(k => k < firstOfLast), .. Enumerable.Range(firstOfLast, last - firstOfLast + 1)];
    }

    private sealed class Budget(int total)
    {
        public int Used { get; set; }

        public int Left => total - Used;
    }

    /// <summary>
    /// An end of the range: how x approaches it ("x → +∞", "x → 0⁺"), where the stretches run ("toward +∞",
    /// "toward x = 0 from the right"), their shape in words, stretch k of them (null beyond what doubles can
    /// hold), and how a message names a stretch ("over [2, 4]"; "for h = 0.5" near a finite end, where the
    /// bounds of a short stretch would print as the same number).
    /// </summary>
    private sealed record End(bool Infinite, string Approach, string Toward, string Shape,
        Func<int, (double Lower, double Upper)?> Stretch, Func<double, double, string> Name);

    private static IEnumerable<End> Ends(double a, double b)
    {
        bool infiniteA = double.IsInfinity(a), infiniteB = double.IsInfinity(b);
        // A finite end of a half-line is approached from within 1 (or its own distance from 0, if larger);
        // on a finite range, from half the range.
        double halfRange = infiniteA || infiniteB ? 0 : b / 2 - a / 2;
        yield return infiniteA
            ? Tail(infiniteB ? 0 : b, -1)
            : Toward(a, +1, infiniteB ? Math.Max(1, Math.Abs(a)) : halfRange);
        yield return infiniteB
            ? Tail(infiniteA ? 0 : a, +1)
            : Toward(b, -1, infiniteA ? Math.Max(1, Math.Abs(b)) : halfRange);
    }

    // [c + s·2ᵏ, c + s·2ᵏ⁺¹] toward +∞ (mirrored toward −∞), s = max(1, |c|).
    private static End Tail(double anchor, double direction)
    {
        double scale = Math.Max(1, Math.Abs(anchor));
        string from = Offset(anchor, direction);
        string shape = direction > 0 ? $"[{from}x, {from}2x]" : $"[{from}2x, {from}x]";
        string infinity = direction > 0 ? "+∞" : "−∞";
        return new End(true, $"x → {infinity}", $"toward {infinity}", shape, k =>
        {
            double near = anchor + direction * scale * Math.ScaleB(1, k), far = anchor + direction * scale * Math.ScaleB(1, k + 1);
            // The rule adds the two ends to find the middle: both must stay below half the largest double.
            if (!(Math.Abs(far) <= double.MaxValue / 4) || near == far) return null;
            return direction > 0 ? (near, far) : (far, near);
        }, (lower, upper) => Invariant($"over [{lower:G4}, {upper:G4}]"));
    }

    // [e + w·2⁻ᵏ⁻¹, e + w·2⁻ᵏ] toward the end e from its right (mirrored from its left).
    private static End Toward(double end, double direction, double width)
    {
        string point = Number(end);
        string from = Offset(end, direction);
        string shape = direction > 0 ? $"[{from}h/2, {from}h]" : $"[{from}h, {from}h/2]";
        return new End(false, direction > 0 ? $"x → {point}⁺" : $"x → {point}⁻", $"toward x = {point} from the {(direction > 0 ? "right" : "left")}", shape, k =>
        {
            double far = end + direction * width * Math.ScaleB(1, -k), near = end + direction * width * Math.ScaleB(1, -k - 1);
            // Stop while a stretch still spans 2¹⁶ doubles or more (and short of the subnormals near 0): closer in,
            // the points of the rule collapse onto each other and onto the end itself.
            double gap = Math.Abs(near - end);
            if (gap < Math.ScaleB(Math.Abs(end), -36) || gap < 1e-300) return null;
            return direction > 0 ? (near, far) : (far, near);
        }, (lower, upper) => Invariant($"for h = {Math.Max(Math.Abs(lower - end), Math.Abs(upper - end)):G4}"));
    }

    /// <summary>
    /// One stretch, as a message names it: its integral, the swing of the integral from the stretch's start to x
    /// within it, and whether f kept one sign at the points sampled.
    /// </summary>
    private sealed record Stretch(string Name, double Value, double Swing, bool OneSigned);

    /// <summary>
    /// The integral over each of the <paramref name="numbers"/>ed stretches; null when one cannot be had (out of
    /// budget, not converged). For the one-sign test (<paramref name="oneSign"/>) the stretches stop at the first
    /// where f changes sign, which fails the test anyway (and toward 2¹⁰²¹ would cost without end), or where f
    /// overflows, which is itself what the test looks for: f running off to ±∞.
    /// </summary>
    private static List<Stretch>? Integrals(Func<double, double> f, End end, int[] numbers, Budget calls, bool oneSign)
    {
        var stretches = new List<Stretch>(numbers.Length);
        var subdivision = new List<(double Lower, double Upper, double Value)>();
        double largestSwing = 0;
        foreach (int k in numbers)
        {
            if (end.Stretch(k) is not var (lower, upper)) break;
            var rule = GaussKronrodRule.K21;
            if (calls.Left < rule.Points) return null;
            var g = MappedIntegrand.Finite(f);
            subdivision.Clear();
            // Accurate to 10⁻⁸ of the stretch, or to 10⁻⁶ of the largest swing so far: enough to tell
            // ln 2 from a shrinking stretch, without chasing digits of a stretch that has cancelled to nearly 0.
            var result = AdaptiveQuadrature.Integrate(g, rule, lower, upper, 1e-6 * largestSwing, 1e-8,
                1 + (calls.Left - rule.Points) / (2 * rule.Points), subdivision);
            calls.Used += g.Evaluations;
            if (oneSign && (g.Failed || !double.IsFinite(result.Value))) break;
            if (!result.Converged) return null;
            var stretch = new Stretch(end.Name(lower, upper), result.Value, Swing(subdivision), !g.ChangedSign);
            if (oneSign && !stretch.OneSigned) return null;
            largestSwing = Math.Max(largestSwing, stretch.Swing);
            stretches.Add(stretch);
        }
        return stretches.Count == numbers.Length || oneSign ? stretches : null;
    }

    /// <summary>How far the integral from the stretch's start swings, measured at the ends of the final subintervals.</summary>
    private static double Swing(List<(double Lower, double Upper, double Value)> subdivision)
    {
        subdivision.Sort((p, q) => p.Lower.CompareTo(q.Lower));
        double partial = 0, low = 0, high = 0;
        foreach (var part in subdivision)
        {
            partial += part.Value;
            (low, high) = (Math.Min(low, partial), Math.Max(high, partial));
        }
        return high - low;
    }

    /// <summary>f of one sign over every stretch, with an integral that never shrinks from one stretch to the next one out.</summary>
    private static string? NotShrinking(List<Stretch> stretches, End end)
    {
        if (stretches.Count < SteadyRun) return null;
        double sign = Math.Sign(stretches[0].Value);
        if (sign == 0 || stretches.Any(s => !s.OneSigned || Math.Sign(s.Value) != sign)) return null;
        // The 10⁻⁶ allows for the stretches' own error (ln 2 each time, to 10⁻⁸).
        for (int i = 1; i < stretches.Count; i++)
        {
            if (Math.Abs(stretches[i].Value) < (1 - 1e-6) * Math.Abs(stretches[i - 1].Value)) return null;
        }
        var first = stretches[0];
        var last = stretches[^1];
        string variable = end.Infinite ? "x grows" : "h shrinks";
        return Invariant($"{end.Toward}, the integral over {end.Shape} does not shrink as {variable}: it is {first.Value:G4} {first.Name} and {last.Value:G4} {last.Name}");
    }

    /// <summary>f oscillating over each of the last stretches, with an integral up to x that swings as much late as earlier.</summary>
    private static string? Swinging(List<Stretch> stretches, End end)
    {
        int run = 0;
        while (run < stretches.Count && !stretches[^(run + 1)].OneSigned) run++;
        if (run < SwingRun) return null;
        var late = stretches[^LateRun..].MaxBy(s => s.Swing)!;
        var earlier = stretches[^run..^LateRun].MaxBy(s => s.Swing)!;
        if (!(late.Swing >= 0.5 * earlier.Swing)) return null;
        return Invariant($"as {end.Approach}, the integral up to x keeps swinging without settling down: by {late.Swing:G3} {late.Name}, against {earlier.Swing:G3} {earlier.Name} before");
    }

    /// <summary>A sentence for a tail whose last stretch swings by a quarter or less of the largest swing of a stretch.</summary>
    private static string? Shrinking(List<Stretch> stretches, End end)
    {
        var last = stretches[^1];
        var largest = stretches.MaxBy(s => s.Swing)!;
        if (!(largest.Swing > 0 && last.Swing <= 0.25 * largest.Swing)) return null;
        return Invariant($" Its tail does shrink as {end.Approach} (the integral swings by {last.Swing:G3} {last.Name}, against {largest.Swing:G3} {largest.Name}), so it may converge, slowly or by cancelling oscillations, but not in a way this quadrature can estimate.");
    }

    // What stands before a distance from origin in the given direction: "", "−", "c + " or "c − ".
    private static string Offset(double origin, double direction) => origin == 0
        ? (direction > 0 ? "" : "−")
        : $"{Number(origin)} {(direction > 0 ? "+" : "−")} ";

    private static string Number(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
