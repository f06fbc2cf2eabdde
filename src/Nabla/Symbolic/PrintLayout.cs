using System.Globalization;

namespace Nabla.Symbolic;

/// <summary>
/// The conventional reading of a tree, shared by the text and LaTeX printers: which sum terms are
/// subtracted, what goes above and below a fraction bar, and how numbers are written. A layout
/// only changes how a tree is shown, never the tree, and parsing the shown text gives back the
/// same simplified tree.
/// </summary>
internal static class PrintLayout
{
    /// <summary>Decimals at least this long (0.6666666666666666) are candidates for a p/q form.</summary>
    private const int LongDecimalLength = 12;

    /// <summary>
    /// The terms of a sum in display order, each with whether it is subtracted and its magnitude.
    /// When the first term is negative and another is not, that other one leads (1 - x, not -x + 1).
    /// </summary>
    public static List<(bool Negative, Expr Magnitude)> SumTerms(Sum s)
    {
        var terms = s.Terms.ToList();
        if (IsNegative(terms[0]))
        {
            int lead = terms.FindIndex(t => !IsNegative(t));
            if (lead > 0)
            {
                var t = terms[lead];
                terms.RemoveAt(lead);
                terms.Insert(0, t);
            }
        }
        return [.. terms.Select(t => IsNegative(t) ? (true, Negated(t)) : (false, t))];
    }

    /// <summary>
    /// A product as a sign, the factors above the bar and those below it: factors raised to a
    /// negative number go below with the exponent's sign flipped, and a coefficient 1/k goes below as k.
    /// Only a leading number counts as the coefficient.
    /// </summary>
    public static (bool Negative, List<Expr> Numerator, List<Expr> Denominator) Fraction(Product p)
    {
        var factors = p.Factors;
        double coefficient = 1;
        int start = 0;
        if (factors[0] is Number c)
        {
            coefficient = c.Value;
            start = 1;
        }
        var numerator = new List<Expr>();
        var denominator = new List<Expr>();
        for (int i = start; i < factors.Count; i++)
        {
            if (Reciprocal(factors[i]) is Expr below) denominator.Add(below);
            else numerator.Add(factors[i]);
        }
        double magnitude = Math.Abs(coefficient);
        if (magnitude != 1)
        {
            if (ReciprocalInteger(magnitude) is double k) denominator.Insert(0, new Number(k));
            else if (AsFraction(magnitude) is var (top, bottom))
            {
                if (top != 1) numerator.Insert(0, new Number(top));
                denominator.Insert(0, new Number(bottom));
            }
            else numerator.Insert(0, new Number(magnitude));
        }
        return (coefficient < 0, numerator, denominator);
    }

    /// <summary>
    /// For b^(−n) with a positive number n, the denominator b^n (b when n = 1); otherwise null.
    /// 0^−1 (infinite) stays as written: "x/(2*0)" would read back as x/0, a different tree.
    /// </summary>
    public static Expr? Reciprocal(Expr e) => e is Power { Exponent: Number { Value: < 0 } n } p && p.Base is not Number { Value: 0 }
        ? (n.Value == -1 ? p.Base : new Power(p.Base, new Number(-n.Value)))
        : null;

    /// <summary>
    /// Whether a power shows as a square root, sqrt(b), for b^½. Not when b is a number: the
    /// simplifier folds numeric powers and keeps √2 as a call, so (−2)^0.5 written as sqrt(-2)
    /// would read back as a different tree.
    /// </summary>
    public static bool IsSquareRoot(Power p) => p.Exponent is Number { Value: 0.5 } && p.Base is not Number;

    /// <summary>
    /// A positive number as p/q when its decimal form is long (2/3, not 0.6666666666666666) and it
    /// is the double nearest p/q for a q up to 1000, which is what "p/q" simplifies back to (see
    /// <see cref="NumberFolding"/>); otherwise null. Short decimals such as 1.5 stay decimals.
    /// </summary>
    public static (double P, double Q)? AsFraction(double m) =>
        m > 0 && FormatNumber(m).Length >= LongDecimalLength && NumberFolding.TryFraction(m, out double p, out double q) && q > 1
            ? (p, q)
            : null;

    /// <summary>Whether a term shows with a leading minus: a negative number or a product with a negative coefficient.</summary>
    public static bool IsNegative(Expr e) => e switch
    {
        Number n => n.Value < 0,
        Product { Factors: [Number c, ..] } => c.Value < 0,
        _ => false,
    };

    /// <summary>The magnitude of a term for which <see cref="IsNegative"/> holds.</summary>
    public static Expr Negated(Expr e) => e switch
    {
        Number n => new Number(-n.Value),
        Product { Factors: [Number { Value: -1 }, var only] } => only,
        Product { Factors: [Number { Value: -1 }, ..] } p => new Product(p.Factors.Skip(1)),
        Product { Factors: [Number c, ..] } p => new Product([new Number(-c.Value), .. p.Factors.Skip(1)]),
        _ => throw new ArgumentException("Not a negative term.", nameof(e)),
    };

    /// <summary>k when <paramref name="m"/> is the double nearest 1/k for a whole k from 2 to 1000; otherwise null.</summary>
    private static double? ReciprocalInteger(double m) =>
        m is > 0 and < 1 && NumberFolding.TryFraction(m, out double p, out double k) && p == 1 ? k : null;

    /// <summary>The shortest text that parses back to the same double (lower-case exponent, 0 for −0).</summary>
    public static string FormatNumber(double v) =>
        v == 0 ? "0" : v.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
}
