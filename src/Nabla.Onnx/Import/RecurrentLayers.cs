using Nabla.NN;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// An LSTM or GRU node read for its final hidden state, as PyTorch exports <c>_, h = rnn(x); h[-1]</c> with
/// <c>batch_first=True</c>: Transpose [1, 0, 2] of the data, the LSTM or GRU node from zero initial states (absent,
/// zero constants, or ConstantOfShape of zero with the shape computed from the data's), then Gather index 0 or -1
/// (or Squeeze) of its Y_h. One layer, one direction; the default activations. The weights are reordered from
/// ONNX's gate order (LSTM i, o, f, c; GRU z, r, h) into PyTorch's, which Nabla uses (i, f, g, o; r, z, n).
/// </summary>
internal static class RecurrentLayers
{
    // Nabla's gate block k is ONNX's block Order[k].
    private static readonly int[] LstmOrder = [0, 2, 3, 1];
    private static readonly int[] GruOrder = [1, 0, 2];

    /// <summary>Whether <paramref name="head"/> (a Gather or Squeeze) reads an output of an LSTM or GRU node.</summary>
    public static bool ReadsRecurrent(OnnxGraph graph, NodeProto head) =>
        head.Input.Count > 0 && graph.Producer(head.Input[0]) is { OpType: "LSTM" or "GRU" };

    /// <summary>The recurrent layer whose final hidden state <paramref name="head"/> takes.</summary>
    public static MatchedLayer FinalState(OnnxGraph graph, NodeProto head)
    {
        var cell = graph.Producer(head.Input[0])!;
        RequireLastState(graph, head);
        bool lstm = cell.OpType == "LSTM";
        graph.RequireArity(cell, 3, lstm ? 8 : 6, used: 2);
        if (head.Input[0] != cell.Output[1])
            throw graph.Error(head, $"it reads the output sequence Y of {graph.Describe(cell)}; Nabla reads a recurrent layer's final hidden state Y_h");
        if (graph.Consumers(cell.Output[0]).Count > 0 || cell.Output[0] == graph.Output.Name)
            throw graph.Error(cell, "its output sequence Y is read; Nabla imports a recurrent layer for its final hidden state only");
        int hidden = ReadAttributes(graph, cell, lstm);
        int gates = lstm ? 4 : 3;
        var w = Weights(graph, cell, 1, "W", gates * hidden, null);
        var r = Weights(graph, cell, 2, "R", gates * hidden, hidden);
        var b = OnnxGraph.OptionalInput(cell, 3) is { } bias ? graph.Floats(cell, bias, "bias B") : null;
        if (b is not null && (b.Rank != 2 || b.Shape[0] != 1 || b.Shape[1] != 2 * gates * hidden))
            throw graph.Error(cell, $"its bias B has shape {SampleShape.Format(b.Shape)}, expected [1, {2 * gates * hidden}]");
        if (OnnxGraph.OptionalInput(cell, 4) is not null)
            throw graph.Error(cell, "sequence_lens is not supported; Nabla imports a recurrent layer that runs over every step");
        if (lstm && OnnxGraph.OptionalInput(cell, 7) is not null)
            throw graph.Error(cell, "peephole weights P are not supported; Nabla's LSTM is PyTorch's, without peepholes");

        if (graph.Producer(cell.Input[0]) is not { OpType: "Transpose" } transpose || graph.Consumers(transpose.Output[0]).Count != 1
            || new NodeAttributes(graph, transpose, "perm").Ints("perm") is not [1, 0, 2])
            throw graph.Error(cell, "its input is not the data transposed by [1, 0, 2]; Nabla imports recurrent layers over batch-first data, as PyTorch exports batch_first=True");
        graph.RequireArity(transpose, 1, 1);
        string data = transpose.Input[0];
        var nodes = new List<NodeProto> { head, cell, transpose };
        var zeroShapes = new List<(NodeProto Node, string Shape)>();
        foreach (int state in lstm ? new[] { 5, 6 } : [5])
            if (OnnxGraph.OptionalInput(cell, state) is { } initial && ZeroState(graph, cell, initial, data, nodes) is { } zeros)
                zeroShapes.Add(zeros);

        int[] order = lstm ? LstmOrder : GruOrder;
        var weightIh = Reorder(w, order, hidden);
        var weightHh = Reorder(r, order, hidden);
        var biasIh = b is null ? null : Reorder(b.Reshape(2 * gates * hidden).Slice(0, 0, gates * hidden), order, hidden);
        var biasHh = b is null ? null : Reorder(b.Reshape(2 * gates * hidden).Slice(0, gates * hidden, gates * hidden), order, hidden);
        return new MatchedLayer(data, head.Output[0], nodes, input =>
        {
            if (input.Length != 2 || input[1] != weightIh.Shape[1])
                throw graph.Error(cell, $"its W reads steps of {weightIh.Shape[1]} features, but the per-sample shape reaching it is {SampleShape.Format(input)} (expected [steps, {weightIh.Shape[1]}])");
            foreach (var (node, shape) in zeroShapes)
            {
                var size = new ShapeComputation(graph, data, input).Evaluate(shape, node);
                if (size is not [1, ShapeComputation.Batch, var h] || h != hidden)
                    throw graph.Error(node, $"it makes an initial state of shape [{string.Join(", ", size)}], not [1, batch, {hidden}]");
            }
            RecurrentLayer layer = lstm
                ? new LSTM(weightIh.Shape[1], hidden, bias: b is not null, batchFirst: true, generator: ModuleWeights.Discarded)
                : new GRU(weightIh.Shape[1], hidden, bias: b is not null, batchFirst: true, generator: ModuleWeights.Discarded);
            ModuleWeights.Load(layer, ("weight_ih_l0", weightIh), ("weight_hh_l0", weightHh), ("bias_ih_l0", biasIh), ("bias_hh_l0", biasHh));
            return new BuiltLayer(new RecurrentFinalState(layer), [hidden]);
        });
    }

