namespace Nabla.Calculus;

/// <summary>
/// ∫₀¹ f(α) dα for a vector-valued f evaluated many points at a time (a gradient through a network, whose
/// cost per call is one forward and backward pass over a batch): globally adaptive Gauss–Kronrod (7/15)
/// on panels, the Gauss–Kronrod difference taken per entry and summed, so the total bounds the error of
/// the vector's sum as well as of each entry. The fixed Gauss–Legendre rule is here too, for comparison.
/// </summary>
/// <remarks>
/// Each round splits every panel whose error is within a factor <see cref="SplitShare"/> of the largest and
/// evaluates all their halves in one call, rather than QUADPACK's one bisection per call: a path with many
/// kinks (a ReLU network's gradient jumps wherever a unit switches) needs every kink's panel halved, and
/// batching them costs one pass instead of one each. No extrapolation: kinks are jumps inside the range,
/// not end-point singularities, and bisection alone localizes them.
/// </remarks>
internal static class VectorQuadrature
{
    /// <summary>Panels with an error above this share of the largest are split in the same round.</summary>
    internal const double SplitShare = 1.0 / 16;

    // Narrower panels cannot be halved in double precision without their points colliding.
    private const double NarrowestPanel = 1e-13;

    private static readonly GaussKronrodRule Rule = GaussKronrodRule.K15;

    /// <summary>The points evaluated on each panel: the 15 of the rule and the two ends.</summary>
    internal static int PanelPoints => Rule.Points + 2;

    /// <summary>
    /// Integrates <paramref name="f"/> over [0, 1] until the summed error estimate of the entries is at
    /// most max(<paramref name="absoluteTolerance"/>, <paramref name="relativeTolerance"/>·Σ|∫fᵢ|).
    /// </summary>
    /// <param name="f">Maps k points to their k × <paramref name="length"/> values, row-major.</param>
    /// <param name="length">The number of entries of f.</param>
    /// <param name="absoluteTolerance">The requested bound on the summed error.</param>
    /// <param name="relativeTolerance">The requested bound relative to the summed magnitude of the integral.</param>
    /// <param name="maxEvaluations">How many points f may be evaluated at, in all.</param>
    internal static VectorIntegral Adaptive(Func<double[], double[]> f, int length, double absoluteTolerance, double relativeTolerance, int maxEvaluations)
    {
        var panels = Evaluate(f, length, [(0.0, 1.0)]);
        int evaluations = PanelPoints;
        while (true)
        {
            double error = 0;
            var value = new double[length];
            foreach (var panel in panels)
            {
                error += panel.Error;
                for (int i = 0; i < length; i++) value[i] += panel.Value[i];
            }
            double magnitude = 0;
            foreach (double v in value) magnitude += Math.Abs(v);
            if (error <= Math.Max(absoluteTolerance, relativeTolerance * magnitude))
                return new VectorIntegral(value, error, evaluations, true, panels.Count);

            double largest = panels.Max(p => p.Error);
            var split = panels.Where(p => p.Error >= SplitShare * largest && p.Upper - p.Lower > NarrowestPanel)
                .OrderByDescending(p => p.Error).Take((maxEvaluations - evaluations) / (2 * PanelPoints)).ToList();
            if (split.Count == 0) return new VectorIntegral(value, error, evaluations, false, panels.Count);

            var halves = new List<(double, double)>(2 * split.Count);
            foreach (var panel in split)
            {
                double middle = 0.5 * (panel.Lower + panel.Upper);
                halves.Add((panel.Lower, middle));
                halves.Add((middle, panel.Upper));
            }
            var splitSet = split.ToHashSet();
            panels = [.. panels.Where(p => !splitSet.Contains(p)), .. Evaluate(f, length, halves)];
            evaluations += halves.Count * PanelPoints;
        }
    }

    /// <summary>∫₀¹ f by the <paramref name="points"/>-point Gauss–Legendre rule in one call of f; it gives no error estimate.</summary>
    internal static VectorIntegral GaussLegendre(Func<double[], double[]> f, int length, int points)
    {
        var (nodes, weights) = GaussLegendreRule.OnUnitInterval(points);
        var values = f(nodes);
        var value = new double[length];
        for (int j = 0; j < points; j++)
            for (int i = 0; i < length; i++) value[i] += weights[j] * values[j * length + i];
        return new VectorIntegral(value, double.NaN, points, false, 1);
    }

