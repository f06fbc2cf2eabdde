namespace Nabla.Calculus;

/// <summary>
/// Ridders' extrapolation of a symmetric difference quotient D(h) to h → 0 (Numerical Recipes,
/// <c>dfridr</c>). D(h) differs from the derivative by a power series in h², so a Neville tableau over
/// steps shrinking by 1.4 removes one more power per column. Each entry's error is estimated from
/// the two entries it was made from; a component keeps its best entry and stops when the tableau's
/// diagonal moves by more than twice that error, which is round-off taking over from truncation.
/// An entry's error is never taken below the round-off it carries, propagated through the tableau
/// from the quotients' round-off: where f rounds to the same values on both sides (sigmoid far out on
/// its tail) the tableau agrees with itself perfectly and would otherwise claim no error at all.
/// Several components (the outputs of a Jacobian column) share one evaluation per step.
/// </summary>
internal static class RiddersExtrapolation
{
    private const double Shrink = 1.4, Shrink2 = Shrink * Shrink, Safe = 2;
    private const int Rows = 10;

    /// <summary>
    /// Writes the difference quotient D(h) of every component into <paramref name="values"/>, and a
    /// bound on its round-off (machine epsilon times the sum of the |f| it combined, over the divisor) into <paramref name="roundOff"/>.
    /// </summary>
    internal delegate void DifferenceQuotient(double h, Span<double> values, Span<double> roundOff);

    /// <summary>
    /// Extrapolates from the first step <paramref name="h0"/>; a component whose quotient is never
    /// finite ends with value NaN and error +∞.
    /// </summary>
    internal static void Extrapolate(DifferenceQuotient quotient, double h0, Span<double> value, Span<double> error)
    {
        int count = value.Length;
        var previous = new double[count, Rows];
        var current = new double[count, Rows];
        var previousNoise = new double[count, Rows];
        var currentNoise = new double[count, Rows];
        var stopped = new bool[count];
        var d = new double[count];
        var roundOff = new double[count];
        value.Fill(double.NaN);
        error.Fill(double.PositiveInfinity);
        int active = count;
        double h = h0;
        for (int row = 0; row < Rows && active > 0; row++, h /= Shrink)
        {
            quotient(h, d, roundOff);
            for (int c = 0; c < count; c++)
            {
                if (stopped[c]) continue;
                if (!double.IsFinite(d[c]))
                {
                    // Outside f's domain or past an overflow: the rows so far are all there is.
                    stopped[c] = true;
                    active--;
                    continue;
                }
                current[c, 0] = d[c];
                currentNoise[c, 0] = roundOff[c];
                double factor = Shrink2;
                for (int j = 1; j <= row; j++)
                {
                    current[c, j] = (current[c, j - 1] * factor - previous[c, j - 1]) / (factor - 1);
                    currentNoise[c, j] = (currentNoise[c, j - 1] * factor + previousNoise[c, j - 1]) / (factor - 1);
                    factor *= Shrink2;
                    double e = Math.Max(currentNoise[c, j], Math.Max(Math.Abs(current[c, j] - current[c, j - 1]), Math.Abs(current[c, j] - previous[c, j - 1])));
                    if (e <= error[c])
                    {
                        error[c] = e;
                        value[c] = current[c, j];
                    }
                }
                if (row > 0 && Math.Abs(current[c, row] - previous[c, row - 1]) >= Safe * error[c])
                {
                    stopped[c] = true;
                    active--;
                }
            }
            (previous, current) = (current, previous);
            (previousNoise, currentNoise) = (currentNoise, previousNoise);
        }
    }
}
