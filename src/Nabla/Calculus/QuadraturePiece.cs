namespace Nabla.Calculus;

/// <summary>
/// One stretch of a range as <see cref="Integrate.Adaptive"/> integrates it: the integrand in the
/// variable the rule runs over, the rule, and that variable's range. <see cref="Cover"/> splits a range
/// into the stretches QUADPACK's algorithms can be trusted with.
/// </summary>
internal sealed record QuadraturePiece(MappedIntegrand Integrand, GaussKronrodRule Rule, double Lower, double Upper)
{
    /// <summary>
    /// The widest stretch integrated in x itself. Twenty-one points spread over a wider one, and their
    /// bisections, step over a peak of width 1 (exp(−x²) on [−10⁴, 10⁴] came out as 0 with error 0), so
    /// a wider range is split at its anchor, 1000 wide on either side, and the rest mapped logarithmically.
    /// </summary>
    internal const double DirectWidth = 1000;

    /// <summary>
    /// A finer cover of the same stretch, to integrate instead when the piece's own result meets only the
    /// absolute tolerance, or has an error estimate of 0: QAGI's fifteen points on [0, ∞) fall at x = 13.8 and
    /// 38.2 either side of 20, so exp(−(x − 20)²) came out as a "converged" 5e-13 (it is √π), and
    /// exp(−(x − 500)²) as 0. Null for a piece that has none.
    /// </summary>
    internal IReadOnlyList<QuadraturePiece>? Finer { get; init; }

    /// <summary>The stretch of x the piece covers, as a range, for messages.</summary>
    internal string Describe() => Integrand.DescribeRange(Lower, Upper);

    /// <summary>The stretches of x that <paramref name="pieces"/> cover, for messages: "(−∞, 0], [0, ∞)".</summary>
    internal static string Describe(IEnumerable<QuadraturePiece> pieces) => string.Join(", ", pieces.Select(p => p.Describe()));

    /// <summary>
    /// The pieces covering [<paramref name="a"/>, <paramref name="b"/>] (a &lt; b), left to right:
    /// <list type="bullet">
    /// <item>a half-line: QUADPACK's QAGI, the 15-point rule on t ∈ (0, 1]; should that meet only the
    /// absolute tolerance, or find only zeros, QAGS within <see cref="DirectWidth"/> of the finite end and
    /// QAGI beyond (<see cref="Finer"/>);</item>
    /// <item>(−∞, ∞): the two half-lines on either side of 0, since the integral exists only when both halves
    /// do (sin x summed with sin(−x) at each point, as QAGI does, would cancel to a "converged" 0);</item>
    /// <item>a finite range at most <see cref="DirectWidth"/> wide: QAGS, the 21-point rule on x itself;</item>
    /// <item>a wider one: split at its anchor (0 when the range holds it, otherwise the end nearer 0): QAGS
    /// on x within <see cref="DirectWidth"/> of the anchor, and on u for x = anchor ± 1000·eᵘ beyond.</item>
    /// </list>
    /// </summary>
    /// <remarks>
    /// The far part is mapped through eᵘ rather than QAGI's (1 − t)/t: over [0, 10³⁰⁰] the latter turns a
    /// constant into 1/t² over [10⁻³⁰⁰, 1], which no bisection finishes, while eᵘ keeps a decaying,
    /// constant or growing integrand smooth in u.
    /// </remarks>
    internal static List<QuadraturePiece> Cover(Func<double, double> f, double a, double b)
    {
        if (double.IsNegativeInfinity(a) && double.IsPositiveInfinity(b))
            return [HalfLine(f, 0, -1), HalfLine(f, 0, +1)];
        if (double.IsPositiveInfinity(b)) return [HalfLine(f, a, +1)];
        if (double.IsNegativeInfinity(a)) return [HalfLine(f, b, -1)];
        if (b - a <= DirectWidth) return [new QuadraturePiece(MappedIntegrand.Finite(f), GaussKronrodRule.K21, a, b)];

        double anchor = a < 0 && b > 0 ? 0 : a >= 0 ? a : b;
        double near = NearWidth(anchor);
        var pieces = new List<QuadraturePiece>(4);
        double left = anchor - a, right = b - anchor;
        if (left > near) pieces.Add(Far(f, anchor, -1, near, left));
        if (left > 0) pieces.Add(Near(f, Math.Max(a, anchor - near), anchor));
        if (right > 0) pieces.Add(Near(f, anchor, Math.Min(b, anchor + near)));
        if (right > near) pieces.Add(Far(f, anchor, +1, near, right));
        return pieces;
    }

    // Far from 0 a width of 1000 may be below the spacing of doubles: a millionth of the distance keeps the points distinct.
    private static double NearWidth(double anchor) => Math.Max(DirectWidth, 1e-6 * Math.Abs(anchor));

    private static QuadraturePiece HalfLine(Func<double, double> f, double anchor, double direction)
    {
        double end = anchor + direction * NearWidth(anchor);
        return new(MappedIntegrand.HalfLine(f, anchor, direction), GaussKronrodRule.K15, 0, 1)
        {
            Finer = [Near(f, Math.Min(anchor, end), Math.Max(anchor, end)), new(MappedIntegrand.HalfLine(f, end, direction), GaussKronrodRule.K15, 0, 1)],
        };
    }

    private static QuadraturePiece Near(Func<double, double> f, double a, double b) =>
        new(MappedIntegrand.Finite(f), GaussKronrodRule.K21, a, b);

    // The x at distances from near to extent beyond the anchor, on the side of direction.
    private static QuadraturePiece Far(Func<double, double> f, double anchor, double direction, double near, double extent) =>
        new(MappedIntegrand.Logarithmic(f, anchor, direction, near), GaussKronrodRule.K21, 0, Math.Log(extent / near));
}
