using System.CommandLine.Parsing;
using System.Globalization;

namespace Nabla.Cli;

/// <summary>
/// Reads a number option the same way whatever the machine's culture: a dot for decimals, an
/// optional exponent, and no group separators. The parser's default reading accepts "0,001" as one
/// thousandth's thousand times (1) and "1,,2" as 12, which would train with a rate the user never
/// wrote; here both are usage errors (exit 2) naming the option and the text.
/// </summary>
internal static class InvariantNumber
{
    /// <summary>The value of a required-or-defaulted number option.</summary>
    public static double Parse(ArgumentResult result) => Read(result) ?? 0;

    /// <summary>The value of an optional number option (null when the option is given no value).</summary>
    public static double? ParseOptional(ArgumentResult result) => Read(result);

    private static double? Read(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[0].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) return value;
        string option = result.Parent is OptionResult parent ? parent.Option.Name : "a number option";
        result.AddError($"{option} must be a number written with a dot for decimals and no thousands separators, such as 0.001 or 1e-3; got '{text}'.");
        return null;
    }
}
