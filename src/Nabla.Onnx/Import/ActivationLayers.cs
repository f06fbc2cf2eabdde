using Nabla.NN;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// Elementwise activations (Relu, Sigmoid, Tanh, LeakyRelu, Gelu), softmax over the features (Softmax,
/// LogSoftmax), and the nodes that change nothing at inference (Dropout, Identity), which are left out.
/// </summary>
internal static class ActivationLayers
{
    /// <summary>Relu, Sigmoid or Tanh: the Nabla module of the same function.</summary>
    public static MatchedLayer Elementwise(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 1, 1);
        _ = new NodeAttributes(graph, node);
        return Layer(node, () => node.OpType switch
        {
            "Relu" => new ReLU(),
            "Sigmoid" => new Sigmoid(),
            _ => new Tanh(),
        });
    }

    /// <summary>LeakyRelu: x where x &gt; 0, else alpha·x (alpha 0.01 unless given).</summary>
    public static MatchedLayer LeakyRelu(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 1, 1);
        double slope = new NodeAttributes(graph, node, "alpha").Float("alpha", 0.01);
        return Layer(node, () => new LeakyReLU(slope));
    }

    /// <summary>Gelu (opset 20): the exact form, x·Φ(x); the tanh approximation is refused.</summary>
    public static MatchedLayer Gelu(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 1, 1);
        string approximate = new NodeAttributes(graph, node, "approximate").String("approximate", "none");
        if (approximate != "none")
            throw graph.Error(node, $"approximate = \"{approximate}\" is not supported; Nabla's GELU is the exact form, x·Φ(x) (approximate = \"none\")");
        return Layer(node, () => new GELU());
    }

    /// <summary>Softmax or LogSoftmax over the features of a batch of vectors.</summary>
    public static MatchedLayer Softmax(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 1, 1);
        // Before opset 13 the default axis was 1 (with the input seen as 2-D); since, it is the last. On a batch of vectors both are the features.
        long axis = new NodeAttributes(graph, node, "axis").Int("axis", graph.Opset < 13 ? 1 : -1);
        return new MatchedLayer(node.Input[0], node.Output[0], [node], input =>
        {
            if (input.Length != 1 || axis is not (1 or -1))
                throw graph.Error(node, $"it takes axis {axis} of per-sample shape {SampleShape.Format(input)}; Nabla reads {node.OpType} only over the features of a batch of vectors (axis 1)");
            return new BuiltLayer(node.OpType == "Softmax" ? new Softmax(1) : new LogSoftmax(1), input);
        });
    }

    /// <summary>Dropout at inference (no training mode, its mask unread) or Identity: left out of the network.</summary>
    public static MatchedLayer Skipped(OnnxGraph graph, NodeProto node)
    {
        if (node.OpType == "Dropout")
        {
            graph.RequireArity(node, 1, 3);
            _ = new NodeAttributes(graph, node, "ratio", "seed");
            if (OnnxGraph.OptionalInput(node, 2) is { } training)
            {
                var mode = graph.ConstantProto(training) ?? throw graph.Error(node, $"its training_mode '{training}' is computed; Nabla reads it only as the constant false");
                if (!OnnxGraph.IsZero(mode))
                    throw graph.Error(node, "its training_mode is true; Nabla imports the network for inference, where dropout does nothing");
            }
        }
        else
        {
            graph.RequireArity(node, 1, 1);
            _ = new NodeAttributes(graph, node);
        }
        return new MatchedLayer(node.Input[0], node.Output[0], [node], input => new BuiltLayer(null, input));
    }

    /// <summary>A layer of one node whose output has its input's shape.</summary>
    private static MatchedLayer Layer(NodeProto node, Func<Module> module) =>
        new(node.Input[0], node.Output[0], [node], input => new BuiltLayer(module(), input));
}