    /// <summary>Fails unless <paramref name="head"/> takes the state of the only layer and direction: Gather index 0 or -1 along axis 0, or Squeeze of axis 0.</summary>
    private static void RequireLastState(OnnxGraph graph, NodeProto head)
    {
        long[] picked;
        if (head.OpType == "Gather")
        {
            graph.RequireArity(head, 2, 2);
            if (new NodeAttributes(graph, head, "axis").Int("axis", 0) != 0) throw graph.Error(head, "it gathers a recurrent state along an axis other than 0 (the layers and directions)");
            picked = graph.Integers(head, head.Input[1], "indices");
            if (picked is [0 or -1] && graph.ConstantProto(head.Input[1])!.Dims.Count == 0) return;
            throw graph.Error(head, $"it takes states {SampleShape.Format(picked)} of a recurrent layer; Nabla reads the last layer's state as one vector (a scalar index 0 or -1)");
        }
        graph.RequireArity(head, 1, 2);
        var attributes = new NodeAttributes(graph, head, "axes");
        picked = OnnxGraph.OptionalInput(head, 1) is { } axes ? graph.Integers(head, axes, "axes") : attributes.Ints("axes") ?? [];
        if (picked is not [0]) throw graph.Error(head, $"it squeezes axes {SampleShape.Format(picked)} of a recurrent state; Nabla reads a squeeze of axis 0 (the one layer and direction)");
    }

