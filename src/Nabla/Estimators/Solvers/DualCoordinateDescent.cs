namespace Nabla.Estimators;

/// <summary>
/// liblinear's dual coordinate descent for the L2-regularised linear SVM (Hsieh, Chang, Lin,
/// Keerthi and Sundararajan 2008; liblinear's <c>solve_l2r_l1l2_svc</c>), which scikit-learn's
/// <c>LinearSVC</c> runs: min over w of ½‖w‖² + Σ Cᵢ ξ(yᵢ w·xᵢ), ξ the hinge (L1 loss) or the
/// squared hinge (L2 loss), solved in the dual one αᵢ at a time, in a random order each pass,
/// with shrinking of the αᵢ stuck at a bound.
/// </summary>
/// <remarks>
/// The intercept is liblinear's: a last feature of constant value B (<c>intercept_scaling</c>)
/// whose weight is penalised like the others; the intercept is B times it. The pass stops when the
/// spread of the projected gradient over the active αᵢ is at most the tolerance, after a last
/// check over all of them.
/// </remarks>
internal static class DualCoordinateDescent
{
    // liblinear skips updates whose projected gradient is this small: they are rounding.
    private const double NegligibleGradient = 1e-12;

    /// <summary>Solves one binary problem; returns the weights (F, then the bias feature's) and the passes made.</summary>
    /// <param name="x">The samples, dense or sparse.</param>
    /// <param name="y">±1 labels.</param>
    /// <param name="cost">Each sample's Cᵢ (C times its class weight).</param>
    /// <param name="squaredHinge">L2 loss (true) or L1 loss.</param>
    /// <param name="bias">The constant of the bias feature, or 0 for none.</param>
    /// <param name="tol">The stopping tolerance on the projected gradient.</param>
    /// <param name="maxIter">The most passes.</param>
    /// <param name="generator">The source of each pass's random order.</param>
    public static (double[] Weights, int Passes) Solve(SampleRows x, double[] y, double[] cost, bool squaredHinge, double bias,
        double tol, int maxIter, Generator generator)
    {
        int n = x.Count, f = x.Features;
        var w = new double[f + 1];
        var alpha = new double[n];
        var diagonal = new double[n];
        var upper = new double[n];
        var squaredNorm = new double[n];
        var index = new int[n];
        for (int i = 0; i < n; i++)
        {
            // L2 loss: Dᵢᵢ = 1/(2Cᵢ) and no upper bound; L1 loss: Dᵢᵢ = 0 and αᵢ ≤ Cᵢ.
            diagonal[i] = squaredHinge ? 0.5 / cost[i] : 0;
            upper[i] = squaredHinge ? double.PositiveInfinity : cost[i];
            squaredNorm[i] = diagonal[i] + x.SquaredNorm(i) + bias * bias;
            index[i] = i;
        }

        int active = n, passes = 0;
        double projectedMaxOld = double.PositiveInfinity, projectedMinOld = double.NegativeInfinity;
        var weights = w.AsSpan(0, f);
        while (passes < maxIter)
        {
            double projectedMax = double.NegativeInfinity, projectedMin = double.PositiveInfinity;
            for (int i = 0; i < active; i++)
            {
                int j = i + generator.NextInt(active - i);
                (index[i], index[j]) = (index[j], index[i]);
            }
            for (int s = 0; s < active; s++)
            {
                int i = index[s];
                double yi = y[i];
                double gradient = yi * (x.Dot(i, weights) + w[f] * bias) - 1 + alpha[i] * diagonal[i];
                double projected = 0;
                if (alpha[i] == 0)
                {
                    if (gradient > projectedMaxOld)
                    {
                        // Shrink: this αᵢ sits at 0 and wants to stay there.
                        active--;
                        (index[s], index[active]) = (index[active], index[s]);
                        s--;
                        continue;
                    }
                    if (gradient < 0) projected = gradient;
                }
                else if (alpha[i] == upper[i])
                {
                    if (gradient < projectedMinOld)
                    {
                        active--;
                        (index[s], index[active]) = (index[active], index[s]);
                        s--;
                        continue;
                    }
                    if (gradient > 0) projected = gradient;
                }
                else
                {
                    projected = gradient;
                }
                projectedMax = Math.Max(projectedMax, projected);
                projectedMin = Math.Min(projectedMin, projected);
                if (Math.Abs(projected) > NegligibleGradient)
                {
                    double old = alpha[i];
                    alpha[i] = Math.Min(Math.Max(alpha[i] - gradient / squaredNorm[i], 0), upper[i]);
                    double step = (alpha[i] - old) * yi;
                    x.AddScaled(i, step, weights);
                    w[f] += step * bias;
                }
            }
            passes++;
            if (projectedMax - projectedMin <= tol)
            {
                if (active == n) break;
                // Converged on the active set: check every αᵢ once more before stopping.
                active = n;
                projectedMaxOld = double.PositiveInfinity;
                projectedMinOld = double.NegativeInfinity;
                continue;
            }
            projectedMaxOld = projectedMax <= 0 ? double.PositiveInfinity : projectedMax;
            projectedMinOld = projectedMin >= 0 ? double.NegativeInfinity : projectedMin;
        }
        return (w, passes);
    }
}
