using System.CommandLine.Parsing;
using System.Globalization;

namespace Nabla.Cli;

/// <summary>What <c>--lr</c> was given: a learning rate, or <c>auto</c> to find one with the learning-rate finder first.</summary>
/// <param name="Rate">The learning rate written, or null for <c>auto</c>.</param>
internal readonly record struct LearningRateArgument(double? Rate)
{
    /// <summary>The one word <c>--lr</c> takes besides a number.</summary>
    public const string AutoWord = "auto";

    /// <summary>Whether the rate is to be found by the learning-rate finder (<c>--lr auto</c>).</summary>
    public bool IsAuto => Rate is null;

    /// <summary>
    /// Reads a number (with a dot for decimals and no group separators, as <see cref="InvariantNumber"/>) or
    /// <c>auto</c>; anything else is a usage error naming the option and the text.
    /// </summary>
    public static LearningRateArgument? Parse(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[0].Value;
        if (string.Equals(text.Trim(), AutoWord, StringComparison.OrdinalIgnoreCase)) return new LearningRateArgument(null);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate)) return new LearningRateArgument(rate);
        result.AddError($"--lr must be a number written with a dot for decimals and no thousands separators, such as 0.001 or 1e-3, or {AutoWord} (found by the learning-rate finder); got '{text}'.");
        return null;
    }
}
