using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// The ONNX operators the import reads: those that end a layer, each with the reader that recognises the layer
/// from its last node back, and those read only as a part of a layer (GELU's Erf, a recurrent layer's LSTM node
/// and Transpose, shape computations). Any other operator, or one of another domain, is refused by name.
/// </summary>
internal static class OperatorTable
{
    private static readonly Dictionary<string, Func<OnnxGraph, NodeProto, MatchedLayer>> Readers = new(StringComparer.Ordinal)
    {
        ["Gemm"] = LinearLayers.Gemm,
        ["MatMul"] = LinearLayers.MatMul,
        ["Add"] = LinearLayers.BiasAdd,
        ["Relu"] = ActivationLayers.Elementwise,
        ["Sigmoid"] = ActivationLayers.Elementwise,
        ["Tanh"] = ActivationLayers.Elementwise,
        ["LeakyRelu"] = ActivationLayers.LeakyRelu,
        ["Gelu"] = ActivationLayers.Gelu,
        ["Mul"] = GeluPattern.Match,
        ["Softmax"] = ActivationLayers.Softmax,
        ["LogSoftmax"] = ActivationLayers.Softmax,
        ["Dropout"] = ActivationLayers.Skipped,
        ["Identity"] = ActivationLayers.Skipped,
        ["Conv"] = ConvolutionLayer.Match,
        ["MaxPool"] = PoolingLayers.Max,
        ["AveragePool"] = PoolingLayers.Average,
        ["Pad"] = PoolingLayers.Pad,
        ["BatchNormalization"] = BatchNormLayer.Match,
        ["Flatten"] = FlattenLayers.Flatten,
        ["Reshape"] = FlattenLayers.Reshape,
        ["Gather"] = (graph, node) => RecurrentLayers.ReadsRecurrent(graph, node) ? RecurrentLayers.FinalState(graph, node) : EmbeddingLayer.Match(graph, node),
        ["Squeeze"] = (graph, node) => RecurrentLayers.ReadsRecurrent(graph, node)
            ? RecurrentLayers.FinalState(graph, node)
            : throw graph.Error(node, "Nabla reads a Squeeze only of a recurrent layer's final hidden state (or in a shape computation)"),
    };

    /// <summary>The operators read only inside a layer, and where.</summary>
    private static readonly Dictionary<string, string> Parts = new(StringComparer.Ordinal)
    {
        ["Div"] = "inside GELU's erf form, x·0.5·(1 + erf(x/√2))",
        ["Erf"] = "inside GELU's erf form, x·0.5·(1 + erf(x/√2))",
        ["LSTM"] = "for its final hidden state, taken by a Gather or Squeeze of Y_h (PyTorch's h[-1])",
        ["GRU"] = "for its final hidden state, taken by a Gather or Squeeze of Y_h (PyTorch's h[-1])",
        ["Transpose"] = "as the [1, 0, 2] transpose of the data before an LSTM or GRU",
        ["ConstantOfShape"] = "as the zero initial state of an LSTM or GRU",
        ["Shape"] = "in shape computations, for a Reshape or a recurrent layer's initial state",
        ["Unsqueeze"] = "in shape computations, for a Reshape or a recurrent layer's initial state",
        ["Concat"] = "in shape computations, for a Reshape or a recurrent layer's initial state",
        ["Slice"] = "in shape computations, for a Reshape or a recurrent layer's initial state",
        ["Cast"] = "in shape computations, for a Reshape or a recurrent layer's initial state",
        ["Constant"] = "as a constant",
    };

    /// <summary>Whether the import knows <paramref name="node"/>'s operator, as a layer or as a part of one.</summary>
    public static bool Knows(NodeProto node) => node.Domain is "" or "ai.onnx" && (Readers.ContainsKey(node.OpType) || Parts.ContainsKey(node.OpType));

    /// <summary>The layer whose last node is <paramref name="node"/>.</summary>
    /// <exception cref="InvalidDataException">The operator is unknown, is read only inside a layer, or the layer is not one Nabla has.</exception>
    public static MatchedLayer Read(OnnxGraph graph, NodeProto node)
    {
        if (!Knows(node)) throw Unsupported(graph, node);
        if (Parts.TryGetValue(node.OpType, out var where)) throw graph.Error(node, $"Nabla reads {node.OpType} only {where}, and this one is not");
        return Readers[node.OpType](graph, node);
    }

    /// <summary>The error for an operator the import does not read, naming it, the node and the file.</summary>
    public static InvalidDataException Unsupported(OnnxGraph graph, NodeProto node)
    {
        string op = node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}.{node.OpType}";
        return graph.Error(node, $"the operator {op} is not supported; Nabla imports {string.Join(", ", Readers.Keys.Order(StringComparer.Ordinal))} (and GELU's erf form, LSTM and GRU)");
    }
}
