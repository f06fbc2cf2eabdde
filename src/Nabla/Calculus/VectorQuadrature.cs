namespace Nabla.Calculus;

/// <summary>
/// ∫₀¹ f(α) dα for a vector-valued f evaluated many points at a time (a gradient through a network, whose
/// cost per call is one forward and backward pass over a batch): globally adaptive Gauss–Kronrod (7/15)
/// on panels, QUADPACK's error estimate taken per entry and summed, so the total bounds the error of
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
        int evaluations = Rule.Points;
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
                .OrderByDescending(p => p.Error).Take((maxEvaluations - evaluations) / (2 * Rule.Points)).ToList();
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
            evaluations += halves.Count * Rule.Points;
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

    // Applies the rule on each interval, all points in one call of f.
    private static List<Panel> Evaluate(Func<double[], double[]> f, int length, List<(double Lower, double Upper)> intervals)
    {
        int n = Rule.Points;
        var samples = intervals.Select(interval => Rule.Sample(interval.Lower, interval.Upper)).ToList();
        var points = samples.SelectMany(s => s.Points).ToArray();
        var values = f(points);
        if (values.Length != points.Length * length)
            throw new InvalidOperationException($"The integrand gave {values.Length} values for {points.Length} points of {length} entries each.");
        var panels = new List<Panel>(intervals.Count);
        for (int p = 0; p < intervals.Count; p++)
        {
            var (_, kronrodWeights, gaussWeights) = samples[p];
            double width = intervals[p].Upper - intervals[p].Lower;
            var value = new double[length];
            double error = 0;
            for (int i = 0; i < length; i++)
            {
                double kronrod = 0, gauss = 0, absIntegral = 0;
                for (int j = 0; j < n; j++)
                {
                    double v = values[(p * n + j) * length + i];
                    kronrod += kronrodWeights[j] * v;
                    gauss += gaussWeights[j] * v;
                    absIntegral += kronrodWeights[j] * Math.Abs(v);
                }
                double mean = kronrod / width, deviation = 0;
                for (int j = 0; j < n; j++) deviation += kronrodWeights[j] * Math.Abs(values[(p * n + j) * length + i] - mean);
                value[i] = kronrod;
                error += GaussKronrodRule.ErrorEstimate(Math.Abs(kronrod - gauss), absIntegral, deviation);
            }
            panels.Add(new Panel(intervals[p].Lower, intervals[p].Upper, value, error));
        }
        return panels;
    }

    private sealed record Panel(double Lower, double Upper, double[] Value, double Error);
}

/// <summary>The integral of a vector-valued function by <see cref="VectorQuadrature"/>.</summary>
/// <param name="Value">The integral of each entry.</param>
/// <param name="Error">The summed error estimate of the entries (NaN for the fixed rule, which has none).</param>
/// <param name="Evaluations">How many points f was evaluated at.</param>
/// <param name="Converged">Whether the adaptive rule met its tolerance (false for the fixed rule, which has none).</param>
/// <param name="Panels">How many panels the range ended up split into.</param>
internal sealed record VectorIntegral(double[] Value, double Error, int Evaluations, bool Converged, int Panels);
