namespace Nabla.Tests.Symbolic;

/// <summary>
/// The independent numeric check of symbolic derivatives: Ridders' method, central differences
/// f(x ± h)/2h for a shrinking step, extrapolated to h → 0 by Richardson's tableau, keeping the
/// entry with the smallest error estimate (Numerical Recipes, dfridr). Good to about 1e-10
/// relative on smooth functions at ordinary points.
/// </summary>
internal static class NumericDerivative
{
    private const double Shrink = 1.4, Shrink2 = Shrink * Shrink, Safe = 2;
    private const int Table = 10;

    /// <summary>f′(x) with an initial step h (which must keep x ± h inside f's domain) and its error estimate.</summary>
    public static (double Value, double Error) Ridders(Func<double, double> f, double x, double h)
    {
        var a = new double[Table, Table];
        a[0, 0] = (f(x + h) - f(x - h)) / (2 * h);
        double best = a[0, 0], error = double.MaxValue;
        for (int i = 1; i < Table; i++)
        {
            h /= Shrink;
            a[0, i] = (f(x + h) - f(x - h)) / (2 * h);
            double fac = Shrink2;
            for (int j = 1; j <= i; j++)
            {
                a[j, i] = (a[j - 1, i] * fac - a[j - 1, i - 1]) / (fac - 1);
                fac *= Shrink2;
                double e = Math.Max(Math.Abs(a[j, i] - a[j - 1, i]), Math.Abs(a[j, i] - a[j - 1, i - 1]));
                if (e <= error)
                {
                    error = e;
                    best = a[j, i];
                }
            }
            if (Math.Abs(a[i, i] - a[i - 1, i - 1]) >= Safe * error) break;
        }
        return (best, error);
    }

    /// <summary>A starting step that stays well inside the domains the tests use: 5% of |x|, at least 0.005.</summary>
    public static double StepFor(double x) => 0.05 * Math.Max(Math.Abs(x), 0.1);
}
