namespace Nabla.Calculus;

/// <summary>
/// Wynn's ε algorithm: extrapolates a sequence S₀, S₁, … to its limit. The even columns of the
/// ε table, ε₂ₖ⁽ⁿ⁾ (the Shanks transform of order k on Sₙ … Sₙ₊₂ₖ), remove k geometric components
/// of the error, so sequences of the form L + Σ cᵢ rᵢⁿ (and polynomial-times-geometric terms, such as
/// h log h for h = 2⁻ⁿ) are summed exactly; recurrence ε₋₁ = 0, ε₀⁽ⁿ⁾ = Sₙ,
/// ε_{k+1}⁽ⁿ⁾ = ε_{k−1}⁽ⁿ⁺¹⁾ + 1 / (εₖ⁽ⁿ⁺¹⁾ − εₖ⁽ⁿ⁾).
/// Each even entry's error is estimated from the two entries above it in its column, which used
/// earlier (less converged) terms: three transforms of one order agreeing by chance on a sequence
/// without a pattern is unlikely. (The previous even column is no yardstick: for S = L + c·2⁻ⁿ the
/// first transform is exact while the terms themselves are off by c·2⁻ⁿ.) The entry with the
/// smallest estimate wins.
/// </summary>
internal static class WynnEpsilon
{
    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>The best extrapolated limit of <paramref name="s"/> with its error estimate; error +∞ when no entry qualifies.</summary>
    internal static (double Value, double Error) Extrapolate(IReadOnlyList<double> s)
    {
        int n = s.Count;
        // table[k][i] = ε_k^(i); a zero difference gives an infinite odd entry, which the next even
        // column turns back into its neighbour (1/∞ = 0) or NaN (∞ − ∞): NaN entries never win.
        var table = new double[n + 1][];
        table[0] = new double[n + 1];   // ε₋₁
        table[1] = [.. s];              // ε₀
        (double Value, double Error) best = (double.NaN, double.PositiveInfinity);
        for (int k = 1; k < n; k++)
        {
            var column = new double[n - k];
            for (int i = 0; i < column.Length; i++)
                column[i] = table[k - 1][i + 1] + 1 / (table[k][i + 1] - table[k][i]);
            table[k + 1] = column;
            if (k % 2 != 0 || k < 2) continue;
            for (int i = 2; i < column.Length; i++)
            {
                double e = column[i];
                if (!double.IsFinite(e) || !MovesToward(s, i, i + k, e)) continue;
                double error = Math.Max(Math.Abs(e - column[i - 1]), Math.Abs(e - column[i - 2]));
                // The Shanks transform divides by second differences, so it cannot be trusted below the
                // rounding of the terms it combined (a slow geometric approach, x^0.01 at 0, loses several digits).
                error = Math.Max(error, 8 * Epsilon * Math.Max(Math.Abs(e), LargestMagnitude(s, i, i + k)));
                if (error < best.Error) best = (e, error);
            }
        }
        return best;
    }

    private static double LargestMagnitude(IReadOnlyList<double> s, int first, int last)
    {
        double largest = 0;
        for (int j = first; j <= last; j++) largest = Math.Max(largest, Math.Abs(s[j]));
        return largest;
    }

    /// <summary>
    /// Whether the terms used came no farther from the candidate at the end than at the start. The
    /// Shanks transform sums a geometrically growing sequence (1/x² at 0) to its "antilimit" 0, a
    /// perfectly self-consistent answer for a sequence that runs away from it.
    /// </summary>
    private static bool MovesToward(IReadOnlyList<double> s, int first, int last, double limit) =>
        Math.Abs(s[last] - limit) <= Math.Abs(s[first] - limit);
}
