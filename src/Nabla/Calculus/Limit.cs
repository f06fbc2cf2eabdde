using System.Globalization;

namespace Nabla.Calculus;

/// <summary>
/// Numeric limits by sequence extrapolation: f is sampled at a ± h for h = h₀·2⁻ᵏ (never at a itself),
/// and the sequence is extrapolated to h → 0 with Wynn's ε algorithm, with an error estimate from
/// neighbouring extrapolants; a limit at ±∞ is taken as t → 0 with x = ±1/t. The sequence also tells
/// when there is no finite limit: the sides disagree, f grows without bound, or f oscillates.
/// </summary>
/// <remarks>
/// A numeric limit is evidence, not proof: f is only sampled down to h ≈ 10⁻¹⁹·max(|a|, 1) (or to where
/// a ± h rounds to a), so behaviour on smaller scales is invisible, and a very slow approach (log
/// convergence) may be reported as <see cref="LimitStatus.NotConverged"/>.
/// </remarks>
public static class Limit
{
    /// <summary>The limit of <paramref name="f"/>(x) as x → <paramref name="at"/>.</summary>
    /// <param name="f">The function; it may be NaN or infinite at <paramref name="at"/> itself, which is never evaluated.</param>
    /// <param name="at">The point: a finite number, <see cref="double.PositiveInfinity"/> or <see cref="double.NegativeInfinity"/>.</param>
    /// <param name="side">Both sides (the limit exists only when the one-sided limits agree) or one. At +∞ only
    /// <see cref="LimitSide.Left"/> makes sense and at −∞ only <see cref="LimitSide.Right"/>; <see cref="LimitSide.TwoSided"/> means that one there.</param>
    /// <param name="tolerance">The largest error estimate, relative to max(1, |limit|), accepted as convergence.</param>
    /// <returns>The limit when it exists (<see cref="LimitResult.Exists"/>), otherwise NaN with the reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is NaN, <paramref name="side"/> is not a
    /// defined value, or <paramref name="tolerance"/> is not in (0, 1).</exception>
    /// <exception cref="ArgumentException"><paramref name="side"/> is Right at +∞ or Left at −∞.</exception>
    /// <example><c>Limit.Of(x => Math.Sin(x) / x, 0).Value</c> is 1.</example>
    public static LimitResult Of(Func<double, double> f, double at, LimitSide side = LimitSide.TwoSided, double tolerance = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (double.IsNaN(at))
            throw new ArgumentOutOfRangeException(nameof(at), at, "Limit.Of: the point must be a number or ±∞, got NaN.");
        if (!Enum.IsDefined(side))
            throw new ArgumentOutOfRangeException(nameof(side), side, $"Limit.Of: side must be TwoSided, Left or Right, got {(int)side}.");
        if (!(tolerance > 0 && tolerance < 1))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, Invariant($"Limit.Of: tolerance must be between 0 and 1, got {tolerance}."));
        if (at == double.PositiveInfinity && side == LimitSide.Right)
            throw new ArgumentException("Limit.Of: x → +∞ can only be approached from the left (side Left or TwoSided), got side Right.", nameof(side));
        if (at == double.NegativeInfinity && side == LimitSide.Left)
            throw new ArgumentException("Limit.Of: x → −∞ can only be approached from the right (side Right or TwoSided), got side Left.", nameof(side));

        int evaluations = 0;
        if (double.IsInfinity(at))
        {
            double sign = Math.Sign(at);
            // x = ±1/t with t = 2⁻³⁻ᵏ: exact powers of two, so every x is exact too.
            var outcome = OneSidedLimit.Find(f, t => sign / t, 0.125, tolerance, ref evaluations);
            string approach = at > 0 ? "x → +∞" : "x → −∞";
            return OneSided(outcome, approach, evaluations, at > 0 ? LimitSide.Left : LimitSide.Right);
        }

        double h0 = 0.125 * Math.Max(Math.Abs(at), 1);
        Func<double, double?> Toward(double direction) => h =>
        {
            double x = at + direction * h;
            return x == at ? null : x;
        };
        string point = Format(at);
        if (side == LimitSide.Left)
            return OneSided(OneSidedLimit.Find(f, Toward(-1), h0, tolerance, ref evaluations), $"x → {point}⁻", evaluations, LimitSide.Left);
        if (side == LimitSide.Right)
            return OneSided(OneSidedLimit.Find(f, Toward(+1), h0, tolerance, ref evaluations), $"x → {point}⁺", evaluations, LimitSide.Right);

