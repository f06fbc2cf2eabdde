using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

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

    /// <summary>The value of a required-or-defaulted whole-number option.</summary>
    public static T ParseWhole<T>(ArgumentResult result) where T : struct, IBinaryInteger<T>, IMinMaxValue<T> => ReadWhole<T>(result) ?? T.Zero;

    /// <summary>The value of an optional whole-number option (null when the option is given no value).</summary>
    public static T? ParseOptionalWhole<T>(ArgumentResult result) where T : struct, IBinaryInteger<T>, IMinMaxValue<T> => ReadWhole<T>(result);

    /// <summary>
    /// A whole number in decimal digits with an optional sign, in the type's range. The parser's
    /// default message names the .NET type ("as expected type 'System.Int32'"), which users do not know.
    /// </summary>
    private static T? ReadWhole<T>(ArgumentResult result) where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[0].Value;
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T value)) return value;
        string option = OptionName(result, "a whole-number option");
        bool outOfRange = text.Length > 0 && text.TrimStart('-', '+').Length > 0 && text.TrimStart('-', '+').All(char.IsAsciiDigit);
        result.AddError(outOfRange
            ? string.Create(CultureInfo.InvariantCulture, $"{option} must be from {T.MinValue} to {T.MaxValue}; got '{text}'.")
            : $"{option} must be a whole number, such as 30; got '{text}'.");
        return null;
    }

    private static string OptionName(ArgumentResult result, string otherwise) => result.Parent is OptionResult parent ? parent.Option.Name : otherwise;

    private static double? Read(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[0].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) return value;
        string option = OptionName(result, "a number option");
        result.AddError($"{option} must be a number written with a dot for decimals and no thousands separators, such as 0.001 or 1e-3; got '{text}'.");
        return null;
    }
}
