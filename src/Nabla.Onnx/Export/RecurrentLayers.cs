using Nabla.NN;
using Nabla.Onnx.Protobuf;
using static Nabla.Onnx.Export.OnnxGraphBuilder;

namespace Nabla.Onnx.Export;

/// <summary>
/// A stack of recurrent layers (<see cref="LSTM"/>, <see cref="GRU"/> or <see cref="RNN"/>, one- or bidirectional) as ONNX's LSTM,
/// GRU and RNN operators, one node per layer, over time-first values [L, N, features] (ONNX Runtime does not run layout 1) with
/// each sequence's length as sequence_lens: the steps past a sequence's length are never read, as in Nabla's packed sequences.
/// </summary>
/// <remarks>
/// Nabla's parameters are PyTorch's, each gate a block of hidden-size rows, in an order ONNX does not share: LSTM i, f, g, o
/// becomes ONNX's i, o, f, c, and GRU r, z, n becomes z, r, h, with linear_before_reset = 1 for PyTorch's r ⊙ (W_hn·h + b_hn).
/// ONNX's B is b_ih then b_hh; a bidirectional layer's W, R and B hold the forward direction, then the reverse one.
/// </remarks>
internal static class RecurrentLayers
{
    /// <summary>
    /// Runs every layer over <paramref name="input"/>, [L, N, InputSize]; returns the last layer's outputs, [L, N, D·hidden] (null
    /// when <paramref name="withOutputs"/> is false), and its final states, [D, N, hidden], the forward direction's first.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="recurrent">The layers.</param>
    /// <param name="input">The sequences, time first.</param>
    /// <param name="lengths">Each sequence's number of valid steps, Int32 [N], in 1..L.</param>
    /// <param name="name">The name the layers' values start with.</param>
    /// <param name="withOutputs">Whether the last layer's outputs at every step are needed (else only its final states).</param>
    public static (string? Outputs, string FinalStates) Build(OnnxGraphBuilder graph, RecurrentLayer recurrent, string input, string lengths, string name, bool withOutputs)
    {
        var state = recurrent.StateDict();
        string[] directions = recurrent.Bidirectional ? ["", "_reverse"] : [""];
        int[] order = OnnxGateOrder(recurrent);
        var attributes = Attributes(recurrent);
        string op = OperatorOf(recurrent);
        // ONNX Runtime has no Float64 LSTM, GRU or RNN kernel: a Float64 model's recurrent layers run in Float32, and their results are cast back.
        bool narrowed = graph.Precision != DType.Float32;
        var value = narrowed ? Cast(graph, input, TensorProto.Types.DataType.Float, $"{name}.float32_input") : input;
        string finalStates = "";
        for (int layer = 0; layer < recurrent.NumLayers; layer++)
        {
            string layerName = $"{name}.l{layer}";
            Tensor Stacked(params string[] parts) =>
                Reordered([.. directions.Select(direction => parts.Select(part => state[$"{part}_l{layer}{direction}"]).ToArray())], order, recurrent.HiddenSize);
            string Parameter(string hint, params string[] parts) => graph.Weight($"{layerName}.{hint}", Stacked(parts), DType.Float32);
            string bias = recurrent.HasBias ? Parameter("B", "bias_ih", "bias_hh") : "";
            string[] inputs = [value, Parameter("W", "weight_ih"), Parameter("R", "weight_hh"), bias, lengths];
            bool last = layer == recurrent.NumLayers - 1;
            var outputs = graph.Nodes(op, inputs, [last && !withOutputs ? "" : $"{layerName}.y", $"{layerName}.y_h"], attributes);
            finalStates = outputs[1];
            // Inference: the dropout between layers is the identity.
            if (!last || withOutputs) value = TimeFirstFeatures(graph, outputs[0], layerName);
        }
        if (narrowed)
        {
            finalStates = Cast(graph, finalStates, graph.PrecisionType, $"{name}.final_states");
            if (withOutputs) value = Cast(graph, value, graph.PrecisionType, $"{name}.output");
        }
        return (withOutputs ? value : null, finalStates);
    }

    private static string Cast(OnnxGraphBuilder graph, string value, TensorProto.Types.DataType type, string hint) =>
        graph.Node("Cast", [value], hint, [Int("to", (long)type)]);

    /// <summary>The operator of a layer's kind.</summary>
    private static string OperatorOf(RecurrentLayer recurrent) => recurrent switch
    {
        LSTM => "LSTM",
        GRU => "GRU",
        RNN => "RNN",
        _ => throw new NotSupportedException($"OnnxExport: the recurrent layer {recurrent.GetType().Name} has no ONNX form in this version."),
    };

    /// <summary>The gates' blocks in ONNX's order, as indices of PyTorch's blocks.</summary>
    private static int[] OnnxGateOrder(RecurrentLayer recurrent) => recurrent switch
    {
        LSTM => [0, 3, 1, 2],
        GRU => [1, 0, 2],
        _ => [0],
    };

    private static List<AttributeProto> Attributes(RecurrentLayer recurrent)
    {
        var attributes = new List<AttributeProto>
        {
            Int("hidden_size", recurrent.HiddenSize),
            String("direction", recurrent.Bidirectional ? "bidirectional" : "forward"),
        };
        switch (recurrent)
        {
            case GRU:
                attributes.Add(Int("linear_before_reset", 1));
                break;
            case RNN rnn:
                string activation = rnn.Nonlinearity == Nonlinearity.Relu ? "Relu" : "Tanh";
                attributes.Add(Strings("activations", Enumerable.Repeat(activation, recurrent.Bidirectional ? 2 : 1)));
                break;
        }
        return attributes;
    }

    /// <summary>
    /// One ONNX parameter from PyTorch's: per direction, each part's gate blocks put in <paramref name="order"/> and the parts joined
    /// (b_ih then b_hh), the directions stacked: [D, G·hidden, columns] for a weight, [D, parts·G·hidden] for the biases.
    /// </summary>
    private static Tensor Reordered(Tensor[][] directions, int[] order, int hidden)
    {
        var values = new List<double>();
        foreach (var parts in directions)
            foreach (var part in parts)
            {
                var source = part.ToDoubleArray();
                int block = hidden * (part.Rank == 2 ? part.Shape[1] : 1);
                foreach (int gate in order) values.AddRange(source.AsSpan(gate * block, block).ToArray());
            }
        var first = directions[0];
        int[] shape = first[0].Rank == 2
            ? [directions.Length, first[0].Shape[0], first[0].Shape[1]]
            : [directions.Length, first.Sum(part => part.Length)];
        return Tensor.FromArray([.. values], shape);
    }

    /// <summary>An operator's outputs [L, D, N, hidden] as the next layer's input, [L, N, D·hidden]: each step's forward features, then its reverse ones.</summary>
    private static string TimeFirstFeatures(OnnxGraphBuilder graph, string outputs, string name)
    {
        var stepsByRow = graph.Node("Transpose", [outputs], $"{name}.y_by_row", [Ints("perm", 0, 2, 1, 3)]);
        return graph.Node("Reshape", [stepsByRow, graph.Int64s("steps_rows_features", 0, 0, -1)], $"{name}.output");
    }
}
