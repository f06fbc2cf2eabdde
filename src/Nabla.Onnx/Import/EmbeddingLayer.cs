using Nabla.NN;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// Gather of rows of a constant table by the graph's input: an <see cref="Embedding"/> of token ids, the first layer
/// of a text model (PyTorch's <c>nn.Embedding</c>). The ids, Int64 in PyTorch's files, are Int32 in Nabla.
/// </summary>
internal static class EmbeddingLayer
{
    /// <summary>The embedding <paramref name="node"/> looks ids up in.</summary>
    public static MatchedLayer Match(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 2, 2);
        if (new NodeAttributes(graph, node, "axis").Int("axis", 0) != 0 || !graph.IsConstant(node.Input[0]))
            throw graph.Error(node, "Nabla reads a Gather only as an embedding (rows of a constant table, axis 0, picked by token ids) or as a recurrent layer's final state");
        if (node.Input[1] != graph.Input.Name)
            throw graph.Error(node, $"its ids come from '{node.Input[1]}'; an embedding must be the first layer, reading the graph's input '{graph.Input.Name}'");
        var table = graph.Floats(node, node.Input[0], "table");
        if (table.Rank != 2 || table.Length == 0)
            throw graph.Error(node, $"its table has shape {SampleShape.Format(table.Shape)}; an embedding's is [ids, features]");
        return new MatchedLayer(node.Input[1], node.Output[0], [node], input =>
        {
            var embedding = new Embedding(table.Shape[0], table.Shape[1], generator: ModuleWeights.Discarded);
            return new BuiltLayer(ModuleWeights.Load(embedding, ("weight", table)), [.. input, table.Shape[1]]);
        });
    }
}