    // Applies the rule on each interval, all points in one call of f. The ends are evaluated too: Gauss–Kronrod
    // points stop short of them (by 0.4% of the width for 15 points), so a jump there would go unseen by |K − G|;
    // how far the value at an end is from the parabola through the three nearest points, times that gap, is
    // added to the error (a smooth integrand's parabola misses by the third derivative times gap⁴ or so).
    private static List<Panel> Evaluate(Func<double[], double[]> f, int length, List<(double Lower, double Upper)> intervals)
    {
        int n = Rule.Points, stride = n + 2;
        var samples = intervals.Select(interval => Rule.Sample(interval.Lower, interval.Upper)).ToList();
        var points = new double[intervals.Count * stride];
        for (int p = 0; p < intervals.Count; p++)
        {
            points[p * stride] = intervals[p].Lower;
            samples[p].Points.CopyTo(points, p * stride + 1);
            points[p * stride + n + 1] = intervals[p].Upper;
        }
        var values = f(points);
        if (values.Length != points.Length * length)
            throw new InvalidOperationException($"The integrand gave {values.Length} values for {points.Length} points of {length} entries each.");
        var panels = new List<Panel>(intervals.Count);
        for (int p = 0; p < intervals.Count; p++)
        {
            var (nodes, kronrodWeights, gaussWeights) = samples[p];
            var (lower, upper) = intervals[p];
            var value = new double[length];
            double error = 0;
            for (int i = 0; i < length; i++)
            {
                double At(int point) => values[(p * stride + point) * length + i];
                double kronrod = 0, gauss = 0, absIntegral = 0;
                for (int j = 0; j < n; j++)
                {
                    double v = At(j + 1);
                    kronrod += kronrodWeights[j] * v;
                    gauss += gaussWeights[j] * v;
                    absIntegral += kronrodWeights[j] * Math.Abs(v);
                }
                value[i] = kronrod;
                // The raw |K − G|, not QUADPACK's scaled estimate: the scaling assumes a smooth integrand, and
                // across a ReLU network's jump it claimed errors a hundred times below the true ones.
                error += Math.Max(Math.Abs(kronrod - gauss), 50 * AdaptiveQuadrature.Epsilon * absIntegral)
                    + Math.Abs(At(0) - Extrapolated(lower, nodes[0], At(1), nodes[1], At(2), nodes[2], At(3))) * (nodes[0] - lower)
                    + Math.Abs(At(n + 1) - Extrapolated(upper, nodes[^1], At(n), nodes[^2], At(n - 1), nodes[^3], At(n - 2))) * (upper - nodes[^1]);
            }
            panels.Add(new Panel(lower, upper, value, error));
        }
        return panels;
    }

    // The parabola through (x1, y1), (x2, y2), (x3, y3) at x, in Lagrange's form.
    private static double Extrapolated(double x, double x1, double y1, double x2, double y2, double x3, double y3) =>
        y1 * (x - x2) * (x - x3) / ((x1 - x2) * (x1 - x3))
        + y2 * (x - x1) * (x - x3) / ((x2 - x1) * (x2 - x3))
        + y3 * (x - x1) * (x - x2) / ((x3 - x1) * (x3 - x2));

    private sealed record Panel(double Lower, double Upper, double[] Value, double Error);
}

/// <summary>The integral of a vector-valued function by <see cref="VectorQuadrature"/>.</summary>
/// <param name="Value">The integral of each entry.</param>
/// <param name="Error">The summed error estimate of the entries (NaN for the fixed rule, which has none).</param>
/// <param name="Evaluations">How many points f was evaluated at.</param>
/// <param name="Converged">Whether the adaptive rule met its tolerance (false for the fixed rule, which has none).</param>
/// <param name="Panels">How many panels the range ended up split into.</param>
internal sealed record VectorIntegral(double[] Value, double Error, int Evaluations, bool Converged, int Panels);
