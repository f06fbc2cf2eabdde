using System.Globalization;
using System.Text.Json;

namespace Nabla.Training;

/// <summary>
/// The layout of a run log's lines, shared by <see cref="RunLog"/> and <see cref="RunLogReader"/>: the event and
/// field names, times in ISO 8601 with their offset, and numbers that may not be finite.
/// </summary>
/// <remarks>
/// JSON has no NaN or infinity, and a gradient norm can be either (exploding gradients) while an update ratio is NaN
/// when none was measured; such a value is written as the string "NaN", "Infinity" or "-Infinity", as .NET's
/// <c>JsonNumberHandling.AllowNamedFloatingPointLiterals</c> and Python's <c>json</c> module read it.
/// </remarks>
internal static class RunLogFormat
{
    public const string Event = "event", SettingsEvent = "settings", EpochEvent = "epoch", StepEvent = "step", EndEvent = "end";

    /// <summary>How each <see cref="RunOutcome"/> is written, in the enum's order.</summary>
    public static readonly string[] Outcomes = ["completed", "stopped_early", "interrupted", "failed"];

    public static readonly string[] NonFiniteWords = ["NaN", "Infinity", "-Infinity"];

    public static string Time(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteString(name, double.IsNaN(value) ? NonFiniteWords[0] : value > 0 ? NonFiniteWords[1] : NonFiniteWords[2]);
    }

    public static double ParseNonFinite(string word) => word switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        _ => double.NegativeInfinity,
    };
}
