using System.Globalization;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// An ONNX graph checked to be well formed and indexed for import: every value defined once and before it is
/// read (so there is no cycle), one input and the one output chosen (GraphOutput), the node that writes each value and the nodes that
/// read it, and the values that are constants (initializers, Constant nodes, and Identity nodes of either).
/// Its errors name the file and the node.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<NodeProto, int> _positions = new(ReferenceEqualityComparer.Instance);

    /// <summary>Indexes <paramref name="graph"/> of the model read from <paramref name="source"/> (named in errors), checking its structure.</summary>
    /// <exception cref="InvalidDataException">A value is defined twice, read before it is defined or never defined, or the graph has not exactly one input.</exception>
    public OnnxGraph(GraphProto graph, string source, long opset)
    {
        Proto = graph;
        Source = source;
        Opset = opset;
        foreach (var initializer in graph.Initializer)
            if (!_initializers.TryAdd(initializer.Name, initializer)) throw Invalid($"the initializer '{initializer.Name}' is defined twice");
        if (graph.SparseInitializer.Count > 0) throw Invalid("it holds sparse initializers, which Nabla does not read");
        // Older exporters list the initializers among the inputs too: those are weights, not the data.
        var inputs = graph.Input.Where(input => !_initializers.ContainsKey(input.Name)).ToList();
        if (inputs.Count != 1)
            throw Invalid($"the graph has {inputs.Count} inputs ({Names(inputs)}); Nabla imports a chain of layers, which reads one input");
        Input = inputs[0];
        Output = graph.Output[0];
        var defined = new HashSet<string>(_initializers.Keys, StringComparer.Ordinal) { Input.Name };
        for (int i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            _positions[node] = i;
            foreach (string value in node.Input)
            {
                if (value.Length == 0) continue;   // an optional input left out
                if (!defined.Contains(value))
                {
                    string later = graph.Node.Skip(i).FirstOrDefault(n => n.Output.Contains(value)) is { } writer
                        ? $"which {Describe(writer)} writes after it: the nodes are out of order or form a cycle"
                        : "which no node, input or initializer defines";
                    throw Error(node, $"it reads '{value}', {later}");
                }
                if (!_consumers.TryGetValue(value, out var readers)) _consumers[value] = readers = [];
                if (!readers.Contains(node)) readers.Add(node);
            }
            foreach (string value in node.Output)
            {
                if (value.Length == 0) continue;   // an optional output left out
                if (!defined.Add(value)) throw Error(node, $"it writes '{value}', which is already defined");
                _producers[value] = node;
            }
        }
        if (!defined.Contains(Output.Name)) throw Invalid($"the output '{Output.Name}' is defined by no node");
    }

    /// <summary>The graph as read.</summary>
    public GraphProto Proto { get; }

    /// <summary>The file or stream the graph came from, as the errors name it.</summary>
    public string Source { get; }

    /// <summary>The version of the default ONNX operator set the model imports.</summary>
    public long Opset { get; }

    /// <summary>The graph's one data input (not an initializer).</summary>
    public ValueInfoProto Input { get; }

    /// <summary>The graph's one output.</summary>
    public ValueInfoProto Output { get; }

    /// <summary>The nodes, in the graph's (topological) order.</summary>
    public IReadOnlyList<NodeProto> Nodes => Proto.Node;

    /// <summary>The node that writes <paramref name="value"/>; null for the input and the initializers.</summary>
    public NodeProto? Producer(string value) => _producers.GetValueOrDefault(value);

    /// <summary>The nodes that read <paramref name="value"/>, each once.</summary>
    public IReadOnlyList<NodeProto> Consumers(string value) => _consumers.TryGetValue(value, out var readers) ? readers : [];

    /// <summary>The value of input <paramref name="index"/> of <paramref name="node"/>, or null when it is left out.</summary>
    public static string? OptionalInput(NodeProto node, int index) => index < node.Input.Count && node.Input[index].Length > 0 ? node.Input[index] : null;

    /// <summary>
    /// Fails unless <paramref name="node"/> has <paramref name="required"/> to <paramref name="most"/> inputs, the
    /// required ones given, writes output number <paramref name="used"/> (the one the layer reads on), and no output
    /// after it is read (a max pool's indices, a dropout's mask, a batch norm's training statistics).
    /// </summary>
    public void RequireArity(NodeProto node, int required, int most, int used = 1)
    {
        if (node.Input.Count < required || node.Input.Count > most || node.Input.Take(required).Any(v => v.Length == 0))
            throw Error(node, required == most ? $"it has {node.Input.Count} inputs, expected {required}" : $"it has {node.Input.Count} inputs, expected {required} to {most}");
        if (node.Output.Count < used || node.Output[used - 1].Length == 0) throw Error(node, "the output Nabla reads is missing");
        foreach (string extra in node.Output.Skip(used))
            if (extra.Length > 0 && (Consumers(extra).Count > 0 || extra == Output.Name))
                throw Error(node, $"its output '{extra}' is read, which Nabla does not support (only the first output of this operator is)");
    }

    /// <summary>Whether <paramref name="value"/> is known before any data flows: an initializer, a Constant node's output, or an Identity of one.</summary>
    public bool IsConstant(string value) => ConstantProto(value) is not null;

    /// <summary>Whether every value <paramref name="proto"/> holds is zero (false, for a Boolean tensor), whichever field holds them.</summary>
    public static bool IsZero(TensorProto proto) =>
        proto.RawData.Span.IndexOfAnyExcept((byte)0) < 0 && proto.FloatData.All(v => v == 0) && proto.DoubleData.All(v => v == 0)
        && proto.Int32Data.All(v => v == 0) && proto.Int64Data.All(v => v == 0);

    /// <summary>Whether <paramref name="node"/> only makes a constant (Constant, or Identity of a constant): data, not a layer.</summary>
    public bool IsConstantNode(NodeProto node) =>
        node.OpType == "Constant" || (node.OpType == "Identity" && node.Input.Count == 1 && IsConstant(node.Input[0]));

    /// <summary>The tensor a constant value holds, or null when <paramref name="value"/> is computed from the data.</summary>
    /// <exception cref="InvalidDataException">A Constant node holds a sparse tensor or no value.</exception>
    public TensorProto? ConstantProto(string value)
    {
        // Identity chains are as long as the graph at most, and each step goes to an earlier node.
        for (int steps = 0; steps <= Nodes.Count; steps++)
        {
            if (_initializers.TryGetValue(value, out var initializer)) return initializer;
            if (Producer(value) is not { } node) return null;
            if (node.OpType == "Constant") return ConstantNodeValue(node);
            if (node.OpType != "Identity" || node.Input.Count != 1) return null;
            value = node.Input[0];
        }
        return null;
    }

    /// <summary>The Float32 tensor a constant input of <paramref name="node"/> holds.</summary>
    /// <exception cref="InvalidDataException">The input is computed, not a constant, or is not a valid Float32 tensor.</exception>
    public Tensor Floats(NodeProto node, string value, string role)
    {
        var proto = ConstantProto(value) ?? throw Error(node, $"its {role} '{value}' is computed from the data; Nabla reads it only as a constant (an initializer)");
        if ((TensorProto.Types.DataType)proto.DataType != TensorProto.Types.DataType.Float)
            throw Error(node, $"its {role} '{value}' is {(TensorProto.Types.DataType)proto.DataType}; Nabla imports Float32 weights");
        return OnnxTensors.FromProto(Checked(proto, node, role, value), $"{Source}: {Describe(node)}: its {role} '{value}'");
    }

    /// <summary>The whole numbers a constant input of <paramref name="node"/> holds (shapes, axes, indices, pads).</summary>
    /// <exception cref="InvalidDataException">The input is computed, not a constant, or does not hold whole numbers.</exception>
    public long[] Integers(NodeProto node, string value, string role)
    {
        var proto = ConstantProto(value) ?? throw Error(node, $"its {role} '{value}' is computed from the data; Nabla reads it only as a constant");
        return OnnxTensors.Int64Values(Checked(proto, node, role, value), $"{Source}: {Describe(node)}: its {role} '{value}'");
    }

    /// <summary>
    /// Refuses a tensor whose dimensions are negative or multiply to more values than an array holds, before any
    /// conversion multiplies them (their product would wrap around and could seem to match the data).
    /// </summary>
    private TensorProto Checked(TensorProto proto, NodeProto node, string role, string value)
    {
        long count = 1;
        foreach (long d in proto.Dims)
        {
            if (d < 0 || d > Array.MaxLength || (count *= d) > Array.MaxLength)
                throw Error(node, $"its {role} '{value}' declares the shape [{string.Join(", ", proto.Dims)}], more values than a tensor holds");
        }
        return proto;
    }

    /// <summary>The error for a problem with <paramref name="node"/>: "FILE: node 'NAME' (OP): PROBLEM."</summary>
    public InvalidDataException Error(NodeProto node, string problem) => Invalid($"{Describe(node)}: {problem}");

    /// <summary>The error for a problem with the graph as a whole: "FILE: PROBLEM."</summary>
    public InvalidDataException Invalid(string problem) => new($"{Source}: {problem}.");

    /// <summary>How messages name a node: "node 'NAME' (OP)", or by its position when it has no name.</summary>
    public string Describe(NodeProto node) => node.Name.Length > 0
        ? $"node '{node.Name}' ({node.OpType})"
        : string.Create(CultureInfo.InvariantCulture, $"node #{_positions.GetValueOrDefault(node)} ({node.OpType}, unnamed)");

    /// <summary>The tensor of a Constant node: its "value", or one of the scalar and list forms of opset 12.</summary>
    private TensorProto ConstantNodeValue(NodeProto node)
    {
        if (node.Attribute.Count != 1) throw Error(node, "a Constant node holds exactly one attribute, its value");
        var attribute = node.Attribute[0];
        var proto = attribute.Name switch
        {
            "value" when attribute.T is not null => attribute.T,
            "value_float" => FloatTensor([attribute.F], scalar: true),
            "value_floats" => FloatTensor([.. attribute.Floats], scalar: false),
            "value_int" => OnnxTensors.Int64s("", [attribute.I]),
            "value_ints" => OnnxTensors.Int64s("", [.. attribute.Ints]),
            _ => null,
        };
        return proto ?? throw Error(node, $"its value is given as \"{attribute.Name}\" ({attribute.Type}), which Nabla does not read (a tensor \"value\", value_float(s) and value_int(s) are read)");
    }

    private static TensorProto FloatTensor(float[] values, bool scalar)
    {
        var proto = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        if (!scalar) proto.Dims.Add(values.Length);
        proto.FloatData.AddRange(values);
        return proto;
    }

    private static string Names(IEnumerable<ValueInfoProto> values) => string.Join(", ", values.Select(v => $"'{v.Name}'"));
}
