using Nabla.Data;
using Nabla.Onnx.Protobuf;
using static Nabla.Onnx.Export.OnnxGraphBuilder;

namespace Nabla.Onnx.Export;

/// <summary>
/// The graph part of a <see cref="TabularPreprocessor"/>: one input per feature column, named after the
/// column, taking the raw cells as <c>nabla predict</c> reads them from a CSV file — a number column as
/// Float [N, 1], a text column as String [N, 1] — and giving the [N, features] Float inputs of the model.
/// </summary>
/// <remarks>
/// A number is standardised, (x − mean) / scale; NaN is its missing value. A text cell is one-hot
/// encoded over the training categories (Equal against them, then Cast), so a category not seen in
/// training is all zeros, as in Nabla; the empty text and NA, N/A, NaN and null in any case are missing.
/// A missing cell takes the column's mean or most frequent category when the model was trained with
/// imputation; otherwise its row is refused, as <c>nabla predict</c> refuses it, and so is an infinite number.
/// </remarks>
internal static class TabularInputs
{
    /// <summary>Adds the inputs and the preprocessing nodes; returns the features and the refused rows.</summary>
    public static ExportedInputs Build(OnnxGraphBuilder graph, TabularPreprocessor preprocessor, long? batch)
    {
        var parts = new List<string>();
        var refused = new List<string>();
        bool impute = preprocessor.Missing == MissingValuePolicy.ImputeMean;
        foreach (var feature in preprocessor.Features)
        {
            if (feature.IsNumeric)
            {
                var input = graph.Input(feature.Name, TensorProto.Types.DataType.Float, batch, 1);
                parts.Add(Standardised(graph, feature, input, impute, refused));
            }
            else
            {
                var input = graph.Input(feature.Name, TensorProto.Types.DataType.String, batch, 1);
                parts.Add(OneHot(graph, feature, input, impute, refused));
            }
        }
        var features = parts.Count == 1 ? parts[0] : graph.Node("Concat", [.. parts], "features", [Int("axis", 1)]);
        string? anyRefused = refused.Count switch
        {
            0 => null,
            1 => refused[0],
            _ => refused.Skip(1).Aggregate(refused[0], (all, next) => graph.Node("Or", [all, next], "refused")),
        };
        return new ExportedInputs(features, anyRefused);
    }

    private static string Standardised(OnnxGraphBuilder graph, TabularFeature feature, string input, bool impute, List<string> refused)
    {
        var missing = graph.Node("IsNaN", [input], $"{feature.Name}:missing");
        refused.Add(graph.Node("IsInf", [input], $"{feature.Name}:infinite"));
        // As Nabla: (x − mean) / scale in Float64, rounded to Float32 once; in Float32 a column of large values with a small spread
        // (areas of 500 to 2,500) would lose digits to the subtraction.
        var value = graph.Node("Cast", [input], $"{feature.Name}:float64", [Int("to", (long)TensorProto.Types.DataType.Double)]);
        var mean = graph.Float64($"{feature.Name}:mean", feature.Mean);
        if (impute)
            value = graph.Node("Where", [missing, mean, value], $"{feature.Name}:imputed");
        else
            refused.Add(missing);
        var centred = graph.Node("Sub", [value, mean], $"{feature.Name}:centred");
        var standardised = graph.Node("Div", [centred, graph.Float64($"{feature.Name}:scale", feature.Scale)], $"{feature.Name}:standardised");
        return graph.Node("Cast", [standardised], $"{feature.Name}:feature", [Int("to", (long)TensorProto.Types.DataType.Float)]);
    }

    private static string OneHot(OnnxGraphBuilder graph, TabularFeature feature, string input, bool impute, List<string> refused)
    {
        int k = feature.Categories.Count;
        var missing = MissingCells.Of(graph, input, feature.Name);
        // [N, 1, K] → [N, K]; a category not seen in training is all zeros (zeros = 1).
        var encoded = graph.Node("OneHotEncoder", [input], $"{feature.Name}:encoded",
            [Strings("cats_strings", feature.Categories), Int("zeros", 1)], OnnxDomains.MachineLearning);
        var oneHot = graph.Node("Reshape", [encoded, graph.Int64s("rows_by_categories", -1, k)], $"{feature.Name}:one_hot");
        if (!impute)
        {
            refused.Add(missing);
            return oneHot;
        }
        var mostFrequent = new float[k];
        mostFrequent[feature.MostFrequent] = 1;
        return graph.Node("Where", [missing, graph.Floats($"{feature.Name}:most_frequent", mostFrequent, 1, k), oneHot], $"{feature.Name}:imputed");
    }
}