    /// <summary>Reads and checks the cell's attributes; returns hidden_size.</summary>
    private static int ReadAttributes(OnnxGraph graph, NodeProto cell, bool lstm)
    {
        var attributes = new NodeAttributes(graph, cell, "activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "layout",
            lstm ? "input_forget" : "linear_before_reset");
        string direction = attributes.String("direction", "forward");
        if (direction != "forward") throw graph.Error(cell, $"direction = \"{direction}\" is not supported; Nabla imports one-direction recurrent layers (forward)");
        string[] defaults = lstm ? ["Sigmoid", "Tanh", "Tanh"] : ["Sigmoid", "Tanh"];
        if (attributes.Strings("activations") is { } activations && !activations.SequenceEqual(defaults, StringComparer.OrdinalIgnoreCase))
            throw graph.Error(cell, $"activations [{string.Join(", ", activations)}] are not supported; Nabla's {cell.OpType} uses [{string.Join(", ", defaults)}]");
        foreach (string name in new[] { "activation_alpha", "activation_beta", "clip" })
            if (attributes.Has(name)) throw graph.Error(cell, $"the attribute \"{name}\" is not supported; Nabla's {cell.OpType} is PyTorch's, which has none");
        if (attributes.Int("layout", 0) != 0) throw graph.Error(cell, "layout = 1 is not supported; Nabla reads the sequence-first layout (0) behind a Transpose");
        if (lstm && attributes.Int("input_forget", 0) != 0) throw graph.Error(cell, "input_forget = 1 (coupled input and forget gates) is not supported");
        if (!lstm && attributes.Int("linear_before_reset", 0) != 1)
            throw graph.Error(cell, "linear_before_reset = 0 is not supported; Nabla's GRU is PyTorch's, which applies the reset gate after the hidden state's product (linear_before_reset = 1)");
        // Its gates' rows (8·hidden for an LSTM's biases) must count in an int, as every tensor's.
        long hidden = attributes.Int("hidden_size", 0);
        return hidden is > 0 and <= int.MaxValue / 8 ? (int)hidden : throw graph.Error(cell, $"hidden_size = {hidden} is not a size Nabla can hold");
    }

    /// <summary>W or R of one direction, [1, gates·hidden, columns], as a [gates·hidden, columns] matrix.</summary>
    private static Tensor Weights(OnnxGraph graph, NodeProto cell, int index, string name, int rows, int? columns)
    {
        var weights = graph.Floats(cell, cell.Input[index], name);
        if (weights.Rank != 3 || weights.Shape[0] != 1 || weights.Shape[1] != rows || (columns is { } c && weights.Shape[2] != c) || weights.Shape[2] == 0)
            throw graph.Error(cell, $"its {name} has shape {SampleShape.Format(weights.Shape)}, expected [1, {rows}, {(columns is { } n ? n : "input size")}] for hidden_size {rows / (cell.OpType == "LSTM" ? 4 : 3)}");
        return weights.Reshape(weights.Shape[1], weights.Shape[2]);
    }

    /// <summary>
    /// Checks that an initial state is zeros: a constant, or ConstantOfShape of zero (whose shape, computed from
    /// the data, is checked when the shapes are known). Adds its nodes to <paramref name="nodes"/>; returns the
    /// ConstantOfShape and its shape input, or null for a constant.
    /// </summary>
    private static (NodeProto Node, string Shape)? ZeroState(OnnxGraph graph, NodeProto cell, string initial, string data, List<NodeProto> nodes)
    {
        if (graph.ConstantProto(initial) is { } constant)
            return OnnxGraph.IsZero(constant) ? null : throw graph.Error(cell, $"its initial state '{initial}' is not zeros; Nabla's recurrent layers start from zero states");
        if (graph.Producer(initial) is not { OpType: "ConstantOfShape" } fill)
            throw graph.Error(cell, $"its initial state '{initial}' is computed; Nabla's recurrent layers start from zero states");
        if (!nodes.Contains(fill))
        {
            graph.RequireArity(fill, 1, 1);
            _ = new NodeAttributes(graph, fill, "value");
            // Without a value, ConstantOfShape fills with zeros.
            if (fill.Attribute.Count == 1 && (fill.Attribute[0].T is not { } value || !OnnxGraph.IsZero(value)))
                throw graph.Error(fill, "it fills an initial state with a value other than zero; Nabla's recurrent layers start from zero states");
            nodes.Add(fill);
            nodes.AddRange(ShapeComputation.Nodes(graph, fill.Input[0], data).Where(node => !nodes.Contains(node)));
        }
        return (fill, fill.Input[0]);
    }

    /// <summary>The rows of <paramref name="weights"/> (gates·hidden of them) with the gate blocks put in Nabla's order.</summary>
    private static Tensor Reorder(Tensor weights, int[] order, int hidden) =>
        Tensor.Concat([.. order.Select(gate => weights.Slice(0, gate * hidden, hidden))]);
}
