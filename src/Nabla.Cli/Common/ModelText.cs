using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Data;

namespace Nabla.Cli;

/// <summary>How the model commands (<c>predict</c>, <c>evaluate</c>, <c>info</c>) name a model's task and preparation, and write its numbers, as text and JSON.</summary>
internal static class ModelText
{
    /// <summary>The task as the command line and the model file write it.</summary>
    public static string TaskName(ModelTask task) => task == ModelTask.Classification ? "classification" : "regression";

    /// <summary>What data the model reads, in words: its CSV columns and target, or its image size.</summary>
    public static string Input(Preprocessor preprocessor) => preprocessor switch
    {
        TabularPreprocessor tabular => $"CSV columns {string.Join(", ", tabular.InputColumns)} ({tabular.FeatureNames.Count} features after encoding), target '{tabular.Target}'",
        ImagePreprocessor image => string.Create(CultureInfo.InvariantCulture, $"IDX images {image.Height}×{image.Width} pixels, {image.Channels} channel{(image.Channels == 1 ? "" : "s")}, pixels scaled by {image.Scale:G6}"),
        _ => $"{preprocessor.Kind} data",
    };

    /// <summary>A metric to four decimals, as <c>nabla train</c> shows them.</summary>
    public static string Metric(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>A Float32 value for JSON: its shortest exact form, or a string for NaN and the infinities, which JSON lacks.</summary>
    public static JsonNode Json(float value) => float.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(CommandOutput.Format(value));

    /// <summary>Strings as a JSON array.</summary>
    public static JsonArray Json(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
