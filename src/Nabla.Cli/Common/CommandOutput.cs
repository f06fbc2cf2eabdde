using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nabla.Cli;

/// <summary>How every command writes numbers and JSON: one spelling of a number, one JSON line on standard output.</summary>
internal static class CommandOutput
{
    /// <summary>Variable values as a JSON object, with <see cref="Json(double)"/> numbers.</summary>
    public static JsonObject Json(IReadOnlyDictionary<string, double> values)
    {
        var json = new JsonObject();
        foreach (var (name, x) in values) json[name] = Json(x);
        return json;
    }

    /// <summary>Writes one JSON object on one line to standard output.</summary>
    public static void WriteJson(JsonObject json) =>
        // Relaxed escaping keeps "+" and "\" readable; the output is never embedded in HTML.
        Console.Out.WriteLine(json.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    /// <summary>A number as text: the shortest form that reads back to the same double; −0, which equals 0, as 0.</summary>
    public static string Format(double value) => value == 0 ? "0" : value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');

    /// <summary>A number to three significant digits, for error estimates: 1.05e-10.</summary>
    public static string Brief(double value) => value.ToString("G3", CultureInfo.InvariantCulture).Replace('E', 'e');

    /// <summary>A number for JSON, where NaN and the infinities, which JSON lacks, are the strings "NaN", "Infinity", "-Infinity".</summary>
    public static JsonNode Json(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(Format(value));
}
