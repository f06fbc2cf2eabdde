using Nabla.NN;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// Fully connected layers: Gemm (what PyTorch exports for <c>nn.Linear</c> on a batch of vectors), and MatMul by a
/// constant matrix with or without an Add of a constant bias after it (what it exports on higher-rank inputs and
/// what other exporters write); each becomes a <see cref="Linear"/> with the weight as PyTorch holds it, (out, in).
/// </summary>
internal static class LinearLayers
{
    /// <summary>Gemm: Y = alpha·A·B′ + beta·C, with A the data, B′ = Bᵀ when transB = 1, and C a constant bias.</summary>
    public static MatchedLayer Gemm(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 2, 3);
        var attributes = new NodeAttributes(graph, node, "alpha", "beta", "transA", "transB");
        if (attributes.Int("transA", 0) != 0)
            throw graph.Error(node, "transA = 1 (the data transposed) is not supported; a linear layer reads rows of features");
        var b = Matrix(graph, node, node.Input[1]);
        var weight = attributes.Int("transB", 0) != 0 ? b : b.Transpose(0, 1);
        double alpha = attributes.Float("alpha", 1), beta = attributes.Float("beta", 1);
        if (alpha != 1) weight *= alpha;
        var bias = OnnxGraph.OptionalInput(node, 2) is { } c ? Bias(graph, node, c, weight.Shape[0]) : null;
        if (bias is not null && beta != 1) bias *= beta;
        return new MatchedLayer(node.Input[0], node.Output[0], [node], input => Build(graph, node, input, weight, bias, vectorsOnly: true));
    }

    /// <summary>MatMul of the data by a constant (in, out) matrix: a linear layer without bias.</summary>
    public static MatchedLayer MatMul(OnnxGraph graph, NodeProto node)
    {
        var weight = MatMulWeight(graph, node);
        return new MatchedLayer(node.Input[0], node.Output[0], [node], input => Build(graph, node, input, weight, null, vectorsOnly: false));
    }

    /// <summary>Add of a constant bias to a MatMul's output: one linear layer with bias; any other Add is refused.</summary>
    public static MatchedLayer BiasAdd(OnnxGraph graph, NodeProto add)
    {
        graph.RequireArity(add, 2, 2);
        _ = new NodeAttributes(graph, add);
        int constant = graph.IsConstant(add.Input[1]) ? 1 : graph.IsConstant(add.Input[0]) ? 0 : -1;
        if (constant < 0 || graph.Producer(add.Input[1 - constant]) is not { OpType: "MatMul" } matMul)
            throw graph.Error(add, "Nabla reads an Add only as the bias of a linear layer (a MatMul by a constant matrix, plus a constant), and this one is not");
        var weight = MatMulWeight(graph, matMul);
        var bias = Bias(graph, add, add.Input[constant], weight.Shape[0]);
        return new MatchedLayer(matMul.Input[0], add.Output[0], [add, matMul], input => Build(graph, matMul, input, weight, bias, vectorsOnly: false));
    }

    /// <summary>The (out, in) weight of a MatMul by a constant (in, out) matrix.</summary>
    private static Tensor MatMulWeight(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 2, 2);
        _ = new NodeAttributes(graph, node);
        if (!graph.IsConstant(node.Input[1]))
            throw graph.Error(node, $"its second operand '{node.Input[1]}' is computed, not a constant; Nabla reads a MatMul only as the data times a constant matrix (a linear layer)");
        return Matrix(graph, node, node.Input[1]).Transpose(0, 1);
    }

    private static Tensor Matrix(OnnxGraph graph, NodeProto node, string value)
    {
        var matrix = graph.Floats(node, value, "weight");
        if (matrix.Rank != 2 || matrix.Length == 0)
            throw graph.Error(node, $"its weight '{value}' has shape {SampleShape.Format(matrix.Shape)}; a linear layer's is a non-empty matrix");
        return matrix;
    }

    /// <summary>A bias of <paramref name="outFeatures"/> values: [out], or broadcast to it from ones ([1, out]) or from one value.</summary>
    private static Tensor Bias(OnnxGraph graph, NodeProto node, string value, int outFeatures)
    {
        var bias = graph.Floats(node, value, "bias");
        var shape = bias.Shape;
        if (bias.Length == 1) return Tensor.Full([outFeatures], bias.Item());
        if (bias.Length == outFeatures && shape.Count > 0 && shape[^1] == outFeatures) return bias.Reshape(outFeatures);
        throw graph.Error(node, $"its bias '{value}' has shape {SampleShape.Format(shape)}, which does not add one value per output feature ({outFeatures})");
    }

    private static BuiltLayer Build(OnnxGraph graph, NodeProto node, int[] input, Tensor weight, Tensor? bias, bool vectorsOnly)
    {
        int outFeatures = weight.Shape[0], inFeatures = weight.Shape[1];
        if ((vectorsOnly && input.Length != 1) || input.Length == 0 || input[^1] != inFeatures)
            throw graph.Error(node, $"its weight reads {inFeatures} features, but the per-sample shape reaching it is {SampleShape.Format(input)}");
        var linear = new Linear(inFeatures, outFeatures, bias: bias is not null, generator: ModuleWeights.Discarded);
        return new BuiltLayer(ModuleWeights.Load(linear, ("weight", weight), ("bias", bias)), [.. input[..^1], outFeatures]);
    }
}
