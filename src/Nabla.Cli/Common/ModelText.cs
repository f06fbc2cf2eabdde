using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Text;

namespace Nabla.Cli;

/// <summary>How the model commands (<c>predict</c>, <c>evaluate</c>, <c>info</c>) name a model's task and preparation, and write its numbers, as text and JSON.</summary>
internal static class ModelText
{
    /// <summary>The task as the command line and the model file write it.</summary>
    public static string TaskName(ModelTask task) => task == ModelTask.Classification ? "classification" : "regression";

    /// <summary>How a recommender's ids are read: "user ids, whole numbers" or "user ids, 1,024 labels".</summary>
    private static string IdsText(IdMap ids, string what) =>
        ids.IsLabels ? string.Create(CultureInfo.InvariantCulture, $"{what} ids, {ids.Labels.Count:N0} labels") : $"{what} ids, whole numbers";

    /// <summary>What data the model reads, in words: its CSV columns and target, or its image size.</summary>
    public static string Input(Preprocessor preprocessor) => preprocessor switch
    {
        TabularPreprocessor tabular => $"CSV columns {string.Join(", ", tabular.InputColumns)} ({tabular.FeatureNames.Count} features after encoding), target '{tabular.Target}'",
        RatingsPreprocessor ratings => $"CSV columns {ratings.UserColumn} ({IdsText(ratings.Users, "user")}) and {ratings.ItemColumn} ({IdsText(ratings.Items, "item")}), "
            + (ratings.Target is { } target ? $"target '{target}'" : "interactions without a rating column"),
        TextPreprocessor text => TextInput(text),
        ImagePreprocessor image => string.Create(CultureInfo.InvariantCulture, $"IDX images {image.Height}×{image.Width} pixels, {image.Channels} channel{(image.Channels == 1 ? "" : "s")}, pixels scaled by {image.Scale:G6}"),
        _ => $"{preprocessor.Kind} data",
    };

    /// <summary>A text model's input: its columns, how it tokenizes them, its vocabulary and target.</summary>
    private static string TextInput(TextPreprocessor text)
    {
        var options = text.Options;
        string terms = string.Join(", ", TermKinds(options));
        string words = $"{(options.Tokenizer.Lowercase ? "lower-cased" : "case kept")}, punctuation {(options.Tokenizer.KeepPunctuation ? "kept" : "dropped")}";
        return string.Create(CultureInfo.InvariantCulture,
            $"CSV text column{(text.TextColumns.Count == 1 ? "" : "s")} {string.Join(", ", text.TextColumns)} as {terms} ({words}), up to {options.MaxLength} a text; vocabulary of {text.Vocabulary.Count:N0} terms (seen {options.MinFrequency}+ times{(options.MaxVocabulary is { } most ? $", at most {most:N0}" : "")}, others <unk>); target '{text.Target}'");
    }

    /// <summary>The kinds of terms a text becomes: "words", "word 2-grams", "character 3-grams".</summary>
    public static IEnumerable<string> TermKinds(TextOptions options)
    {
        yield return "words";
        if (options.MaxWordNGram > 1) yield return options.MaxWordNGram == 2 ? "word pairs" : $"word 2- to {options.MaxWordNGram}-grams";
        if (options.CharNGrams is var (min, max)) yield return min == max ? $"character {min}-grams" : $"character {min}- to {max}-grams";
    }

    /// <summary>What a model without a data preparation reads, in words: its number of features (a matrix factorization's two are ids).</summary>
    public static string Input(IReadOnlyList<int> shape) =>
        string.Create(CultureInfo.InvariantCulture, $"{string.Join("×", shape)} features a row; the file holds no data preparation, so predict and evaluate cannot read data files with it");

    /// <summary>An estimator's settings (a JSON object) as name and value, values as JSON writes them; none for a network.</summary>
    public static IEnumerable<(string Name, string Value)> Settings(string? settings) => settings is null
        ? []
        : JsonNode.Parse(settings)!.AsObject().Select(entry =>
            (entry.Key, entry.Value is JsonValue value && value.TryGetValue(out string? text) ? text : entry.Value?.ToJsonString() ?? "null"));

    /// <summary>
    /// A metric or loss as every command shows one: four decimals (0.8729, 54.1235), or four significant
    /// digits with an exponent where four decimals would hide it (3.142e-05) or run long (1.235e+07).
    /// </summary>
    public static string Metric(double value) => value == 0 || !double.IsFinite(value) || (Math.Abs(value) >= 1e-3 && Math.Abs(value) < 1e6)
        ? value.ToString("F4", CultureInfo.InvariantCulture)
        : value.ToString("0.###e+00", CultureInfo.InvariantCulture);

    /// <summary>A Float32 value for JSON: its shortest exact form, or a string for NaN and the infinities, which JSON lacks.</summary>
    public static JsonNode Json(float value) => float.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(CommandOutput.Format(value));

    /// <summary>A tensor's values for JSON, each in its shortest exact form for its type (Float32 from a network, Float64 from an estimator).</summary>
    public static IEnumerable<JsonNode> Json(Tensor values) => values.DType == DType.Float32
        ? values.ToArray<float>().Select(Json)
        : values.ToDoubleArray().Select(CommandOutput.Json);

    /// <summary>Strings as a JSON array.</summary>
    public static JsonArray Json(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
