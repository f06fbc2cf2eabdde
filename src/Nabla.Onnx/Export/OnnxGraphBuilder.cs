using System.Globalization;
using Google.Protobuf;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Export;

/// <summary>
/// Builds one ONNX graph: inputs, outputs, initializers and nodes, each value given a name of its own
/// (a readable hint, numbered when taken), so the parts of an export never need to agree on names.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _scalars = new(StringComparer.Ordinal);

    /// <summary>Starts a graph called <paramref name="name"/>.</summary>
    public OnnxGraphBuilder(string name) => Graph = new GraphProto { Name = name };

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph { get; }

    /// <summary>The domains the graph's nodes use besides the default one ("ai.onnx.ml").</summary>
    public HashSet<string> Domains { get; } = new(StringComparer.Ordinal);

    /// <summary>A name not given yet: <paramref name="hint"/> itself, or with "_2", "_3"… after it.</summary>
    public string Unique(string hint)
    {
        if (_names.Add(hint)) return hint;
        for (int i = 2; ; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{hint}_{i}");
            if (_names.Add(name)) return name;
        }
    }

    /// <summary>Reserves a name that must appear exactly as given (a graph input or output); fails when taken.</summary>
    public string Exact(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"OnnxGraphBuilder: the name \"{name}\" is used twice.");
        return name;
    }

    /// <summary>Adds a graph input of element type <paramref name="type"/> and shape <paramref name="dims"/> (a null dimension is the symbolic batch size "N").</summary>
    public string Input(string name, TensorProto.Types.DataType type, params long?[] dims)
    {
        Graph.Input.Add(ValueInfo(Exact(name), type, dims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> a graph output through an Identity node named <paramref name="name"/>, a name reserved with <see cref="Unique"/> before the nodes that might take it.</summary>
    public void Output(string value, string name, TensorProto.Types.DataType type, params long?[] dims) => Output(value, name, "", type, dims);

    /// <summary>As <see cref="Output(string, string, TensorProto.Types.DataType, long?[])"/>, with a description that servers show beside the output.</summary>
    public void Output(string value, string name, string description, TensorProto.Types.DataType type, params long?[] dims)
    {
        Graph.Node.Add(NewNode("Identity", [value], [name], name));
        var info = ValueInfo(name, type, dims);
        info.DocString = description;
        Graph.Output.Add(info);
    }

    /// <summary>
    /// The element type the model part of the graph computes in: the model's own (Float64 for the estimators), so that ONNX Runtime
    /// rounds as Nabla does; the preparation before it and the outputs after it are Float32.
    /// </summary>
    public DType Precision { get; set; } = DType.Float32;

    /// <summary>The ONNX element type of <see cref="Precision"/>.</summary>
    public TensorProto.Types.DataType PrecisionType => OnnxTensors.ElementType(Precision);

    /// <summary>Adds an initializer holding <paramref name="tensor"/> in <see cref="Precision"/>.</summary>
    public string Weight(string hint, Tensor tensor) => Weight(hint, tensor, Precision);

    /// <summary>Adds an initializer holding <paramref name="tensor"/> in <paramref name="dtype"/>.</summary>
    public string Weight(string hint, Tensor tensor, DType dtype) => Initializer(hint, tensor.DType == dtype ? tensor : tensor.To(dtype));

    /// <summary>
    /// Runs an operator that ONNX Runtime has no Float64 kernel for (Conv, Erf) in Float32 when <see cref="Precision"/> is Float64:
    /// <paramref name="build"/> gets the input cast to Float32 and the type its weights take, and its output is cast back.
    /// </summary>
    public string InFloat32(string input, string hint, Func<string, DType, string> build)
    {
        if (Precision == DType.Float32) return build(input, DType.Float32);
        var narrowed = Node("Cast", [input], $"{hint}.float32_input", [Int("to", (long)TensorProto.Types.DataType.Float)]);
        return Node("Cast", [build(narrowed, DType.Float32)], hint, [Int("to", (long)PrecisionType)]);
    }

    /// <summary>A scalar constant in <see cref="Precision"/>, for the model part's arithmetic.</summary>
    public string Scalar(string hint, double value) => Initializer(hint, Tensor.Scalar(value, Precision));

    /// <summary>A Float32 constant of the given shape (a scalar when none), for the preparation and the outputs.</summary>
    public string Floats(string hint, float[] values, params int[] shape) => Initializer(hint, Tensor.FromArray(values, shape.Length == 0 && values.Length == 1 ? [] : shape));

    /// <summary>A Float64 scalar constant, for arithmetic that must round as Nabla's.</summary>
    public string Float64(string hint, double value) => Initializer(hint, Tensor.Scalar(value, DType.Float64));

    private string Initializer(string hint, Tensor tensor)
    {
        // A scalar is made once for its type and value, whichever part asks for it: a graph of one "one", not of twenty.
        string? key = tensor.Rank == 0 ? $"{tensor.DType}:{tensor.ToDoubleArray()[0].ToString("R", CultureInfo.InvariantCulture)}" : null;
        if (key is not null && _scalars.TryGetValue(key, out var existing)) return existing;
        var name = Unique(hint);
        Graph.Initializer.Add(OnnxTensors.ToProto(name, tensor));
        if (key is not null) _scalars[key] = name;
        return name;
    }

    /// <summary>An Int64 constant, rank 1 (shapes, axes), made once for its values.</summary>
    public string Int64s(string hint, params long[] values)
    {
        string key = $"Int64[]:{string.Join(',', values)}";
        if (_scalars.TryGetValue(key, out var existing)) return existing;
        var name = Unique(hint);
        Graph.Initializer.Add(OnnxTensors.Int64s(name, values));
        _scalars[key] = name;
        return name;
    }

    /// <summary>A string constant, rank 1 or of the given shape.</summary>
    public string Strings(string hint, IReadOnlyList<string> values, params int[] shape)
    {
        var name = Unique(hint);
        var proto = OnnxTensors.Strings(name, values);
        if (shape.Length > 0)
        {
            proto.Dims.Clear();
            proto.Dims.AddRange(shape.Select(d => (long)d));
        }
        Graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>Adds a node of one output and returns that output's name.</summary>
    /// <param name="op">The operator, e.g. "Gemm".</param>
    /// <param name="inputs">The input values ("" for an optional input left out).</param>
    /// <param name="hint">The output's name hint.</param>
    /// <param name="attributes">The node's attributes.</param>
    /// <param name="domain">The operator's domain, "" for the default.</param>
    public string Node(string op, string[] inputs, string hint, IEnumerable<AttributeProto>? attributes = null, string domain = "") =>
        Nodes(op, inputs, [hint], attributes, domain)[0];

    /// <summary>Adds a node of several outputs (a hint of "" leaves that output out) and returns their names.</summary>
    public string[] Nodes(string op, string[] inputs, string[] hints, IEnumerable<AttributeProto>? attributes = null, string domain = "")
    {
        string[] outputs = [.. hints.Select(h => h.Length == 0 ? "" : Unique(h))];
        var node = NewNode(op, inputs, outputs, outputs.FirstOrDefault(o => o.Length > 0) ?? op);
        node.Domain = domain;
        if (domain.Length > 0) Domains.Add(domain);
        if (attributes is not null) node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outputs;
    }

    private NodeProto NewNode(string op, string[] inputs, string[] outputs, string hint)
    {
        var node = new NodeProto { OpType = op, Name = Unique($"{op}:{hint}") };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A list-of-integers attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A string attribute.</summary>
    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>A list-of-strings attribute.</summary>
    public static AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim is { } size ? new TensorShapeProto.Types.Dimension { DimValue = size } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
