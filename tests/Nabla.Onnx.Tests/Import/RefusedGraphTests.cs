using Google.Protobuf;
using Nabla.Onnx.Protobuf;
using static Nabla.Onnx.Tests.Import.TestGraph;

namespace Nabla.Onnx.Tests.Import;

/// <summary>
/// Graphs Nabla's layers cannot express: an operator it does not read, a setting its layers do not have, a graph that
/// is not one chain. Each is refused with the file, the node and what is not supported; none becomes a network that
/// computes something else.
/// </summary>
public sealed class RefusedGraphTests
{
    [Theory]
    [InlineData("Cos", "", "the operator Cos is not supported")]
    [InlineData("Loop", "", "the operator Loop is not supported")]
    [InlineData("FusedMatMul", "com.microsoft", "the operator com.microsoft.FusedMatMul is not supported")]
    public void AnOperatorNablaDoesNotRead_NamesItselfItsNodeAndTheFile(string op, string domain, string message)
    {
        var graph = Chain();
        graph.Graph.Node[1].OpType = op;
        graph.Graph.Node[1].Domain = domain;
        graph.Graph.Node[1].Name = "the_node";

        Assert.StartsWith($"test.onnx: node 'the_node' ({op}): {message}; Nabla imports ", graph.Refused().Message);
    }

    [Fact]
    public void AnUnnamedNode_IsNamedByItsPosition()
    {
        var graph = Chain();
        graph.Graph.Node[1].OpType = "Cos";
        graph.Graph.Node[1].Name = "";

        Assert.StartsWith("test.onnx: node #1 (Cos, unnamed): the operator Cos is not supported", graph.Refused().Message);
    }

    [Fact]
    public void AnAttributeNablaDoesNotRead_IsRefusedByName()
    {
        var graph = Chain();
        graph.Graph.Node[1].Attribute.Add(Attribute("approximate", "tanh"));

        Assert.Contains("node 'act' (Relu): the attribute \"approximate\" is not supported", graph.Refused().Message);
    }

    [Fact]
    public void GelusTanhApproximation_IsRefused()
    {
        var graph = new TestGraph(opset: 20);
        graph.Input("x", 3);
        graph.Node("Gelu", "gelu", ["x"], ["y"], Attribute("approximate", "tanh"));
        graph.Output("y");

        Assert.Contains("node 'gelu' (Gelu): approximate = \"tanh\" is not supported", graph.Refused().Message);
    }

    [Fact]
    public void SeveralInputs_AreRefused()
    {
        var graph = Chain();
        graph.Input("z", 4);

        Assert.Equal("test.onnx: the graph has 2 inputs ('x', 'z'); Nabla imports a chain of layers, which reads one input.", graph.Refused().Message);
    }

    [Fact]
    public void SeveralOutputs_AreRefused()
    {
        var graph = Chain();
        graph.Output("h");

        Assert.Equal("test.onnx: the graph has 2 outputs ('y', 'h'); Nabla imports a chain of layers, which gives one: name the output to import.", graph.Refused().Message);
    }

    [Fact]
    public void ABranch_IsRefusedAtTheNodeOffTheChain()
    {
        var graph = Chain();
        graph.Node("Tanh", "side", ["h"], ["unused"]);

        Assert.Contains("node 'side' (Tanh): it is not on the chain of layers from the input 'x' to the output 'y'", graph.Refused().Message);
    }

    [Fact]
    public void ASkipConnection_IsRefused()
    {
        var graph = new TestGraph();
        graph.Input("x", 3);
        graph.Node("Relu", "relu", ["x"], ["a"]);
        graph.Node("Tanh", "tanh", ["a"], ["b"]);
        graph.Node("Add", "residual", ["a", "b"], ["y"]);
        graph.Output("y");

        Assert.Contains("node 'residual' (Add): Nabla reads an Add only as the bias of a linear layer", graph.Refused().Message);
    }

    [Fact]
    public void AShapeReadFromAnEarlierLayer_LeavesTheChain()
    {
        var graph = new TestGraph();
        graph.Input("x", 3, 4);
        graph.Node("Relu", "relu", ["x"], ["a"]);
        graph.Node("Tanh", "tanh", ["a"], ["b"]);
        graph.Node("Shape", "shape", ["a"], ["s"]);
        graph.Node("Reshape", "reshape", ["b", "s"], ["y"]);
        graph.Output("y");

        var error = graph.Refused();

        Assert.Contains("node 'shape' (Shape)", error.Message);
        Assert.Contains("leaving the chain of layers", error.Message);
    }

