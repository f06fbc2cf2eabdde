namespace Nabla.Text;

/// <summary>
/// Orders strings by Unicode code point, as Python's <c>sorted</c> does (so terms come out in
/// scikit-learn's order), never by culture.
/// </summary>
/// <remarks>
/// UTF-16 ordinal order agrees with code-point order except between a surrogate pair (a code point
/// above U+FFFF) and a unit in U+E000..U+FFFF, which ordinal order puts first: at the first
/// differing unit, those units are moved below the surrogates before comparing.
/// </remarks>
internal sealed class CodePointOrder : IComparer<string>
{
    public static CodePointOrder Instance { get; } = new();

    private CodePointOrder() { }

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
        int common = Math.Min(x.Length, y.Length);
        for (int i = 0; i < common; i++)
            if (x[i] != y[i]) return Rank(x[i]).CompareTo(Rank(y[i]));
        return x.Length.CompareTo(y.Length);
    }

    /// <summary>A unit's place in code-point order: surrogates (U+D800..U+DFFF) after every other BMP unit.</summary>
    private static int Rank(char unit) => unit >= 0xE000 ? unit - 0x800 : char.IsSurrogate(unit) ? unit + 0x2000 : unit;
}
