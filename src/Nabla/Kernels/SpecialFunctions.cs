namespace Nabla.Kernels;

/// <summary>Scalar special functions .NET lacks, accurate to a few ulps in double precision.</summary>
internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>
    /// The error function. For |x| &lt; 3 the everywhere-positive series
    /// erf x = 2/√π · e^(−x²) · Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) (no cancellation, unlike the Taylor series);
    /// beyond, 1 − erfc x with erfc from its continued fraction.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        if (a >= 6) return Math.Sign(x);
        if (a < 3)
        {
            double x2 = a * a, term = a, sum = a;
            for (int n = 1; n < 200 && term > sum * 1e-17; n++)
            {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            return Math.CopySign(TwoOverSqrtPi * Math.Exp(-x2) * sum, x);
        }
        return Math.CopySign(1 - ErfcContinuedFraction(a), x);
    }

    /// <summary>The standard normal distribution function Φ(x) = (1 + erf(x/√2))/2.</summary>
    public static double NormalCdf(double x) => 0.5 * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>erfc(a) for a ≥ 3 by the continued fraction e^(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), Lentz's method.</summary>
    private static double ErfcContinuedFraction(double a)
    {
        const double tiny = 1e-300;
        double f = a, c = a, d = 0;
        for (int n = 1; n < 300; n++)
        {
            double an = n / 2.0;
            d = a + an * d;
            d = Math.Abs(d) < tiny ? 1 / tiny : 1 / d;
            c = a + an / c;
            if (Math.Abs(c) < tiny) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-a * a) / (f * Math.Sqrt(Math.PI));
    }

    /// <summary>log(1 + z), accurate for tiny z (Goldberg's correction of the rounded 1 + z).</summary>
    public static double Log1P(double z)
    {
        double u = 1 + z;
        return u == 1 ? z : Math.Log(u) * z / (u - 1);
    }
}
