using System.Globalization;
using System.Text;
using Nabla.Data;
using Nabla.IO;

namespace Nabla.Models;

/// <summary>
/// What a model says about each row of a data file: for classification the class (its index and
/// label) and, when the model has them, the probability of every class; for regression the value, in
/// the target's own units. Made by <see cref="ModelPipeline.Predict(string, CsvLimits?)"/>. Numbers are Float32
/// for a network and Float64 for an estimator, as each computes them.
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

    /// <summary>
    /// What the user must know about some rows to trust their predictions, one sentence each: for a recommender, the rows whose
    /// user or item was not seen in training (predicted from what is known, not from factors). Empty when there is nothing to say.
    /// </summary>
    public IReadOnlyList<string> Notes { get; internal set; } = [];

    /// <summary>Whether the rows were classified or given values.</summary>
    public ModelTask Task { get; }

    /// <summary>The number of rows predicted.</summary>
    public int Count => Outputs.Shape[0];

    /// <summary>The class labels in output order (classification); empty for regression.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// The model's raw outputs (<see cref="ModelFile.Predict"/>): a network's logits or standardised values, [rows, outputs]; an estimator's
    /// decision function, probabilities or (standardised) values.
    /// </summary>
    public Tensor Outputs { get; }

    /// <summary>The predicted class of each row (the largest output), Int32 [rows]; null for regression.</summary>
    public Tensor? ClassIndices { get; }

    /// <summary>
    /// The probability of each class, [rows, classes], each row summing to 1: a network's softmax (Float32), an estimator's
    /// probabilities (Float64); null for regression and for a classifier without probabilities (<see cref="Estimators.LinearSvc"/>, ...).
    /// </summary>
    public Tensor? Probabilities { get; }

    /// <summary>The predicted value of each row in the target's units, [rows] (Float32 for a network, Float64 for an estimator); null for classification.</summary>
    public Tensor? Values { get; }

    /// <summary>The predicted class label of each row; empty for regression.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>
    /// Writes the predictions as CSV with a header: <c>prediction</c> (the label) and, when the model
    /// gives probabilities, one <c>probability_&lt;class&gt;</c> column per class for classification,
    /// <c>prediction</c> (the value) for regression; one line per row, numbers in the shortest form
    /// that reads back exactly in their type, fields quoted when needed.
    /// </summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("prediction");
        if (Probabilities is not null)
            foreach (string label in Classes) writer.Write("," + Csv.Field("probability_" + label));
        writer.Write('\n');
        if (Task == ModelTask.Regression)
        {
            foreach (string value in Numbers(Values!)) writer.Write(value + "\n");
            return;
        }
        string[] probabilities = Probabilities is null ? [] : Numbers(Probabilities);
        int classes = Probabilities is null ? 0 : Classes.Count;
        var line = new StringBuilder();
        for (int row = 0; row < Count; row++)
        {
            line.Clear().Append(Csv.Field(_labels[row]));
            for (int c = 0; c < classes; c++) line.Append(',').Append(probabilities[row * classes + c]);
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

    /// <summary>
    /// Each value in its shortest round-trip form for its type: a Float32 value with a Float32's digits (more would
    /// only be noise), a Float64 value with a double's.
    /// </summary>
    private static string[] Numbers(Tensor values) => values.DType == DType.Float32
        ? [.. values.ToArray<float>().Select(v => v.ToString(CultureInfo.InvariantCulture))]
        : [.. values.ToDoubleArray().Select(v => v.ToString(CultureInfo.InvariantCulture))];
}
