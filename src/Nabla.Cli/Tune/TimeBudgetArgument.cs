using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli;

/// <summary>
/// Reads <c>--time-budget</c>: a duration such as 90s, 10m, 1h or 1h30m (hours, minutes, seconds, each a whole or decimal
/// number, largest unit first), or a plain number of seconds; more than 0 and at most a week.
/// </summary>
internal static partial class TimeBudgetArgument
{
    /// <summary>The longest budget taken: a search meant to run longer should be resumed in parts.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(7);

    /// <summary>The option's parser: the duration, or null with the error added to the parse.</summary>
    public static TimeSpan? Parse(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[0].Value.Trim();
        if (Read(text) is { } time)
        {
            if (time > TimeSpan.Zero && time <= Longest) return time;
            result.AddError($"--time-budget must be more than 0 and at most 7 days (168h); got '{text}'.");
            return null;
        }
        result.AddError($"--time-budget must be a duration such as 90s, 10m, 1h or 1h30m (or a number of seconds); got '{text}'.");
        return null;
    }

    private static TimeSpan? Read(string text)
    {
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double plain))
            return double.IsFinite(plain) && plain <= Longest.TotalSeconds ? TimeSpan.FromSeconds(plain) : TimeSpan.MaxValue;
        var match = Duration().Match(text);
        if (!match.Success || text.Length == 0) return null;
        double seconds = 0;
        foreach (var (group, scale) in new[] { ("h", 3600.0), ("m", 60.0), ("s", 1.0) })
            if (match.Groups[group].Success)
                seconds += double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) * scale;
        return seconds <= Longest.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
    }

    [GeneratedRegex(@"^(?:(?<h>\d{1,6}(?:\.\d+)?)h)?(?:(?<m>\d{1,8}(?:\.\d+)?)m(?:in)?)?(?:(?<s>\d{1,10}(?:\.\d+)?)s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
