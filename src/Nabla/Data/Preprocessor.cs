namespace Nabla.Data;

/// <summary>
/// What turns a data file into a model's inputs, fitted once and saved as JSON inside the model file,
/// so predicting on a new file prepares it exactly as training did. Each kind has its own JSON
/// (<c>"kind": "tabular"</c> for CSV tables, <c>"kind": "image"</c> for IDX images) and its own
/// transforms; <see cref="FromJson"/> reads any of them.
/// </summary>
public abstract class Preprocessor
{
    private protected Preprocessor() { }

    /// <summary>The value of the JSON's "kind" field: "tabular" or "image".</summary>
    public abstract string Kind { get; }

    /// <summary>What the model predicts: <see cref="PredictionTask.Classification"/> or <see cref="PredictionTask.Regression"/>, never Auto.</summary>
    public abstract PredictionTask Task { get; }

    /// <summary>The class labels in the order of the class indices; empty for regression.</summary>
    public abstract IReadOnlyList<string> ClassLabels { get; }

    /// <summary>The shape of one prepared sample: [features] for a table, [channels, height, width] for images.</summary>
    public abstract IReadOnlyList<int> SampleShape { get; }

    /// <summary>The fitted preprocessing as JSON, read back by <see cref="FromJson"/>.</summary>
    public abstract string ToJson();

    /// <summary>Reads the JSON of any kind of preprocessor, choosing the kind from its "kind" field.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, the kind unknown, or a field missing or wrong (named).</exception>
    public static Preprocessor FromJson(string json)
    {
        var root = StrictJson.Parse(json, "Preprocessing JSON");
        return root.OneOf("kind", TabularPreprocessor.KindName, ImagePreprocessor.KindName) switch
        {
            TabularPreprocessor.KindName => TabularPreprocessor.FromJson(root),
            _ => ImagePreprocessor.FromJson(root),
        };
    }
}
