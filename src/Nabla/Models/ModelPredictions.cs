using System.Globalization;
using System.Text;
using Nabla.Data;
using Nabla.IO;

namespace Nabla.Models;

/// <summary>
/// What a model says about each row of a data file: for classification the class (its index and
/// label) and the probability of every class; for regression the value, in the target's own units.
/// Made by <see cref="ModelPipeline.Predict(string)"/>.
/// </summary>
public sealed class ModelPredictions
{
    private readonly string[] _labels;

    internal ModelPredictions(ModelTask task, IReadOnlyList<string> classes, Tensor outputs, Tensor? classIndices, Tensor? probabilities, Tensor? values)
    {
        Task = task;
        Classes = classes;
        Outputs = outputs;
        ClassIndices = classIndices;
        Probabilities = probabilities;
        Values = values;
        _labels = classIndices is null ? [] : [.. classIndices.Int32Data.ToArray().Select(i => classes[i])];
    }

    /// <summary>Whether the rows were classified or given values.</summary>
    public ModelTask Task { get; }

    /// <summary>The number of rows predicted.</summary>
    public int Count => Outputs.Shape[0];

    /// <summary>The class labels in output order (classification); empty for regression.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The network's raw outputs, [rows, outputs]: logits for classification, standardised values for regression.</summary>
    public Tensor Outputs { get; }

    /// <summary>The predicted class of each row (the largest output), Int32 [rows]; null for regression.</summary>
    public Tensor? ClassIndices { get; }

    /// <summary>The softmax of the outputs, Float32 [rows, classes], each row summing to 1; null for regression.</summary>
    public Tensor? Probabilities { get; }

    /// <summary>The predicted value of each row in the target's units, Float32 [rows]; null for classification.</summary>
    public Tensor? Values { get; }

    /// <summary>The predicted class label of each row; empty for regression.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>
    /// Writes the predictions as CSV with a header: <c>prediction</c> (the label) and one
    /// <c>probability_&lt;class&gt;</c> column per class for classification, <c>prediction</c> (the value) for
    /// regression; one line per row, numbers in the shortest form that reads back exactly, fields quoted when needed.
    /// </summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("prediction");
        foreach (string label in Classes) writer.Write("," + CsvField("probability_" + label));
        writer.Write('\n');
        if (Task == ModelTask.Regression)
        {
            foreach (float value in Values!.Float32Data) writer.Write(Number(value) + "\n");
            return;
        }
        var probabilities = Probabilities!.ToDoubleArray();
        int classes = Classes.Count;
        var line = new StringBuilder();
        for (int row = 0; row < Count; row++)
        {
            line.Clear().Append(CsvField(_labels[row]));
            for (int c = 0; c < classes; c++) line.Append(',').Append(Number((float)probabilities[row * classes + c]));
            writer.Write(line.Append('\n'));
        }
    }

    /// <summary>Writes <see cref="WriteCsv(TextWriter)"/>'s text to <paramref name="path"/> in UTF-8, atomically (a reader never sees half a file; a failure leaves the old one).</summary>
    /// <exception cref="IOException">The file could not be written, as when its folder does not exist.</exception>
    public void WriteCsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
            WriteCsv(writer);
        });
    }

    /// <summary>A float in its shortest round-trip form: the values are Float32, so more digits would only be noise.</summary>
    private static string Number(float value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, quote, line break or edge spaces.</summary>
    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : text;
}
