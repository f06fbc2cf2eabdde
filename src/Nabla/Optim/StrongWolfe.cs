using System.Numerics.Tensors;

namespace Nabla.Optim;

/// <summary>
/// The strong Wolfe line search of PyTorch's L-BFGS (<c>_strong_wolfe</c> and
/// <c>_cubic_interpolate</c> in torch/optim/lbfgs.py, themselves ported from Torch7's
/// lswolfe.lua and polyinterp.lua), kept step for step so that the steps it picks are PyTorch's.
/// </summary>
internal static class StrongWolfe
{
    /// <summary>The loss and flat gradient at parameters x + t·d, for a step length t.</summary>
    public delegate (double Loss, double[] Gradient) Objective(double t);

    /// <summary>
    /// Finds a step t along <paramref name="d"/> with sufficient decrease (Armijo, constant
    /// <paramref name="c1"/>) and small slope (curvature, constant <paramref name="c2"/>), starting
    /// from <paramref name="t"/>; <paramref name="f"/>, <paramref name="g"/> and
    /// <paramref name="gtd"/> are the loss, gradient and slope at t = 0.
    /// </summary>
    /// <returns>The loss and gradient at the chosen step, the step, and how many evaluations it took.</returns>
    public static (double Loss, double[] Gradient, double T, int Evaluations) Search(
        Objective objective, double t, double[] d, double f, double[] g, double gtd,
        double c1 = 1e-4, double c2 = 0.9, double toleranceChange = 1e-9, int maxLineSearch = 25)
    {
        double dNorm = Lbfgs.InfinityNorm(d);
        var (fNew, gNew) = objective(t);
        int evaluations = 1;
        double gtdNew = TensorPrimitives.Dot<double>(gNew, d);

        // Bracket an interval that contains a point satisfying the Wolfe criteria.
        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        double[] gPrev = g;
        bool done = false;
        int iteration = 0;
        double[] bracket = [], bracketF = [], bracketGtd = [];
        double[][] bracketG = [];
        while (iteration < maxLineSearch)
        {
            if (fNew > f + c1 * t * gtd || (iteration > 1 && fNew >= fPrev))
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]);
                break;
            }
            if (Math.Abs(gtdNew) <= -c2 * gtd)
            {
                (bracket, bracketF, bracketG) = ([t], [fNew], [gNew]);
                done = true;
                break;
            }
            if (gtdNew >= 0)
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]);
                break;
            }

            // Extrapolate: a cubic fit of the last two points, kept within [t + 0.01(t − tPrev), 10t].
            double minStep = t + 0.01 * (t - tPrev), maxStep = t * 10, previous = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            (tPrev, fPrev, gPrev, gtdPrev) = (previous, fNew, gNew, gtdNew);
            (fNew, gNew) = objective(t);
            evaluations++;
            gtdNew = TensorPrimitives.Dot<double>(gNew, d);
            iteration++;
        }
        if (iteration == maxLineSearch)
            (bracket, bracketF, bracketG) = ([0, t], [f, fNew], [g, gNew]);

        // Zoom: shrink the bracket until a point in it satisfies the criteria.
        bool insufficientProgress = false;
        var (low, high) = bracketF[0] <= bracketF[^1] ? (0, 1) : (1, 0);
        while (!done && iteration < maxLineSearch)
        {
            if (Math.Abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;

            t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);

            // A trial too close to an end of the bracket makes little progress: after two such
            // trials in a row, or one outside the bracket, move it a tenth of the bracket inside.
            double top = Math.Max(bracket[0], bracket[1]), bottom = Math.Min(bracket[0], bracket[1]);
            double eps = 0.1 * (top - bottom);
            if (Math.Min(top - t, t - bottom) < eps)
            {
                if (insufficientProgress || t >= top || t <= bottom)
                {
                    t = Math.Abs(t - top) < Math.Abs(t - bottom) ? top - eps : bottom + eps;
                    insufficientProgress = false;
                }
                else
                {
                    insufficientProgress = true;
                }
            }
            else
            {
                insufficientProgress = false;
            }

            (fNew, gNew) = objective(t);
            evaluations++;
            gtdNew = TensorPrimitives.Dot<double>(gNew, d);
            iteration++;

            if (fNew > f + c1 * t * gtd || fNew >= bracketF[low])
            {
                // Not enough decrease, or not below the lowest point: the trial becomes the high end.
                (bracket[high], bracketF[high], bracketG[high], bracketGtd[high]) = (t, fNew, gNew, gtdNew);
                (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (Math.Abs(gtdNew) <= -c2 * gtd)
                    done = true;
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0)
                    (bracket[high], bracketF[high], bracketG[high], bracketGtd[high]) = (bracket[low], bracketF[low], bracketG[low], bracketGtd[low]);
                (bracket[low], bracketF[low], bracketG[low], bracketGtd[low]) = (t, fNew, gNew, gtdNew);
            }
        }
        return (bracketF[low], bracketG[low], bracket[low], evaluations);
    }

    /// <summary>
    /// The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to
    /// [<paramref name="minBound"/>, <paramref name="maxBound"/>] (the two points when not given);
    /// the middle of the bounds when the cubic has no minimum.
    /// </summary>
    public static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2,
        double? minBound = null, double? maxBound = null)
    {
        double lower = minBound ?? Math.Min(x1, x2), upper = maxBound ?? Math.Max(x1, x2);
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (!(d2Square >= 0)) return (lower + upper) / 2;
        double d2 = Math.Sqrt(d2Square);
        double minPosition = x1 <= x2
            ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
            : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
        return Math.Min(Math.Max(minPosition, lower), upper);
    }
}
