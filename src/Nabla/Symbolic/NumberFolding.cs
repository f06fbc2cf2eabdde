using System.Numerics;

namespace Nabla.Symbolic;

/// <summary>
/// Folds the numbers of a sum or product into one. Numbers that are small fractions p/q
/// (q ≤ <see cref="MaxDenominator"/>; integers, 0.5, 0.1, the double nearest 1/3) fold exactly,
/// as fractions, and the result is the double nearest the exact value: 1/3 − 1 gives the double
/// nearest −2/3, which prints as -2/3 and reads back as the same double, and 0.1 + 0.2 gives 0.3.
/// Other numbers fold in floating point, in sorted order, so the result never depends on the order
/// the terms or factors were written in.
/// </summary>
internal static class NumberFolding
{
    /// <summary>The largest denominator recognised in a fraction.</summary>
    internal const int MaxDenominator = 1000;

    // Numerators stay well inside 2^53, where double arithmetic on integers is exact.
    private const double MaxNumerator = 1e12;
    private static readonly BigInteger s_maxExact = BigInteger.One << 53;

    /// <summary>The sum of <paramref name="values"/> (sorted in place when folded in floating point).</summary>
    public static double Sum(List<double> values)
    {
        if (values.Count == 1) return values[0];
        if (TryFractions(values, out var fractions))
        {
            var (p, q) = (BigInteger.Zero, BigInteger.One);
            foreach (var (fp, fq) in fractions) (p, q) = (p * fq + fp * q, q * fq);
            if (ToDouble(p, q) is double exact) return exact;
        }
        values.Sort();
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum;
    }

    /// <summary>The product of <paramref name="values"/> (sorted in place when folded in floating point).</summary>
    public static double Product(List<double> values)
    {
        if (values.Count == 1) return values[0];
        if (TryFractions(values, out var fractions))
        {
            var (p, q) = (BigInteger.One, BigInteger.One);
            foreach (var (fp, fq) in fractions) (p, q) = (p * fp, q * fq);
            if (ToDouble(p, q) is double exact) return exact;
        }
        values.Sort();
        double product = 1;
        foreach (double v in values) product *= v;
        return product;
    }

    /// <summary>
    /// Whether <paramref name="v"/> is the double nearest p/q for a whole p (|p| &lt; 10¹²) and a q
    /// from 1 to <see cref="MaxDenominator"/>; the smallest such q, with p/q in lowest terms.
    /// </summary>
    public static bool TryFraction(double v, out double p, out double q)
    {
        if (double.IsFinite(v) && Math.Abs(v) * MaxDenominator < MaxNumerator)
        {
            for (q = 1; q <= MaxDenominator; q++)
            {
                p = Math.Round(v * q);
                if (p / q == v) return true;
            }
        }
        p = q = 0;
        return false;
    }

    private static bool TryFractions(List<double> values, out List<(BigInteger P, BigInteger Q)> fractions)
    {
        fractions = new List<(BigInteger, BigInteger)>(values.Count);
        foreach (double v in values)
        {
            if (!TryFraction(v, out double p, out double q)) return false;
            fractions.Add((new BigInteger(p), new BigInteger(q)));
        }
        return true;
    }

    // The double nearest p/q, when both fit in 2^53 after reducing (then p/q in double is correctly rounded).
    private static double? ToDouble(BigInteger p, BigInteger q)
    {
        var g = BigInteger.GreatestCommonDivisor(p, q);
        if (!g.IsZero)
        {
            p /= g;
            q /= g;
        }
        if (BigInteger.Abs(p) > s_maxExact || q > s_maxExact) return null;
        return (double)p / (double)q;
    }
}
