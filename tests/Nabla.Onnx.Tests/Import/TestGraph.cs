using Google.Protobuf;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Tests.Import;

/// <summary>
/// Builds a small ONNX model by hand, node by node, for the cases no exporter writes on purpose: each operator and
/// setting on its own, and damaged or hostile graphs.
/// </summary>
internal sealed class TestGraph(long opset = 13)
{
    private readonly GraphProto _graph = new() { Name = "test" };

    /// <summary>The graph so far, to change before <see cref="ToBytes"/>.</summary>
    public GraphProto Graph => _graph;

    /// <summary>Declares a graph input of a symbolic batch ("N") and the given per-sample dimensions.</summary>
    public string Input(string name, params long[] sample) => Input(name, TensorProto.Types.DataType.Float, sample);

    /// <summary>Declares a graph input of <paramref name="type"/>, a symbolic batch ("N") and the given per-sample dimensions.</summary>
    public string Input(string name, TensorProto.Types.DataType type, params long[] sample)
    {
        _graph.Input.Add(Value(name, type, sample));
        return name;
    }

    /// <summary>Declares the graph's output, of unknown shape.</summary>
    public void Output(string name) =>
        _graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });

    /// <summary>A Float32 initializer of the given shape (a scalar when none).</summary>
    public string Weight(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A Float32 initializer of seeded random values in [-1, 1).</summary>
    public string Random(string name, int seed, params long[] dims)
    {
        var random = new Random(seed);
        long count = dims.Aggregate(1L, (a, d) => a * d);
        return Weight(name, [.. Enumerable.Range(0, (int)count).Select(_ => (float)(random.NextDouble() * 2 - 1))], dims);
    }

    /// <summary>A rank-1 Int64 initializer.</summary>
    public string Ints(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node named <paramref name="name"/> of the default domain.</summary>
    public NodeProto Node(string op, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return node;
    }

    /// <summary>A whole-number attribute.</summary>
    public static AttributeProto Attribute(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A list-of-whole-numbers attribute.</summary>
    public static AttributeProto Attribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A real-number attribute.</summary>
    public static AttributeProto Attribute(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A text attribute.</summary>
    public static AttributeProto Attribute(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>The model's bytes, as an .onnx file holds them.</summary>
    public byte[] ToBytes()
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "hand", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model.ToByteArray();
    }

    /// <summary>The model as Nabla imports it, as "test.onnx".</summary>
    public OnnxImportedModel Import() => OnnxImport.Load(new MemoryStream(ToBytes()), "test.onnx");

    /// <summary>The error that refuses the model: it must be refused.</summary>
    public InvalidDataException Refused() => Assert.Throws<InvalidDataException>(Import);

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long[] sample)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (long d in sample) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}
