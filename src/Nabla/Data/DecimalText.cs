using System.Globalization;

namespace Nabla.Data;

/// <summary>
/// Parses the numbers of a CSV cell: plain decimals such as "-12.375" on a fast path, everything else
/// (exponents, "Infinity", more than 19 digits) by <see cref="double.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider?, out double)"/>,
/// which also takes NumPy's spelling of infinity, "inf" (any case, with a sign or not).
/// </summary>
/// <remarks>
/// The fast path is Clinger's: when the digits, read as a whole number, are below 2^53 and there are
/// at most 22 digits after the point, both the number and the power of ten are exact doubles, so one
/// division gives the correctly rounded result, bit for bit what <c>double.Parse</c> gives.
/// </remarks>
internal static class DecimalText
{
    private const ulong LargestExactInteger = 1UL << 53;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>The number <paramref name="text"/> spells, in the invariant culture, as <c>double.TryParse</c> with <see cref="NumberStyles.Float"/>, or "inf" as infinity.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+')) (negative, i) = (text[0] == '-', 1);
        ulong mantissa = 0;
        int digits = 0, fractionDigits = 0;
        bool point = false;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if ((uint)(c - '0') <= 9)
            {
                if (++digits > 19) return Slow(text, out value);
                mantissa = mantissa * 10 + (uint)(c - '0');
                if (point) fractionDigits++;
            }
            else if (c == '.' && !point) point = true;
            else return Slow(text, out value);
        }
        if (digits == 0 || mantissa > LargestExactInteger || fractionDigits >= PowersOfTen.Length) return Slow(text, out value);
        value = mantissa / PowersOfTen[fractionDigits];
        if (negative) value = -value;
        return true;
    }

    private static bool Slow(ReadOnlySpan<char> text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        // NumPy, pandas and C write infinity as "inf": a column holding it is numbers, not text.
        var magnitude = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? text[1..] : text;
        if (!magnitude.Equals("inf", StringComparison.OrdinalIgnoreCase)) return false;
        value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        return true;
    }
}
