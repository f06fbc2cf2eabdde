using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// Reads a graph as a chain of layers, from its output back to its input, and checks that the chain is all the
/// graph does: every node but the constants belongs to one layer, a layer reads only its input and constants,
/// and nothing outside a layer reads what happens inside it. A branch, a skip connection or a second path is
/// refused, naming the node where the graph leaves the chain.
/// </summary>
internal static class LayerChain
{
    /// <summary>The layers of <paramref name="graph"/>, first to last.</summary>
    /// <exception cref="InvalidDataException">An operator is not supported, a layer is not one Nabla has, or the graph is not a chain.</exception>
    public static IReadOnlyList<MatchedLayer> Read(OnnxGraph graph)
    {
        // Every operator is checked first, so an unknown one is named as such wherever it is.
        foreach (var node in graph.Nodes)
            if (!OperatorTable.Knows(node)) throw OperatorTable.Unsupported(graph, node);
        var layers = new List<MatchedLayer>();
        for (string value = graph.Output.Name; value != graph.Input.Name;)
        {
            if (graph.Producer(value) is not { } node || graph.IsConstantNode(node))
                throw graph.Invalid($"the output '{graph.Output.Name}' does not depend on the input '{graph.Input.Name}': '{value}' is a constant");
            var layer = OperatorTable.Read(graph, node);
            layers.Add(layer);
            // Each layer holds a node of its own, so a chain longer than the graph has gone round a loop.
            if (layers.Count > graph.Nodes.Count) throw graph.Invalid("its layers do not lead back to the input");
            value = layer.Input;
        }
        if (layers.Count == 0) throw graph.Invalid($"its output is its input '{graph.Input.Name}': there are no layers");
        layers.Reverse();
        RequireChain(graph, layers);
        return layers;
    }

    private static void RequireChain(OnnxGraph graph, List<MatchedLayer> layers)
    {
        var owner = new Dictionary<NodeProto, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < layers.Count; i++)
            foreach (var node in layers[i].Nodes)
                if (!owner.TryAdd(node, i)) throw graph.Error(node, "it belongs to two layers at once, which a chain of layers cannot express");
        string path = $"the chain of layers from the input '{graph.Input.Name}' to the output '{graph.Output.Name}'";
        foreach (var node in graph.Nodes)
            if (!owner.ContainsKey(node) && !graph.IsConstantNode(node))
                throw graph.Error(node, $"it is not on {path}; Nabla imports a chain, one layer after another (no branch, no second path)");
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            foreach (var node in layer.Nodes)
            {
                foreach (string input in node.Input)
                    if (input.Length > 0 && input != layer.Input && !graph.IsConstant(input) && (graph.Producer(input) is not { } producer || owner[producer] != i))
                        throw graph.Error(node, $"it reads '{input}' from another layer than the one before it (a skip connection or a branch), which {path} cannot express");
                foreach (string output in node.Output.Where(o => o.Length > 0))
                {
                    int reader = output == layer.Output ? i + 1 : i;
                    if (graph.Consumers(output).FirstOrDefault(consumer => owner.GetValueOrDefault(consumer, -1) != reader) is { } other)
                        throw graph.Error(other, $"it reads '{output}', which {(reader == i ? "belongs inside" : "is the output of")} {graph.Describe(node)}'s layer, leaving {path}");
                    if (output == graph.Output.Name && i != layers.Count - 1)
                        throw graph.Error(node, $"it writes the graph's output '{output}' before the last layer");
                }
            }
        }
    }
}
