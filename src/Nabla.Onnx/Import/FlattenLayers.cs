using Nabla.NN;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// Flatten at axis 1, and a Reshape to [batch, -1] (to a constant shape, or to one computed from the input's,
/// as PyTorch exports <c>x.view(x.size(0), -1)</c>): a <see cref="Flatten"/> of each sample into one vector.
/// </summary>
internal static class FlattenLayers
{
    /// <summary>Flatten, which must keep the batch axis apart (axis 1).</summary>
    public static MatchedLayer Flatten(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 1, 1);
        long axis = new NodeAttributes(graph, node, "axis").Int("axis", 1);
        return new MatchedLayer(node.Input[0], node.Output[0], [node], input =>
        {
            if (axis != 1 && axis != -input.Length)
                throw graph.Error(node, $"axis = {axis} is not supported; Nabla flattens each sample (axis 1)");
            return Flattened(graph, node, input);
        });
    }

    /// <summary>Reshape to [batch, -1], [batch, n], [0, -1] or [-1, n], n the values of a sample.</summary>
    public static MatchedLayer Reshape(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 2, 2);
        bool allowZero = new NodeAttributes(graph, node, "allowzero").Int("allowzero", 0) != 0;
        string data = node.Input[0], shape = node.Input[1];
        var nodes = new List<NodeProto> { node };
        nodes.AddRange(ShapeComputation.Nodes(graph, shape, data));
        return new MatchedLayer(data, node.Output[0], nodes, input =>
        {
            var target = new ShapeComputation(graph, data, input).Evaluate(shape, node);
            long count = SampleShape.Count(input) ?? -1;
            bool batchFirst = target.Length == 2 && (target[0] == ShapeComputation.Batch || (target[0] == 0 && !allowZero) || (target[0] == -1 && target[1] == count));
            if (!batchFirst || (target[1] != -1 && target[1] != count))
            {
                string text = string.Join(", ", target.Select(d => d == ShapeComputation.Batch ? "batch" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                throw graph.Error(node, $"it reshapes per-sample shape {SampleShape.Format(input)} to [{text}]; Nabla reads a Reshape only to [batch, -1], a flatten of each sample");
            }
            return Flattened(graph, node, input);
        });
    }

    private static BuiltLayer Flattened(OnnxGraph graph, NodeProto node, int[] input) =>
        new(new Flatten(), [SampleShape.Count(input) ?? throw graph.Error(node, $"the per-sample shape {SampleShape.Format(input)} has more values than one vector holds")]);
}
