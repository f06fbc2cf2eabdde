using Nabla.Onnx.Protobuf;
using static Nabla.Onnx.Export.OnnxGraphBuilder;

namespace Nabla.Onnx.Export;

/// <summary>
/// A classifier's graph outputs: the label, String [N], looked up from the class index in an ai.onnx.ml LabelEncoder
/// (Int64 keys, the class names as values); "probabilities", Float [N, classes], when the model has them; "scores",
/// the logits or decision function. A refused row's label is the empty text and its numbers are NaN.
/// </summary>
internal static class ClassifierOutputs
{
    /// <summary>Adds the outputs; returns their names, the label first.</summary>
    public static IReadOnlyList<string> Add(OnnxGraphBuilder graph, IReadOnlyList<string> classes, ModelOutputs outputs, string? refused, OutputNames names, long? batch)
    {
        var index = outputs.ClassIndex!;
        string? refusedRows = null;
        if (refused is not null)
        {
            refusedRows = graph.Node("Reshape", [refused, graph.Int64s("rows", -1)], "refused_rows");
            index = graph.Node("Where", [refusedRows, graph.Int64s("no_class", -1), index], "class_index_or_none");
        }
        var label = graph.Node("LabelEncoder", [index], "label",
            [Ints("keys_int64s", [.. Enumerable.Range(0, classes.Count).Select(i => (long)i)]), Strings("values_strings", classes), String("default_string", "")],
            OnnxDomains.MachineLearning);
        string order = string.Join(", ", classes);
        graph.Output(label, names.Target, $"the predicted class: one of {order}; empty for a row that could not be scored", TensorProto.Types.DataType.String, batch);
        var given = new List<string> { names.Target };
        if (outputs.Probabilities is { } probabilities)
        {
            graph.Output(Refusing(graph, probabilities, refused), names.Probabilities, $"each class's probability, in the order {order}", TensorProto.Types.DataType.Float, batch, classes.Count);
            given.Add(names.Probabilities);
        }
        if (outputs.Scores != outputs.Probabilities)
        {
            graph.Output(Refusing(graph, outputs.Scores, refused), names.Scores, TensorProto.Types.DataType.Float, batch, outputs.ScoreWidth);
            given.Add(names.Scores);
        }
        return given;
    }

    /// <summary>NaN in the refused rows of a Float [N, K] value.</summary>
    public static string Refusing(OnnxGraphBuilder graph, string value, string? refused) =>
        refused is null ? value : graph.Node("Where", [refused, graph.Floats("not_a_number", [float.NaN]), value], $"{value}_or_nan");
}
