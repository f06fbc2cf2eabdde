using System.Globalization;

namespace Nabla.Selection;

/// <summary>
/// Reads a search space from one line of text, as the command line's <c>--space</c> option takes it.
/// </summary>
/// <remarks>
/// The grammar (spaces around any part are ignored):
/// <code>
/// space   := entry ( ',' entry )*            a comma inside [ ] or { } belongs to the value
/// entry   := name '=' value
/// name    := a letter, then letters, digits, '_', '-', '.'
/// value   := number '..' number flag*         a range: uniform real numbers from low to high
///          | '{' item ( ';' item )* '}'       a choice of single values
///          | '[' list ( ';' list )* ']'       a choice of lists of numbers (hidden widths)
///          | item                             a fixed value (a choice of one)
/// flag    := ':log'                           uniform on a log scale (low must be above 0)
///          | ':int'                           whole numbers (both ends must be whole)
/// item    := number | word                    a word is text without , ; = : [ ] { } or spaces
/// list    := number ( ',' number )*
/// </code>
/// Example: <c>lr=1e-4..1e-1:log,hidden=[64;128,64],dropout=0..0.5,activation={relu;tanh},layers=1..4:int</c>.
/// A number written without a point or an exponent is an <see cref="int"/>, any other a <see cref="double"/>.
/// </remarks>
internal static class SearchSpaceParser
{
    private static readonly char[] Reserved = [',', ';', '=', ':', '[', ']', '{', '}', ' ', '\t'];

    public static SearchSpace Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text)) throw new FormatException("The search space is empty; write entries such as \"lr=1e-4..1e-1:log\".");
        var space = new SearchSpace();
        foreach (string raw in SplitEntries(text))
        {
            string entry = raw.Trim();
            int equals = entry.IndexOf('=');
            if (equals < 0) throw Bad(entry, "expected name=value");
            string name = entry[..equals].Trim();
            string value = entry[(equals + 1)..].Trim();
            if (!IsName(name)) throw Bad(entry, $"\"{name}\" is not a parameter name (a letter, then letters, digits, '_', '-' or '.')");
            if (space.Parameters.Any(parameter => parameter.Key == name)) throw Bad(entry, $"the parameter \"{name}\" is named twice");
            if (value.Length == 0) throw Bad(entry, "the value is missing");
            space.Add(name, Value(entry, value));
        }
        return space;
    }

    /// <summary>The entries between top-level commas; commas inside brackets or braces stay in their entry.</summary>
    private static List<string> SplitEntries(string text)
    {
        var entries = new List<string>();
        var open = new Stack<char>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '[' or '{')
            {
                if (open.Count > 0) throw new FormatException($"The search space \"{text}\" nests '{c}' at position {i + 1}; brackets and braces do not nest.");
                open.Push(c);
            }
            else if (c is ']' or '}')
            {
                char expected = c == ']' ? '[' : '{';
                if (open.Count == 0 || open.Pop() != expected)
                    throw new FormatException($"The search space \"{text}\" has a '{c}' at position {i + 1} that closes nothing.");
            }
            else if (c == ',' && open.Count == 0)
            {
                entries.Add(text[start..i]);
                start = i + 1;
            }
        }
        if (open.Count > 0) throw new FormatException($"The search space \"{text}\" leaves a '{open.Peek()}' unclosed.");
        entries.Add(text[start..]);
        foreach (string entry in entries)
            if (string.IsNullOrWhiteSpace(entry)) throw new FormatException($"The search space \"{text}\" has an empty entry (two commas in a row, or one at an end).");
        return entries;
    }

    private static ParameterDistribution Value(string entry, string value)
    {
        if (value[0] == '{') return Choice(entry, Inner(entry, value, '}'), list: false);
        if (value[0] == '[') return Choice(entry, Inner(entry, value, ']'), list: true);
        int dots = value.IndexOf("..", StringComparison.Ordinal);
        if (dots >= 0) return Range(entry, value[..dots].Trim(), value[(dots + 2)..].Trim());
        return ParameterDistribution.Choice(Item(entry, value));
    }

    private static string Inner(string entry, string value, char close)
    {
        if (value[^1] != close) throw Bad(entry, $"text follows the closing '{close}'");
        return value[1..^1];
    }

    private static ParameterDistribution Choice(string entry, string inner, bool list)
    {
        var options = inner.Split(';').Select(option => option.Trim()).ToArray();
        if (options.Any(option => option.Length == 0)) throw Bad(entry, "a choice is empty (write at least one value between ';')");
        object[] values = list
            ? options.Select(option => List(entry, option)).ToArray()
            : options.Select(option => Item(entry, option)).ToArray();
        try
        {
            return ParameterDistribution.Choice(values);
        }
        catch (ArgumentException e)
        {
            throw Bad(entry, e.Message);
        }
    }

    private static object List(string entry, string option)
    {
        var numbers = option.Split(',').Select(item => Number(entry, item.Trim())).ToArray();
        return numbers.All(number => number is int)
            ? numbers.Cast<int>().ToArray()
            : numbers.Select(RangeDistribution.Number).ToArray();
    }

    private static ParameterDistribution Range(string entry, string low, string rest)
    {
        string[] parts = rest.Split(':');
        string high = parts[0].Trim();
        var flags = parts.Skip(1).Select(flag => flag.Trim()).ToList();
        foreach (string flag in flags)
        {
            if (flag is not ("log" or "int")) throw Bad(entry, $"unknown range flag \":{flag}\" (expected :log or :int)");
            if (flags.Count(other => other == flag) > 1) throw Bad(entry, $"the flag \":{flag}\" is written twice");
        }
        bool log = flags.Contains("log"), integer = flags.Contains("int");
        double lo = RangeDistribution.Number(Number(entry, low)), hi = RangeDistribution.Number(Number(entry, high));
        if (integer && (!IsWhole(lo) || !IsWhole(hi))) throw Bad(entry, $"an :int range needs whole-number ends, got {low}..{high}");
        if (lo >= hi) throw Bad(entry, $"the range {low}..{high} is empty: its low end must be below its high end");
        if (log && lo <= 0) throw Bad(entry, $"the log range {low}..{high} must start above 0");
        return integer
            ? log ? ParameterDistribution.LogIntUniform((int)lo, (int)hi) : ParameterDistribution.IntUniform((int)lo, (int)hi)
            : log ? ParameterDistribution.LogUniform(lo, hi) : ParameterDistribution.Uniform(lo, hi);
    }

    private static object Item(string entry, string text)
    {
        if (TryNumber(text) is { } number) return number;
        if (text.IndexOfAny(Reserved) >= 0 || text.Contains("..", StringComparison.Ordinal))
            throw Bad(entry, $"\"{text}\" is neither a number nor a word (a word has no , ; = : [ ] {{ }} or spaces)");
        return text;
    }

    private static object Number(string entry, string text) =>
        TryNumber(text) ?? throw Bad(entry, text.Length == 0 ? "a number is missing" : $"\"{text}\" is not a number");

    private static object? TryNumber(string text)
    {
        if (text.Length == 0 || !(char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.')) return null;
        if (text.IndexOfAny(['.', 'e', 'E']) < 0 && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int whole))
            return whole;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsFinite(real) ? real : null;
    }

    private static bool IsWhole(double value) => value == Math.Round(value) && Math.Abs(value) <= int.MaxValue;

    private static bool IsName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static FormatException Bad(string entry, string why) => new($"The search space entry \"{entry}\": {why}.");
}
