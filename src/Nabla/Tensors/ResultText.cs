using System.Globalization;

namespace Nabla;

/// <summary>
/// The text of a result for <c>ToString()</c>, as a record prints, <c>Type { Name = value, … }</c>,
/// but readable: numbers in the invariant culture to 6 significant digits, a value with its error
/// estimate as "v ± e" (the estimate to 3), absent optional values left out, and long lists as their
/// first and last three items and their length instead of a type name.
/// </summary>
/// <param name="type">The name the text starts with.</param>
internal sealed class ResultText(string type)
{
    /// <summary>Lists longer than twice this show only this many items at each end.</summary>
    private const int EdgeItems = 3;

    private readonly List<string> _fields = [];

    /// <summary>Adds a field already formatted.</summary>
    public ResultText Add(string name, string text)
    {
        _fields.Add(name + " = " + text);
        return this;
    }

    /// <summary>Adds a number.</summary>
    public ResultText Add(string name, double value) => Add(name, Number(value));

    /// <summary>Adds a number when there is one; an absent value is left out.</summary>
    public ResultText Add(string name, double? value) => value is { } v ? Add(name, v) : this;

    /// <summary>Adds a count or an index.</summary>
    public ResultText Add(string name, int value) => Add(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a flag, as "true" or "false".</summary>
    public ResultText Add(string name, bool value) => Add(name, value ? "true" : "false");

    /// <summary>Adds a list of numbers, shortened when long (<see cref="List{T}"/>).</summary>
    public ResultText Add(string name, IReadOnlyList<double> values) => Add(name, List(values, Number));

    /// <summary>Adds a value with its error estimate, "v ± e".</summary>
    public ResultText Add(string name, double value, double error) => Add(name, WithError(value, error));

    /// <summary>Adds a text in quotes when there is one; an absent text is left out.</summary>
    public ResultText AddQuoted(string name, string? text) => text is null ? this : Add(name, "\"" + text + "\"");

    /// <summary>The type name and the fields in braces.</summary>
    public override string ToString() => _fields.Count == 0 ? type + " { }" : type + " { " + string.Join(", ", _fields) + " }";

    /// <summary>A number to 6 significant digits, invariant culture.</summary>
    public static string Number(double value) => value.ToString("g6", CultureInfo.InvariantCulture);

    /// <summary>A value and its error estimate, "v ± e", the estimate to 3 significant digits.</summary>
    public static string WithError(double value, double error) => Number(value) + " ± " + error.ToString("g3", CultureInfo.InvariantCulture);

    /// <summary>
    /// "[a, b, c]"; beyond six items the first and last three and the length, "[a, b, c, ..., x, y, z] (n items)".
    /// </summary>
    public static string List<T>(IReadOnlyList<T> items, Func<T, string> format)
    {
        if (items.Count <= 2 * EdgeItems) return "[" + string.Join(", ", items.Select(format)) + "]";
        var shown = items.Take(EdgeItems).Select(format).Append("...").Concat(items.Skip(items.Count - EdgeItems).Select(format));
        return "[" + string.Join(", ", shown) + "] (" + items.Count.ToString(CultureInfo.InvariantCulture) + " items)";
    }
}
