namespace Nabla.Calculus;

/// <summary>
/// The n-point Gauss–Legendre rule: exact for polynomials of degree 2n − 1, the fixed rule that
/// NumPy's <c>leggauss</c> gives and Captum's integrated gradients uses by default (50 points on [0, 1]).
/// </summary>
internal static class GaussLegendreRule
{
    /// <summary>
    /// The nodes on [0, 1], ascending, and their weights (summing to 1): the roots of the Legendre
    /// polynomial Pₙ by Newton's method from Tricomi's estimate cos(π(i − ¼)/(n + ½)), mapped from [−1, 1].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="points"/> is less than 1.</exception>
    internal static (double[] Nodes, double[] Weights) OnUnitInterval(int points)
    {
        if (points < 1)
            throw new ArgumentOutOfRangeException(nameof(points), points, $"A Gauss–Legendre rule needs at least 1 point, not {points}.");
        var nodes = new double[points];
        var weights = new double[points];
        for (int i = 0; i < (points + 1) / 2; i++)
        {
            double x = Math.Cos(Math.PI * (i + 0.75) / (points + 0.5));
            double derivative = 0;
            // Newton's method converges quadratically from Tricomi's estimate; stop once a step no
            // longer changes x, with a cap in case rounding makes it oscillate by an ulp.
            for (int iteration = 0; iteration < 100; iteration++)
            {
                (double value, derivative) = Legendre(points, x);
                double step = value / derivative;
                x -= step;
                if (Math.Abs(step) <= 1e-16 * Math.Max(1, Math.Abs(x))) break;
            }
            derivative = Legendre(points, x).Derivative;
            double weight = 2 / ((1 - x * x) * derivative * derivative);
            // x is the i-th largest root; its mirror −x has the same weight.
            nodes[points - 1 - i] = 0.5 * (1 + x);
            nodes[i] = 0.5 * (1 - x);
            weights[points - 1 - i] = weights[i] = 0.5 * weight;
        }
        return (nodes, weights);
    }

    // Pₙ(x) and Pₙ'(x) by Bonnet's recurrence (k + 1)Pₖ₊₁ = (2k + 1)x·Pₖ − k·Pₖ₋₁.
    private static (double Value, double Derivative) Legendre(int n, double x)
    {
        double previous = 1, current = x;
        for (int k = 1; k < n; k++)
            (previous, current) = (current, ((2 * k + 1) * x * current - k * previous) / (k + 1));
        double derivative = n * (x * current - previous) / (x * x - 1);
        return (current, derivative);
    }
}
