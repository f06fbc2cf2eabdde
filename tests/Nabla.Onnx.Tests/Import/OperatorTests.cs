using Nabla.NN;
using static Nabla.Onnx.Tests.Import.TestGraph;

namespace Nabla.Onnx.Tests.Import;

/// <summary>
/// Each operator and setting the import reads, in small hand-built graphs, against ONNX Runtime: the imported
/// network computes what the runtime does with the same file.
/// </summary>
public sealed class OperatorTests
{
    [Fact]
    public void MatMulAndAdd_OverTheLastAxisOfSequences_IsOneLinearLayer()
    {
        var graph = new TestGraph();
        graph.Input("x", 4, 5);
        graph.Node("MatMul", "product", ["x", graph.Random("w", 1, 5, 3)], ["p"]);
        graph.Node("Add", "bias", [graph.Random("b", 2, 3), "p"], ["y"]);
        graph.Output("y");

        var network = AssertSameAsOnnxRuntime(graph, Inputs(3, [2, 4, 5]));

        Assert.IsType<Linear>(Assert.Single(network));
    }

    [Fact]
    public void MatMulAlone_IsALinearLayerWithoutBias()
    {
        var graph = new TestGraph();
        graph.Input("x", 5);
        graph.Node("MatMul", "product", ["x", graph.Random("w", 1, 5, 3)], ["y"]);
        graph.Output("y");

        var network = AssertSameAsOnnxRuntime(graph, Inputs(4, [3, 5]));

        Assert.Null(Assert.IsType<Linear>(Assert.Single(network)).Bias);
    }

    [Fact]
    public void Gemm_WithAlphaBetaAndAnUntransposedWeight_IsScaledIntoTheLinearLayer()
    {
        var graph = new TestGraph();
        graph.Input("x", 5);
        graph.Node("Gemm", "gemm", ["x", graph.Random("w", 1, 5, 3), graph.Random("c", 2, 1, 3)], ["y"],
            Attribute("alpha", 0.5f), Attribute("beta", 2f), Attribute("transB", 0L));
        graph.Output("y");

        AssertSameAsOnnxRuntime(graph, Inputs(5, [4, 5]));
    }

    [Fact]
    public void Activations_ReluSigmoidTanhLeakyRelu_AreNablasModules()
    {
        var graph = new TestGraph();
        graph.Input("x", 6);
        graph.Node("Relu", "relu", ["x"], ["a"]);
        graph.Node("Gemm", "gemm", ["a", graph.Random("w", 1, 6, 6), graph.Random("b", 2, 6)], ["b1"], Attribute("transB", 1L));
        graph.Node("Sigmoid", "sigmoid", ["b1"], ["c"]);
        graph.Node("Tanh", "tanh", ["c"], ["d"]);
        graph.Node("LeakyRelu", "leaky", ["d"], ["y"], Attribute("alpha", 0.2f));
        graph.Output("y");

        var network = AssertSameAsOnnxRuntime(graph, Inputs(9, [3, 6], scale: 3));

        Assert.Equal([typeof(ReLU), typeof(Linear), typeof(Sigmoid), typeof(Tanh), typeof(LeakyReLU)], network.Select(m => m.GetType()));
        Assert.Equal(0.2, ((LeakyReLU)network[4]).NegativeSlope);
    }

    [Fact]
    public void Gelu_TheOperatorOfOpset20_IsNablasGelu()
    {
        var graph = new TestGraph(opset: 20);
        graph.Input("x", 7);
        graph.Node("Gelu", "gelu", ["x"], ["y"]);
        graph.Output("y");

        var network = AssertSameAsOnnxRuntime(graph, Inputs(6, [4, 7], scale: 4));

        Assert.IsType<GELU>(Assert.Single(network));
    }

    [Fact]
    public void Gelu_WrittenWithErf_GroupedAnotherWay_IsOneGelu()
    {
        // 0.5·x first, then times (erf(x·(1/√2)) + 1) with the constant first: another exporter's order.
        var graph = new TestGraph();
        graph.Input("x", 7);
        graph.Node("Mul", "half", [graph.Weight("half_value", [0.5f]), "x"], ["h"]);
        graph.Node("Mul", "scale", ["x", graph.Weight("inverse_root2", [0.70710677f])], ["s"]);
        graph.Node("Erf", "erf", ["s"], ["e"]);
        graph.Node("Add", "plus_one", [graph.Weight("one", [1f]), "e"], ["p"]);
        graph.Node("Mul", "gelu", ["h", "p"], ["y"]);
        graph.Output("y");

        var network = AssertSameAsOnnxRuntime(graph, Inputs(7, [4, 7], scale: 4));

        Assert.IsType<GELU>(Assert.Single(network));
    }

    [Fact]
    public void Softmax_OfOpset11_AndLogSoftmax_AreOverTheFeatures()
    {
        var graph = new TestGraph(opset: 11);
        graph.Input("x", 5);
        graph.Node("LogSoftmax", "log_softmax", ["x"], ["l"]);
        graph.Node("Softmax", "softmax", ["l"], ["y"]);
        graph.Output("y");

        var network = AssertSameAsOnnxRuntime(graph, Inputs(8, [3, 5], scale: 5));

        Assert.Equal([typeof(LogSoftmax), typeof(Softmax)], network.Select(m => m.GetType()));
    }

