namespace Nabla.Calculus;

/// <summary>
/// Runs Ridders' extrapolation from several first steps and keeps, per component, the result with
/// the smallest error estimate. One first step cannot suit every function: sin x at x = 1000 varies
/// on a scale of 1, log x at x = 0.001 is undefined a step 0.001 to the left, and 1/(1 + x²) at
/// x = 1000 varies on a scale of 1000; the tableau's error estimate tells the good runs from the bad.
/// </summary>
internal static class StepSearch
{
    /// <summary>First steps as fractions of a coordinate's scale max(|x|, 1), largest first.</summary>
    private static readonly double[] s_fractions = [0.5, 0.05, 5e-3, 5e-4, 5e-5, 5e-6];

    /// <summary>The coordinate's scale, max(|x|, 1), by which the fractions are multiplied.</summary>
    internal static double Scale(double x) => Math.Max(Math.Abs(x), 1);

    /// <summary>
    /// The best extrapolation per component over the first steps fraction·scale (and fraction·|x| for
    /// a point <paramref name="x"/> so close to 0 that even the smallest of those may leave f's domain),
    /// or from the single first step <paramref name="initialStep"/> when the caller chose it.
    /// </summary>
    internal static void Extrapolate(RiddersExtrapolation.DifferenceQuotient quotient, double scale, double? initialStep,
        Span<double> value, Span<double> error, double x = 0)
    {
        if (initialStep is double chosen)
        {
            RiddersExtrapolation.Extrapolate(quotient, chosen, value, error);
            return;
        }
        value.Fill(double.NaN);
        error.Fill(double.PositiveInfinity);
        var trialValue = new double[value.Length];
        var trialError = new double[value.Length];
        foreach (double h0 in FirstSteps(scale, Math.Abs(x)))
        {
            RiddersExtrapolation.Extrapolate(quotient, h0, trialValue, trialError);
            for (int c = 0; c < value.Length; c++)
            {
                if (trialError[c] < error[c])
                {
                    value[c] = trialValue[c];
                    error[c] = trialError[c];
                }
            }
        }
    }

    private static List<double> FirstSteps(double scale, double distanceFromZero)
    {
        var steps = s_fractions.Select(fraction => fraction * scale).ToList();
        if (distanceFromZero > 0 && distanceFromZero < 10 * s_fractions[^1])
            steps.AddRange([0.5 * distanceFromZero, 0.05 * distanceFromZero]);
        return steps;
    }
}
