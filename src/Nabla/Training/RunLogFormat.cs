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
    public const string Event = "event", SettingsEvent = "settings", EpochEvent = "epoch", StepEvent = "step", TrialEvent = "trial", EndEvent = "end";

    /// <summary>How each <see cref="RunOutcome"/> is written, in the enum's order.</summary>
    public static readonly string[] Outcomes = ["completed", "stopped_early", "interrupted", "failed"];

    /// <summary>How each <see cref="RunTrialOutcome"/> is written, in the enum's order.</summary>
    public static readonly string[] TrialOutcomes = ["complete", "pruned", "failed"];

    public static readonly string[] NonFiniteWords = ["NaN", "Infinity", "-Infinity"];

    public static string Time(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteString(name, double.IsNaN(value) ? NonFiniteWords[0] : value > 0 ? NonFiniteWords[1] : NonFiniteWords[2]);
    }

    /// <summary>A trial's learning curve as the array <c>"curve"</c> of <c>{"step", "value"}</c> objects.</summary>
    public static void WriteCurve(Utf8JsonWriter writer, IReadOnlyList<RunCurvePoint> curve)
    {
        writer.WriteStartArray("curve");
        foreach (var point in curve)
        {
            writer.WriteStartObject();
            writer.WriteNumber("step", point.Step);
            WriteNumber(writer, "value", point.Value);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>A duration as its seconds: ticks over 10⁷ as a double, which read back and rounded to ticks give the same duration.</summary>
    public static void WriteSeconds(Utf8JsonWriter writer, TimeSpan duration) => writer.WriteNumber("seconds", duration.TotalSeconds);

    /// <summary>
    /// Whether <paramref name="seconds"/> is a duration a log holds: at least 0, and well below the longest
    /// <see cref="TimeSpan"/>, so that rounding it to ticks cannot overflow.
    /// </summary>
    public static bool IsDuration(double seconds) => seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds / 2;

    /// <summary>Named texts (the settings, a trial's parameters) as an array of <c>{"name": ..., "value": ...}</c> objects, in their order.</summary>
    public static void WriteNamedTexts(Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, string>> texts)
    {
        writer.WriteStartArray(name);
        foreach (var (key, value) in texts)
        {
            writer.WriteStartObject();
            writer.WriteString("name", key);
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    public static double ParseNonFinite(string word) => word switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        _ => double.NegativeInfinity,
    };
}
