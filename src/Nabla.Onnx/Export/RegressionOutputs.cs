using Nabla.Data;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Export;

/// <summary>
/// A regressor's graph output, named after the target column: the model's values in the target's units (a table's
/// standardised target scaled back, v · scale + mean), Float [N] for one target, [N, targets] for more; NaN in a refused row.
/// </summary>
internal static class RegressionOutputs
{
    /// <summary>Adds the output; returns its name.</summary>
    public static IReadOnlyList<string> Add(OnnxGraphBuilder graph, string values, int targets, TabularPreprocessor? tabular, string? refused, string name, long? batch)
    {
        if (tabular is not null)
        {
            var scaled = graph.Node("Mul", [values, graph.Floats("target_scale", [(float)tabular.TargetScale])], "target_scaled");
            values = graph.Node("Add", [scaled, graph.Floats("target_mean", [(float)tabular.TargetMean])], "target");
        }
        values = ClassifierOutputs.Refusing(graph, values, refused);
        if (targets == 1)
        {
            values = graph.Node("Reshape", [values, graph.Int64s("rows", -1)], "prediction");
            graph.Output(values, name, TensorProto.Types.DataType.Float, batch);
        }
        else graph.Output(values, name, TensorProto.Types.DataType.Float, batch, targets);
        return [name];
    }
}
