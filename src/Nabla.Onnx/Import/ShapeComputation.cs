using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// Follows the small integer computations that exporters write to make a shape at run time, such as PyTorch's
/// <c>x.view(x.size(0), -1)</c> (Shape, Gather, Unsqueeze, Concat, then Reshape) or the zero initial state of a
/// recurrent layer (the same, then ConstantOfShape): Shape of the layer's input, Gather, Unsqueeze, Squeeze,
/// Concat, Slice, Cast and constants, evaluated with the batch size left unknown (<see cref="Batch"/>).
/// </summary>
internal sealed class ShapeComputation(OnnxGraph graph, string data, int[] sampleShape)
{
    /// <summary>The value standing for the batch size, which is not known until data flows.</summary>
    public const long Batch = long.MinValue;

    // Exporters nest a handful of these; a deeper chain is a hostile file, not a shape.
    private const int MostDepth = 32;

    // A shape has a few dimensions; more is a hostile file, as is recomputing a value many times (each is kept).
    private const int MostDimensions = 64;

    private static readonly HashSet<string> Operators = new(StringComparer.Ordinal) { "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Cast" };

    private readonly Dictionary<string, long[]> _values = new(StringComparer.Ordinal);

    /// <summary>
    /// The nodes that compute <paramref name="value"/> from <paramref name="data"/> and constants, each once: they belong to the
    /// layer that reads the shape. Known before the shapes are, so the layer's nodes are too.
    /// </summary>
    /// <exception cref="InvalidDataException">A node on the way is not one of the operators followed.</exception>
    public static IReadOnlyList<NodeProto> Nodes(OnnxGraph graph, string value, string data)
    {
        var nodes = new List<NodeProto>();
        var pending = new Stack<string>([value]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out var next))
        {
            if (next.Length == 0 || next == data || !seen.Add(next) || graph.IsConstant(next)) continue;
            var node = graph.Producer(next) ?? throw graph.Invalid($"the shape '{value}' is computed from the graph's input, not from a layer's input");
            if (!Operators.Contains(node.OpType)) throw NotFollowed(graph, node);
            nodes.Add(node);
            // A Shape node reads its input's dimensions only; where that input comes from is the chain's business.
            if (node.OpType != "Shape")
                foreach (string input in node.Input) pending.Push(input);
        }
        return nodes;
    }

    /// <summary>The whole numbers <paramref name="value"/> holds, <see cref="Batch"/> for the batch size, as a flat list (a scalar is one).</summary>
    /// <param name="value">The value to evaluate.</param>
    /// <param name="reader">The node that reads it, named in errors.</param>
    /// <exception cref="InvalidDataException">The value comes from a node Nabla does not follow, or from the shape of something other than the layer's input.</exception>
    public long[] Evaluate(string value, NodeProto reader) => Evaluate(value, reader, 0);

    private long[] Evaluate(string value, NodeProto reader, int depth)
    {
        if (_values.TryGetValue(value, out var known)) return known;
        if (graph.IsConstant(value)) return graph.Integers(reader, value, "shape");
        var node = graph.Producer(value) ?? throw graph.Error(reader, $"its shape '{value}' is the graph's input, not a shape Nabla can follow");
        if (depth > MostDepth) throw graph.Error(node, "the shape computation is nested too deeply to follow");
        var result = Compute(node, depth);
        if (result.Length > MostDimensions) throw graph.Error(node, $"it makes a shape of {result.Length} dimensions, more than Nabla follows");
        return _values[value] = result;
    }

    private long[] Compute(NodeProto node, int depth)
    {
        switch (node.OpType)
        {
            case "Shape":
                graph.RequireArity(node, 1, 1);
                _ = new NodeAttributes(graph, node);
                if (node.Input[0] != data)
                    throw graph.Error(node, $"it takes the shape of '{node.Input[0]}'; Nabla follows only shapes of the layer's input '{data}'");
                return [Batch, .. sampleShape.Select(d => (long)d)];
            case "Gather":
            {
                graph.RequireArity(node, 2, 2);
                if (new NodeAttributes(graph, node, "axis").Int("axis", 0) != 0) throw graph.Error(node, "a shape is gathered along axis 0 only");
                var source = Evaluate(node.Input[0], node, depth + 1);
                return [.. graph.Integers(node, node.Input[1], "indices").Select(i => Element(node, source, i))];
            }
            case "Unsqueeze" or "Squeeze" or "Cast":
                // On the one-dimensional lists of a shape computation these only change the rank.
                _ = new NodeAttributes(graph, node, "axes", "to");
                return Evaluate(node.Input[0], node, depth + 1);
            case "Concat":
                if (new NodeAttributes(graph, node, "axis").Int("axis", 0) is not (0 or -1)) throw graph.Error(node, "shapes are concatenated along axis 0 only");
                return [.. node.Input.SelectMany(input => Evaluate(input, node, depth + 1))];
            case "Slice":
                return Slice(node, depth);
            default:
                throw NotFollowed(graph, node);
        }
    }

    private static InvalidDataException NotFollowed(OnnxGraph graph, NodeProto node) =>
        graph.Error(node, $"it computes a shape, and Nabla follows shape computations made of {string.Join(", ", Operators)} and constants only");

    /// <summary>Slice of a one-dimensional list, step 1 (opset 10 and later, where starts and ends are inputs).</summary>
    private long[] Slice(NodeProto node, int depth)
    {
        graph.RequireArity(node, 3, 5);
        _ = new NodeAttributes(graph, node);
        var source = Evaluate(node.Input[0], node, depth + 1);
        long[] starts = graph.Integers(node, node.Input[1], "starts"), ends = graph.Integers(node, node.Input[2], "ends");
        var axes = OnnxGraph.OptionalInput(node, 3) is { } a ? graph.Integers(node, a, "axes") : [0];
        var steps = OnnxGraph.OptionalInput(node, 4) is { } s ? graph.Integers(node, s, "steps") : [1];
        if (starts.Length != 1 || ends.Length != 1 || axes is not [0 or -1] || steps is not [1])
            throw graph.Error(node, "a shape is sliced along axis 0 with step 1 only");
        long start = Math.Clamp(starts[0] < 0 ? starts[0] + source.Length : starts[0], 0, source.Length);
        long end = Math.Clamp(ends[0] < 0 ? ends[0] + source.Length : ends[0], start, source.Length);
        return source[(int)start..(int)end];
    }

    private long Element(NodeProto node, long[] source, long index)
    {
        long at = index < 0 ? index + source.Length : index;
        return at >= 0 && at < source.Length ? source[at] : throw graph.Error(node, $"index {index} is outside the shape of {source.Length} dimensions");
    }
}