        var left = OneSidedLimit.Find(f, Toward(-1), h0, tolerance, ref evaluations);
        var right = OneSidedLimit.Find(f, Toward(+1), h0, tolerance, ref evaluations);
        return TwoSided(left, right, point, tolerance, evaluations);
    }

    private static LimitResult OneSided(OneSidedLimit.Outcome outcome, string approach, int evaluations, LimitSide side)
    {
        double? found = SideValue(outcome);
        return new LimitResult
        {
            Status = outcome.Status,
            Value = outcome.Status == LimitStatus.Converged ? outcome.Value : double.NaN,
            Error = outcome.Status == LimitStatus.Converged ? outcome.Error : double.NaN,
            Reason = Describe(outcome, approach),
            Left = side == LimitSide.Left ? found : null,
            Right = side == LimitSide.Right ? found : null,
            Evaluations = evaluations,
        };
    }

    private static LimitResult TwoSided(OneSidedLimit.Outcome left, OneSidedLimit.Outcome right, string point, double tolerance, int evaluations)
    {
        double? l = SideValue(left), r = SideValue(right);
        var result = new LimitResult
        {
            Status = LimitStatus.NotConverged,
            Value = double.NaN,
            Error = double.NaN,
            Reason = "",
            Left = l,
            Right = r,
            Evaluations = evaluations,
        };
        if (left.Status == LimitStatus.Converged && right.Status == LimitStatus.Converged)
        {
            double gap = Math.Abs(left.Value - right.Value);
            if (gap <= Math.Max(left.Error + right.Error, tolerance * Math.Max(1, Math.Max(Math.Abs(left.Value), Math.Abs(right.Value)))))
            {
                var better = left.Error <= right.Error ? left : right;
                double error = Math.Max(better.Error, gap);
                return result with
                {
                    Status = LimitStatus.Converged,
                    Value = better.Value,
                    Error = error,
                    Reason = Invariant($"converges to {Format(better.Value)} as x → {point} (error estimate {error:G3})"),
                };
            }
        }
        if (l is double lv && r is double rv)
        {
            if (double.IsInfinity(lv) && lv == rv)
                return result with { Status = left.Status, Reason = $"{Unbounded(lv)} as x → {point} from both sides" };
            return result with { Status = LimitStatus.SidesDisagree, Reason = $"left limit {Format(lv)} and right limit {Format(rv)} differ" };
        }
        foreach (var (outcome, name, approach) in new[] { (left, "left", $"x → {point}⁻"), (right, "right", $"x → {point}⁺") })
        {
            if (outcome.Status is LimitStatus.Oscillates or LimitStatus.Undefined)
                return result with { Status = outcome.Status, Reason = $"no {name} limit: {Describe(outcome, approach)}" };
            // Terms that do not settle are no proof that there is no limit (1/log x at 0⁺ approaches 0 too slowly to see).
            if (outcome.Status == LimitStatus.NotConverged)
                return result with { Status = outcome.Status, Reason = Describe(outcome, approach) };
        }
        return result;
    }

    private static double? SideValue(OneSidedLimit.Outcome outcome) => outcome.Status switch
    {
        LimitStatus.Converged => outcome.Value,
        LimitStatus.DivergesToPositiveInfinity => double.PositiveInfinity,
        LimitStatus.DivergesToNegativeInfinity => double.NegativeInfinity,
        _ => null,
    };

    private static string Describe(OneSidedLimit.Outcome outcome, string approach) => outcome.Status switch
    {
        LimitStatus.Converged => Invariant($"converges to {Format(outcome.Value)} as {approach} (error estimate {outcome.Error:G3})"),
        LimitStatus.DivergesToPositiveInfinity => $"{Unbounded(double.PositiveInfinity)} as {approach}",
        LimitStatus.DivergesToNegativeInfinity => $"{Unbounded(double.NegativeInfinity)} as {approach}",
        LimitStatus.Oscillates => $"oscillates without settling as {approach} (values between {Format(outcome.Lower)} and {Format(outcome.Upper)})",
        LimitStatus.Undefined => $"f is NaN at every point tried as {approach}",
        _ => $"the values do not settle as {approach} (the late ones lie between {Format(outcome.Lower)} and {Format(outcome.Upper)})",
    };

    private static string Unbounded(double infinity) =>
        infinity > 0 ? "grows without bound (+∞)" : "falls without bound (−∞)";

    // −0 compares equal to 0, and a limit of −0 is 0: a person reading "left limit -0" looks for a sign that is not there.
    private static string Format(double value) =>
        value == 0 ? "0"
        : value == double.PositiveInfinity ? "+∞"
        : value == double.NegativeInfinity ? "−∞"
        : value.ToString("G10", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