    [Theory]
    [InlineData("dilations", "dilations [2, 2] are not supported")]
    [InlineData("group", "group = 2 is not supported")]
    [InlineData("auto_pad", "auto_pad = \"SAME_UPPER\" is not supported")]
    [InlineData("pads", "pads [1, 1, 0, 0] are asymmetric")]
    public void AConvolutionSettingNablaLacks_IsRefusedNamingTheNode(string attribute, string message)
    {
        var model = Fixture("cnn.onnx");
        var conv = model.Graph.Node.First(n => n.OpType == "Conv");
        if (conv.Attribute.FirstOrDefault(a => a.Name == attribute) is { } given) conv.Attribute.Remove(given);
        conv.Attribute.Add(attribute switch
        {
            "dilations" => Attribute("dilations", 2L, 2L),
            "group" => Attribute("group", 2L),
            "auto_pad" => Attribute("auto_pad", "SAME_UPPER"),
            _ => Attribute("pads", 1L, 1L, 0L, 0L),
        });

        var error = Refused(model, "cnn.onnx");

        Assert.StartsWith($"cnn.onnx: node '{conv.Name}' (Conv): {message}", error.Message);
    }

    [Fact]
    public void CeilMode_IsRefusedNamingThePooling()
    {
        var model = Fixture("cnn.onnx");
        var pool = model.Graph.Node.First(n => n.OpType == "MaxPool");
        pool.Attribute.Single(a => a.Name == "ceil_mode").I = 1;

        Assert.StartsWith($"cnn.onnx: node '{pool.Name}' (MaxPool): ceil_mode = 1 is not supported", Refused(model, "cnn.onnx").Message);
    }

    [Fact]
    public void ABidirectionalLstm_IsRefused()
    {
        var model = Fixture("lstm.onnx");
        var lstm = model.Graph.Node.Single(n => n.OpType == "LSTM");
        lstm.Attribute.Add(Attribute("direction", "bidirectional"));

        Assert.StartsWith($"lstm.onnx: node '{lstm.Name}' (LSTM): direction = \"bidirectional\" is not supported", Refused(model, "lstm.onnx").Message);
    }

    [Fact]
    public void AGruThatResetsBeforeItsProduct_IsRefused()
    {
        var model = Fixture("gru.onnx");
        var gru = model.Graph.Node.Single(n => n.OpType == "GRU");
        gru.Attribute.Single(a => a.Name == "linear_before_reset").I = 0;

        Assert.Contains("linear_before_reset = 0 is not supported", Refused(model, "gru.onnx").Message);
    }

    [Fact]
    public void AnLstmFromANonZeroState_IsRefused()
    {
        var model = Fixture("lstm.onnx");
        var fill = model.Graph.Node.First(n => n.OpType == "ConstantOfShape");
        fill.Attribute.Single().T = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, Dims = { 1 }, FloatData = { 0.5f } };

        Assert.Contains("it fills an initial state with a value other than zero", Refused(model, "lstm.onnx").Message);
    }

    [Fact]
    public void AnInputOfSymbolicSteps_IsRefusedWithWhatToExport()
    {
        var model = Fixture("lstm.onnx");
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimParam = "steps";

        Assert.Equal("lstm.onnx: dimension 1 of the input 'input' is symbolic ('steps'); Nabla needs every dimension but the batch (the first) fixed: export with only the batch axis dynamic.",
            Refused(model, "lstm.onnx").Message);
    }

    [Fact]
    public void AnInputOfDoubles_IsRefused()
    {
        var graph = new TestGraph();
        graph.Input("x", TensorProto.Types.DataType.Double, 3);
        graph.Node("Relu", "relu", ["x"], ["y"]);
        graph.Output("y");

        Assert.Equal("test.onnx: its input 'x' is Double; Nabla reads Float32 data, or Int64 or Int32 token ids.", graph.Refused().Message);
    }

    [Fact]
    public void AnOutputDeclaredOfAnotherSize_IsRefused()
    {
        var model = Fixture("mlp.onnx");
        model.Graph.Output[0].Type.TensorType.Shape.Dim[1].DimValue = 3;

        Assert.Equal("mlp.onnx: its output 'output' is declared [batch, 3], but its layers give [batch, 2].", Refused(model, "mlp.onnx").Message);
    }

    /// <summary>x → Gemm "fc" → Relu "act" (h) → Sigmoid "out" (y).</summary>
    private static TestGraph Chain()
    {
        var graph = new TestGraph();
        graph.Input("x", 4);
        graph.Node("Gemm", "fc", ["x", graph.Random("w", 1, 4, 4)], ["g"], Attribute("transB", 1L));
        graph.Node("Relu", "act", ["g"], ["h"]);
        graph.Node("Sigmoid", "out", ["h"], ["y"]);
        graph.Output("y");
        return graph;
    }

    /// <summary>A PyTorch fixture's model, to damage before importing it.</summary>
    private static ModelProto Fixture(string file) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(PytorchFixture.PathOf(file)));

    private static InvalidDataException Refused(ModelProto model, string file) =>
        Assert.Throws<InvalidDataException>(() => OnnxImport.Load(new MemoryStream(model.ToByteArray()), file));
}
