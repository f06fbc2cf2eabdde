using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Data;
using Nabla.IO;

namespace Nabla.Models;

/// <summary>
/// The metadata entries every model file has, as JSON text inside the header's strings: the task,
/// the classes, the metrics and the training summary, written and read strictly (each entry of the
/// right JSON kind, no name twice).
/// </summary>
internal static class ModelMetadata
{
    /// <summary>The task names a file writes.</summary>
    public static readonly IReadOnlyDictionary<ModelTask, string> TaskNames = new Dictionary<ModelTask, string>
    {
        [ModelTask.Classification] = "classification",
        [ModelTask.Regression] = "regression",
    };

    /// <summary>Whether <paramref name="text"/> is a JSON object.</summary>
    public static bool IsJsonObject(string text)
    {
        try
        {
            using var document = UntrustedJson.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The task a file names.</summary>
    public static ModelTask ReadTask(string name, Func<string, Exception> invalid) =>
        TaskNames.FirstOrDefault(t => t.Value == name) is { Value: not null } named
            ? named.Key
            : throw invalid($"its task is \"{name}\", expected \"classification\" or \"regression\"");

    /// <summary>The "classes" entry: a JSON array of strings, or "null".</summary>
    public static List<string>? ReadClasses(string text, Func<string, Exception> invalid)
    {
        if (text == "null") return null;
        using var document = ParseJson("classes", text, JsonValueKind.Array, invalid);
        var classes = new List<string>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw invalid($"its \"classes\" must hold strings, but item {classes.Count} is {item.GetRawText()}");
            classes.Add(item.GetString()!);
        }
        return classes;
    }

    /// <summary>The "metrics" entry: an object of numbers, the non-finite ones as the strings "NaN", "Infinity" and "-Infinity".</summary>
    public static Dictionary<string, double> ReadMetrics(string text, Func<string, Exception> invalid)
    {
        using var document = ParseJson("metrics", text, JsonValueKind.Object, invalid);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var item in document.RootElement.EnumerateObject())
        {
            double value = item.Value.ValueKind switch
            {
                JsonValueKind.Number => item.Value.GetDouble(),
                JsonValueKind.String when item.Value.GetString() is "NaN" or "Infinity" or "-Infinity" => double.Parse(item.Value.GetString()!, CultureInfo.InvariantCulture),
                _ => throw invalid($"its metric \"{item.Name}\" is {item.Value.GetRawText()}, not a number"),
            };
            if (!metrics.TryAdd(item.Name, value)) throw invalid($"its \"metrics\" names \"{item.Name}\" twice");
        }
        return metrics;
    }

    /// <summary>The "training" entry: an object of strings.</summary>
    public static Dictionary<string, string> ReadTraining(string text, Func<string, Exception> invalid)
    {
        using var document = ParseJson("training", text, JsonValueKind.Object, invalid);
        var training = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in document.RootElement.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String) throw invalid($"its training entry \"{item.Name}\" is {item.Value.GetRawText()}, not a string");
            if (!training.TryAdd(item.Name, item.Value.GetString()!)) throw invalid($"its \"training\" names \"{item.Name}\" twice");
        }
        return training;
    }

    /// <summary>The metrics as a JSON object, the non-finite ones as strings (JSON has no NaN or infinity).</summary>
    public static string MetricsJson(IReadOnlyDictionary<string, double> metrics)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in metrics)
            {
                // An undefined metric (R² of one sample) is still worth keeping.
                if (double.IsFinite(value)) json.WriteNumber(name, value);
                else json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonDocument ParseJson(string key, string text, JsonValueKind kind, Func<string, Exception> invalid)
    {
        JsonDocument document;
        try
        {
            document = UntrustedJson.Parse(text);
        }
        catch (JsonException e)
        {
            throw invalid($"its \"{key}\" is not valid JSON ({e.Message})");
        }
        var actual = document.RootElement.ValueKind;
        if (actual == kind) return document;
        document.Dispose();
        throw invalid($"its \"{key}\" is a JSON {actual}, expected {(kind == JsonValueKind.Array ? "an array" : "an object")}");
    }
}
