using Google.Protobuf;
using Nabla.Onnx.Protobuf;
using static Nabla.Onnx.Tests.Import.TestGraph;

namespace Nabla.Onnx.Tests.Import;

/// <summary>
/// Damaged and hostile files: each is one <see cref="InvalidDataException"/> that names the file and what is wrong,
/// before anything large is allocated; never a crash, a hang or a wrong network.
/// </summary>
public sealed class HostileFileTests
{
    [Fact]
    public void BytesThatAreNotProtobuf_AreNotAnOnnxModel()
    {
        var error = Refused("sepal_length,species\n5.1,setosa\n"u8.ToArray());

        Assert.StartsWith("test.onnx: not an ONNX model", error.Message);
    }

    [Fact]
    public void AnEmptyFile_IsNotAnOnnxModel()
    {
        Assert.StartsWith("test.onnx: not an ONNX model: it has no graph", Refused([]).Message);
    }

    [Fact]
    public void AFileCutShort_IsNotAnOnnxModel()
    {
        byte[] whole = File.ReadAllBytes(PytorchFixture.PathOf("mlp.onnx"));

        var error = Refused(whole[..(whole.Length - 37)]);

        Assert.Contains("cut short", error.Message);
    }

    [Fact]
    public void AHugeDeclaredDimension_OfTheInput_IsRefusedByNumber()
    {
        var graph = new TestGraph();
        graph.Input("x", 1_000_000_000_000);
        graph.Node("Relu", "relu", ["x"], ["y"]);
        graph.Output("y");

        Assert.Contains("dimension 1 of the input 'x' is 1000000000000", graph.Refused().Message);
    }

    [Fact]
    public void AnInputOfMoreValuesThanATensorHolds_IsRefused()
    {
        var graph = new TestGraph();
        graph.Input("x", 3, 100_000, 100_000);
        graph.Node("Relu", "relu", ["x"], ["y"]);
        graph.Output("y");

        Assert.Contains("samples of shape [3, 100000, 100000], more values than a tensor holds", graph.Refused().Message);
    }

    [Fact]
    public void AWeightDeclaringAHugeShape_IsRefusedBeforeAnyAllocation()
    {
        var graph = new TestGraph();
        graph.Input("x", 4);
        // The dimensions multiply past 2^64 to a small number: they must be checked one by one.
        graph.Node("MatMul", "product", ["x", graph.Weight("w", [1, 2, 3, 4], 1L << 32, 1L << 32, 4)], ["y"]);
        graph.Output("y");

        var error = graph.Refused();

        Assert.Contains("node 'product' (MatMul): its weight 'w' declares the shape [4294967296, 4294967296, 4], more values than a tensor holds", error.Message);
    }

    [Fact]
    public void AWeightWhoseDataDoesNotFillItsShape_IsRefusedNamingIt()
    {
        var graph = new TestGraph();
        graph.Input("x", 30);
        graph.Node("Gemm", "fc", ["x", graph.Weight("fc.weight", new float[10], 16, 30)], ["y"], Attribute("transB", 1L));
        graph.Output("y");

        var error = graph.Refused();

        Assert.Contains("node 'fc' (Gemm): its weight 'fc.weight'", error.Message);
        Assert.Contains("10 values for a shape of 480", error.Message);
    }

    [Fact]
    public void RawDataShorterThanTheShape_IsRefusedNamingIt()
    {
        var graph = new TestGraph();
        graph.Input("x", 3);
        string w = graph.Weight("w", [], 3, 2);
        graph.Graph.Initializer.Single(t => t.Name == w).RawData = ByteString.CopyFrom(new byte[20]);
        graph.Node("MatMul", "product", ["x", w], ["y"]);
        graph.Output("y");

        Assert.Contains("its weight 'w': 20 bytes of data for 6 values of 4 bytes", graph.Refused().Message);
    }

    [Fact]
    public void WeightsInAnExternalFile_AreRefused()
    {
        var graph = new TestGraph();
        graph.Input("x", 3);
        string w = graph.Weight("w", [], 3, 2);
        var weight = graph.Graph.Initializer.Single(t => t.Name == w);
        weight.DataLocation = TensorProto.Types.DataLocation.External;
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "/etc/passwd" });
        graph.Node("MatMul", "product", ["x", w], ["y"]);
        graph.Output("y");

        Assert.Contains("its data is in an external file", graph.Refused().Message);
    }

    [Fact]
    public void ACycle_IsRefusedNamingTheNode()
    {
        var graph = new TestGraph();
        graph.Input("x", 3);
        graph.Node("Relu", "first", ["b"], ["a"]);
        graph.Node("Tanh", "second", ["a"], ["b"]);
        graph.Node("Sigmoid", "last", ["b"], ["y"]);
        graph.Output("y");

        var error = graph.Refused();

        Assert.Contains("node 'first' (Relu): it reads 'b', which node 'second' (Tanh) writes after it: the nodes are out of order or form a cycle", error.Message);
    }

    [Fact]
    public void ANodeReadingAnUndefinedValue_IsRefusedNamingBoth()
    {
        var graph = new TestGraph();
        graph.Input("x", 3);
        graph.Node("Relu", "relu", ["ghost"], ["y"]);
        graph.Output("y");

        Assert.Contains("node 'relu' (Relu): it reads 'ghost', which no node, input or initializer defines", graph.Refused().Message);
    }

    [Fact]
    public void AValueWrittenTwice_IsRefused()
    {
        var graph = new TestGraph();
        graph.Input("x", 3);
        graph.Node("Relu", "relu", ["x"], ["y"]);
        graph.Node("Tanh", "tanh", ["x"], ["y"]);
        graph.Output("y");

        Assert.Contains("node 'tanh' (Tanh): it writes 'y', which is already defined", graph.Refused().Message);
    }

    [Fact]
    public void AShapeComputationNestedThousandsDeep_IsRefusedWithoutOverflowingTheStack()
    {
        var graph = new TestGraph();
        graph.Input("x", 3, 4);
        graph.Node("Shape", "shape", ["x"], ["s0"]);
        for (int i = 0; i < 5000; i++) graph.Node("Cast", $"cast{i}", [$"s{i}"], [$"s{i + 1}"], Attribute("to", 7L));
        graph.Node("Reshape", "reshape", ["x", "s5000"], ["y"]);
        graph.Output("y");

        Assert.Contains("the shape computation is nested too deeply to follow", graph.Refused().Message);
    }

    [Fact]
    public void AnOperatorSetTooOld_IsRefusedByVersion()
    {
        var graph = new TestGraph(opset: 5);
        graph.Input("x", 3);
        graph.Node("Relu", "relu", ["x"], ["y"]);
        graph.Output("y");

        Assert.Equal("test.onnx: it uses ONNX operator set 5; Nabla imports operator sets 7 to 21.", graph.Refused().Message);
    }

    [Fact]
    public void ADevice_IsNotReadAsAFile()
    {
        var error = Assert.Throws<InvalidDataException>(() => OnnxImport.Load("/dev/zero"));

        Assert.Equal("/dev/zero: not a regular file (a device, pipe or socket); an ONNX model is a file.", error.Message);
    }

    [Fact]
    public void AMissingFile_IsFileNotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-missing-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => OnnxImport.Load(path));

        Assert.Equal($"The ONNX file {path} does not exist.", error.Message);
    }

    private static InvalidDataException Refused(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => OnnxImport.Load(new MemoryStream(bytes), "test.onnx"));
}
