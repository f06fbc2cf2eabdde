using Nabla.Calculus;
using Nabla.NN;

namespace Nabla.Explain;

/// <summary>
/// Integrated gradients of a piecewise-linear model (linear layers, ReLU and leaky ReLU, max pooling, batch normalization
/// in evaluation mode) computed exactly, segment by segment: along the straight path the output φ(α) = F(x' + α(x − x'))
/// is piecewise linear and the gradient is constant between the points where a unit switches, so the integral is the sum of
/// each segment's length times its gradient. The segments are found from the evaluations themselves: an interval whose
/// ends have the same gradient, and whose output changes as that gradient predicts, is one segment (the set of inputs with
/// one activation pattern is convex, so a line meets it in one interval); any other interval is cut where the line through
/// its left end and the line through its right end meet, which is the switch itself when there is one, evaluating a point
/// just before and just after it. Each switch costs about two gradients, where a quadrature rule needs thousands to
/// resolve the jumps to 1e-8.
/// </summary>
internal static class PiecewiseLinearPath
{
    /// <summary>Intervals narrower than this are taken as one switch resolved: their error is bounded by width × the jump.</summary>
    private const double MinWidth = 1e-11;

    /// <summary>How far either side of a predicted switch the two points are evaluated, relative to the interval.</summary>
    private const double Straddle = 1e-12;

    /// <summary>Integrates <paramref name="path"/> exactly, or reports that it did not finish within <paramref name="maxEvaluations"/>.</summary>
    /// <param name="path">The path of one row.</param>
    /// <param name="tolerance">How far, relative to the values involved, two gradients or an output and its prediction may differ and still be
    /// taken as equal: a little above the rounding of the model's arithmetic.</param>
    /// <param name="maxEvaluations">The most gradients to evaluate.</param>
    public static VectorIntegral Integrate(PathIntegrand path, double tolerance, int maxEvaluations)
    {
        int length = path.Length;
        // Points evaluated so far: α → (φ, integrand = (x − x') ⊙ ∇F).
        var points = new Dictionary<double, (double Output, double[] Integrand)>();
        void Evaluate(List<double> alphas)
        {
            var (outputs, integrand) = path.Evaluate([.. alphas]);
            for (int k = 0; k < alphas.Count; k++) points[alphas[k]] = (outputs[k], integrand.AsSpan(k * length, length).ToArray());
        }
        Evaluate([0.0, 1.0]);
        var total = new double[length];
        double error = 0;
        var pending = new List<(double A, double B)> { (0, 1) };
        while (pending.Count > 0)
        {
            var next = new List<(double, double)>();
            var wanted = new List<double>();
            foreach (var (a, b) in pending)
            {
                var (fa, ha) = points[a];
                var (fb, hb) = points[b];
                double sa = ha.Sum(), sb = hb.Sum();
                double scale = Math.Abs(fa) + Math.Abs(fb) + ha.Sum(Math.Abs) + hb.Sum(Math.Abs) + 1e-300;
                bool sameGradient = true;
                double jump = 0;
                for (int i = 0; i < length; i++)
                {
                    double d = Math.Abs(ha[i] - hb[i]);
                    jump += d;
                    if (d > tolerance * (Math.Abs(ha[i]) + Math.Abs(hb[i]) + 1e-300)) sameGradient = false;
                }
                bool linear = Math.Abs(fb - fa - sa * (b - a)) <= tolerance * scale;
                if ((sameGradient && linear) || b - a <= MinWidth)
                {
                    for (int i = 0; i < length; i++) total[i] += (b - a) * 0.5 * (ha[i] + hb[i]);
                    if (!(sameGradient && linear)) error += (b - a) * 0.5 * jump;
                    continue;
                }
                // The switch, if one: where the line from a with slope sa meets the line into b with slope sb.
                double cut = Math.Abs(sa - sb) > tolerance * scale ? (fb - fa + sa * a - sb * b) / (sa - sb) : double.NaN;
                double margin = (b - a) / 64;
                if (!(cut > a + margin && cut < b - margin)) cut = 0.5 * (a + b);
                double step = Math.Max(Straddle * (b - a), MinWidth / 4);
                double left = cut - step, right = cut + step;
                wanted.Add(left);
                wanted.Add(right);
                next.Add((a, left));
                next.Add((left, right));
                next.Add((right, b));
            }
            if (wanted.Count == 0) break;
            if (points.Count + wanted.Count > maxEvaluations)
            {
                // Out of budget: what is left counts in full against the bound.
                foreach (var (a, b) in pending)
                {
                    var (_, ha) = points[a];
                    var (_, hb) = points[b];
                    for (int i = 0; i < length; i++) total[i] += (b - a) * 0.5 * (ha[i] + hb[i]);
                    error += (b - a) * 0.5 * ha.Zip(hb, (p, q) => Math.Abs(p - q)).Sum();
                }
                return new VectorIntegral(total, error, points.Count, Converged: false, Panels: points.Count - 1);
            }
            Evaluate(wanted);
            pending = next;
        }
        return new VectorIntegral(total, error, points.Count, Converged: true, Panels: points.Count - 1);
    }

    /// <summary>Whether every layer of <paramref name="model"/> is linear or piecewise linear in its input, so that <see cref="Integrate"/> is exact for it.</summary>
    public static bool Holds(Module model) => model.NamedModules().All(entry => entry.Module is Sequential or Linear or ReLU or LeakyReLU or Conv2d or MaxPool2d
        or AvgPool2d or Flatten or Dropout or BatchNorm or Identity);
}