    [Fact]
    public void ConvolutionAndPooling_WithStridesAndPadding_AreNablasLayers()
    {
        var graph = new TestGraph();
        graph.Input("x", 2, 9, 8);
        graph.Node("Conv", "conv", ["x", graph.Random("w", 1, 3, 2, 3, 2), graph.Random("b", 2, 3)], ["c"],
            Attribute("strides", 2L, 1L), Attribute("pads", 1L, 0L, 1L, 0L), Attribute("kernel_shape", 3L, 2L));
        graph.Node("MaxPool", "max", ["c"], ["m"], Attribute("kernel_shape", 3L, 3L), Attribute("strides", 2L, 2L), Attribute("pads", 1L, 1L, 1L, 1L));
        graph.Node("AveragePool", "average", ["m"], ["a"], Attribute("kernel_shape", 2L, 2L), Attribute("pads", 1L, 1L, 1L, 1L), Attribute("count_include_pad", 1L));
        graph.Node("AveragePool", "average_excluding_pads", ["a"], ["e"], Attribute("kernel_shape", 2L, 2L), Attribute("pads", 1L, 1L, 1L, 1L));
        graph.Node("Flatten", "flatten", ["e"], ["y"]);
        graph.Output("y");

        var network = AssertSameAsOnnxRuntime(graph, Inputs(10, [2, 2, 9, 8]));

        Assert.Equal([typeof(Conv2d), typeof(MaxPool2d), typeof(AvgPool2d), typeof(AvgPool2d), typeof(Flatten)], network.Select(m => m.GetType()));
        Assert.False(((AvgPool2d)network[3]).CountIncludePad);
    }

    [Fact]
    public void BatchNormalization_OfSequences_IsBatchNorm1d()
    {
        var graph = new TestGraph();
        graph.Input("x", 3, 20);
        graph.Node("BatchNormalization", "sequences", ["x", .. Statistics(graph)], ["y"]);
        graph.Output("y");

        var network = AssertSameAsOnnxRuntime(graph, Inputs(11, [2, 3, 20]));

        Assert.Equal(1e-5, Assert.IsType<BatchNorm1d>(Assert.Single(network)).Eps);
    }

    [Fact]
    public void BatchNormalization_OfImages_IsBatchNorm2d_WithItsEpsilonAndPyTorchsMomentum()
    {
        var graph = new TestGraph();
        graph.Input("x", 3, 4, 5);
        graph.Node("BatchNormalization", "images", ["x", .. Statistics(graph)], ["y"], Attribute("epsilon", 1e-3f), Attribute("momentum", 0.8f));
        graph.Output("y");

        var network = AssertSameAsOnnxRuntime(graph, Inputs(12, [2, 3, 4, 5]));

        var batchNorm = Assert.IsType<BatchNorm2d>(Assert.Single(network));
        Assert.Equal((1e-3, 0.2), (batchNorm.Eps, batchNorm.Momentum!.Value));
    }

    [Theory]
    [InlineData(0L, -1L)]
    [InlineData(-1L, 12L)]
    [InlineData(2L, -1L)]
    public void Reshape_ToAConstantShapeOfBatchAndAllTheRest_IsAFlatten(long first, long second)
    {
        var graph = new TestGraph();
        graph.Input("x", 3, 4);
        graph.Node("Reshape", "reshape", ["x", graph.Ints("shape", first, second)], ["r"]);
        graph.Node("Relu", "relu", ["r"], ["y"]);
        graph.Output("y");

        // A fixed batch of 2 is a reshape of a batch of 2 alone; Nabla reads only the batch-keeping kind.
        if (first == 2)
        {
            var refused = graph.Refused();
            Assert.Contains("to [2, -1]; Nabla reads a Reshape only to [batch, -1]", refused.Message);
            return;
        }
        var network = AssertSameAsOnnxRuntime(graph, Inputs(13, [2, 3, 4]));
        Assert.Equal([typeof(Flatten), typeof(ReLU)], network.Select(m => m.GetType()));
    }

    [Fact]
    public void DropoutAndIdentity_AreLeftOut()
    {
        var graph = new TestGraph();
        graph.Input("x", 4);
        graph.Node("Dropout", "dropout", ["x", graph.Weight("ratio", [0.3f])], ["d"]);
        graph.Node("Identity", "identity", ["d"], ["i"]);
        graph.Node("Tanh", "tanh", ["i"], ["y"]);
        graph.Output("y");

        var network = AssertSameAsOnnxRuntime(graph, Inputs(14, [3, 4]));

        Assert.IsType<Tanh>(Assert.Single(network));
    }

    /// <summary>The scale, bias, running mean and running variance of a batch norm of 3 channels.</summary>
    private static string[] Statistics(TestGraph graph) =>
        [graph.Random("scale", 1, 3), graph.Random("shift", 2, 3), graph.Random("mean", 3, 3), graph.Weight("variance", [0.5f, 1.5f, 2f], 3)];

    /// <summary>Imports the graph, runs it and ONNX Runtime on <paramref name="input"/>, and asserts the two agree; returns the network.</summary>
    private static Sequential AssertSameAsOnnxRuntime(TestGraph graph, Tensor input)
    {
        var imported = graph.Import();
        var expected = OnnxRuntimeRun.RunOne(graph.ToBytes(), "x", input);
        Agreement.Close(expected, imported.Network.Forward(input), "the imported network's outputs");
        return imported.Network;
    }

    /// <summary>Seeded random inputs of <paramref name="shape"/>, values in [-scale, scale).</summary>
    private static Tensor Inputs(int seed, int[] shape, double scale = 2)
    {
        var random = new Random(seed);
        int count = shape.Aggregate(1, (a, d) => a * d);
        return Tensor.FromArray([.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale))], shape);
    }
}
