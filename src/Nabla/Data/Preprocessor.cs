using System.Text;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// What turns a data file into a model's inputs, fitted once and saved as JSON inside the model file,
/// so predicting on a new file prepares it exactly as training did. Each kind has its own JSON
/// (<c>"kind": "tabular"</c> for CSV tables, <c>"kind": "image"</c> for IDX images, <c>"kind": "ratings"</c>
/// for the (user, item) ids of a recommender's CSV table) and its own
/// transforms; <see cref="FromJson"/> reads any of them.
/// </summary>
public abstract class Preprocessor
{
    private readonly string[] _classes;
    private readonly Dictionary<string, int> _classIndex;

    private protected Preprocessor(string[] classLabels)
    {
        _classes = classLabels;
        _classIndex = LabelOrder.IndexOf(classLabels, "class labels");
    }

    /// <summary>The value of the JSON's "kind" field: "tabular", "image" or "ratings".</summary>
    public abstract string Kind { get; }

    /// <summary>What the model predicts: classification or regression.</summary>
    public abstract ModelTask Task { get; }

    /// <summary>The class labels in the order of the class indices; empty for regression.</summary>
    public IReadOnlyList<string> ClassLabels => _classes;

    /// <summary>The shape of one prepared sample: [features] for a table, [channels, height, width] for images, [2] for (user, item) ids.</summary>
    public abstract IReadOnlyList<int> SampleShape { get; }

    /// <summary>The fitted preprocessing as JSON, read back by <see cref="FromJson"/>.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("kind", Kind);
            WriteFields(json);
            if (_classes.Length > 0)
            {
                json.WriteStartArray("classes");
                foreach (string label in _classes) json.WriteStringValue(label);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Reads the JSON of a tabular, image or ratings preprocessor, choosing the kind from its "kind" field (a text
    /// one, which the text layer above this one defines, is read by <c>TextPreprocessor.ReadJson</c>, and by
    /// <c>ModelPipeline</c> with the others).
    /// </summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, the kind unknown, or a field missing or wrong (named).</exception>
    public static Preprocessor FromJson(string json) => FromParsed(StrictJson.Parse(json, "Preprocessing JSON"));

    /// <summary>Reads parsed preprocessing JSON of the kinds <see cref="FromJson(string)"/> reads.</summary>
    /// <exception cref="InvalidDataException">The kind is unknown, or a field missing or wrong (named).</exception>
    internal static Preprocessor FromParsed(StrictJson root)
    {
        return root.OneOf("kind", TabularPreprocessor.KindName, ImagePreprocessor.KindName, RatingsPreprocessor.KindName) switch
        {
            TabularPreprocessor.KindName => TabularPreprocessor.FromJson(root),
            RatingsPreprocessor.KindName => RatingsPreprocessor.FromJson(root),
            _ => ImagePreprocessor.FromJson(root),
        };
    }

    /// <summary>Writes the kind's own fields; "kind" and "classes" are written around them.</summary>
    private protected abstract void WriteFields(Utf8JsonWriter json);

    /// <summary>The class index of <paramref name="label"/>; false for a label not seen in training.</summary>
    private protected bool TryGetClassIndex(string label, out int index) => _classIndex.TryGetValue(label, out index);

    /// <summary>
    /// The class index of every row's label in <paramref name="column"/>, Int32 [rows].
    /// </summary>
    /// <exception cref="InvalidDataException">A label is missing, or was not seen in training; the message names the file, line and column.</exception>
    private protected Tensor ClassIndices(CsvTable table, CsvColumn column)
    {
        var indices = new int[table.RowCount];
        for (int i = 0; i < indices.Length; i++)
        {
            if (IsMissing(column, i))
                throw new InvalidDataException($"{table.Source}, line {table.LineOf(i)}, column '{column.Name}': the target value is missing.");
            string label = LabelOf(column, i);
            if (!TryGetClassIndex(label, out indices[i]))
                throw new InvalidDataException(
                    $"{table.Source}, line {table.LineOf(i)}, column '{column.Name}': the label '{label}' was not seen in training; the classes are {LabelOrder.DescribeAll(ClassLabels)}.");
        }
        return Tensor.FromArray(indices);
    }

    /// <summary>The distinct labels of the training rows, sorted: numbers by value, text by code point.</summary>
    private protected static string[] ClassesOf(CsvColumn target, IReadOnlyList<int> rows)
    {
        if (target.IsNumeric)
            return [.. LabelOrder.Unique(rows.Select(r => target.Numbers[r]).ToArray()).Select(TransformerState.Text)];
        return LabelOrder.Unique(rows.Select(r => target.Categories[target.Codes[r]]).ToArray());
    }

    /// <summary>A target cell as a label: its text, or its number written as <see cref="ClassesOf"/> writes it.</summary>
    private protected static string LabelOf(CsvColumn column, int row) =>
        column.IsNumeric ? TransformerState.Text(column.Numbers[row]) : column.Categories[column.Codes[row]];

    /// <summary>Whether the cell of <paramref name="column"/> in <paramref name="row"/> is empty.</summary>
    private protected static bool IsMissing(CsvColumn column, int row) => column.IsNumeric ? double.IsNaN(column.Numbers[row]) : column.Codes[row] < 0;

    /// <summary>The "classes" of a classifier's JSON: at least two, each once.</summary>
    private protected static string[] ReadClasses(StrictJson json)
    {
        string[] classes = json.Strings("classes");
        if (classes.Length < 2) throw json.Error($"\"classes\" has {classes.Length} labels; a classifier has at least two");
        if (classes.Distinct(StringComparer.Ordinal).Count() != classes.Length) throw json.Error("\"classes\" holds a label twice");
        return classes;
    }
}
