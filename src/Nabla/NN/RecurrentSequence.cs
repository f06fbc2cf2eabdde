using System.Numerics;

namespace Nabla.NN;

/// <summary>
/// One recurrent layer, both directions, over a batch of sequences, as an op of the graph: the whole
/// layer's forward pass (<see cref="RecurrentDirection{T}"/>) and its declared backward pass through time.
/// </summary>
/// <remarks>
/// <para>
/// A node has one output, and the layer has two: the output sequence and the final states. So the
/// layer is two nodes: the recurrence, whose output is the final states S (K·D, N, H) (K = 2 for the
/// LSTM: hidden states, then cells; D directions), and the output sequence Y, a node on S that
/// computes nothing (the recurrence wrote Y). The engine runs Y's rule before S's (Y is computed from
/// S), and Y's rule only hands Y's gradient to the recurrence's record and sends S a zero gradient,
/// so the recurrence's rule runs once with both gradients, whichever of Y and S the loss used.
/// </para>
/// <para>
/// The backward rules use fused kernels and are not themselves differentiable: gradients of
/// gradients (<c>createGraph: true</c>) are refused.
/// </para>
/// </remarks>
internal static class RecurrentSequence
{
    private static readonly string[] s_names = ["RNN", "RNN", "LSTM", "GRU"];

    /// <summary>One direction's parameters: W_ih (G·H, in), W_hh (G·H, H), and b_ih, b_hh (G·H) or null.</summary>
    public readonly record struct DirectionWeights(Tensor WeightIh, Tensor WeightHh, Tensor? BiasIh, Tensor? BiasHh);

    /// <summary>Where step t of sequence n is in a sequence tensor of <paramref name="Length"/> steps: (L, N, F), or (N, L, F) when batch first.</summary>
    public readonly record struct SequenceLayout(int Length, int Batch, bool BatchFirst)
    {
        /// <summary>The row (of F features) of step t of sequence n.</summary>
        public int Row(int t, int n) => BatchFirst ? n * Length + t : t * Batch + n;
    }

    /// <summary>Runs one layer.</summary>
    /// <param name="kind">The recurrence.</param>
    /// <param name="directions">The forward direction's parameters, then the reverse direction's if bidirectional.</param>
    /// <param name="input">The layer's input, laid out as <paramref name="inputLayout"/>.</param>
    /// <param name="inputLayout">The input's layout; it may have more steps than are run (padding).</param>
    /// <param name="steps">The number of steps run: the longest sequence.</param>
    /// <param name="lengths">Each sequence's number of valid steps, or null when all run <paramref name="steps"/>.</param>
    /// <param name="hidden0">The initial hidden states (D, N, H), or null for zeros.</param>
    /// <param name="cell0">The LSTM's initial cells (D, N, H), or null for zeros.</param>
    /// <param name="outputLayout">The output's layout: zeros at every step a sequence does not have.</param>
    /// <param name="outputShape">The output's shape: <paramref name="outputLayout"/>'s rows of D·H features.</param>
    /// <param name="statesShape">The final states' shape: K·D blocks of N·H.</param>
    /// <param name="workspace">The layer's arrays, reused between runs.</param>
    public static (Tensor Output, Tensor States) Run(RecurrentCellKind kind, DirectionWeights[] directions, Tensor input, SequenceLayout inputLayout,
        int steps, int[]? lengths, Tensor? hidden0, Tensor? cell0, SequenceLayout outputLayout, int[] outputShape, int[] statesShape,
        RecurrentWorkspace workspace)
    {
        var layer = new Layer(kind, directions, inputLayout, steps, lengths, outputLayout, workspace);
        return input.DType == DType.Float32
            ? Record<float>(layer, input, hidden0, cell0, outputShape, statesShape)
            : Record<double>(layer, input, hidden0, cell0, outputShape, statesShape);
    }

    /// <summary>What a layer's run is, apart from its tensors.</summary>
    private sealed record Layer(RecurrentCellKind Kind, DirectionWeights[] Directions, SequenceLayout InputLayout, int Steps, int[]? Lengths,
        SequenceLayout OutputLayout, RecurrentWorkspace Workspace)
    {
        public int Hidden => Directions[0].WeightHh.ShapeArray[1];

        public int Batch => InputLayout.Batch;

        public bool HasBias => Directions[0].BiasIh is not null;

        /// <summary>The number of inputs of the node per direction.</summary>
        public int ParametersPerDirection => HasBias ? 4 : 2;
    }

    private static (Tensor Output, Tensor States) Record<T>(Layer layer, Tensor input, Tensor? hidden0, Tensor? cell0, int[] outputShape, int[] statesShape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = layer.Batch, hidden = layer.Hidden, count = layer.Directions.Length, block = batch * hidden;
        var rows = TimeMajorRows((T[])input.Storage, layer.InputLayout, layer.Steps, input.ShapeArray[^1], layer.Workspace);
        var output = Tensor.Empty(outputShape, input.DType);
        var outputData = (T[])output.Storage;
        var passes = new RecurrentDirection<T>[count];
        for (int d = 0; d < count; d++)
        {
            var w = layer.Directions[d];
            passes[d] = new RecurrentDirection<T>(layer.Kind, batch, layer.Steps, hidden, reverse: d == 1, layer.Lengths,
                (T[])w.WeightIh.Storage, (T[])w.WeightHh.Storage, (T[]?)w.BiasIh?.Storage, (T[]?)w.BiasHh?.Storage, layer.Workspace);
            passes[d].Forward(rows, (T[]?)hidden0?.Storage, (T[]?)cell0?.Storage, d * block, outputData, layer.OutputLayout.Row, d * hidden, count * hidden);
        }
        var states = Tensor.Uninitialized(statesShape, input.DType);
        var statesData = (T[])states.Storage;
        for (int d = 0; d < count; d++)
        {
            Array.Copy(passes[d].Hidden, passes[d].FinalBlock * block, statesData, d * block, block);
            if (passes[d].Cell is { } cell) Array.Copy(cell, passes[d].FinalBlock * block, statesData, (count + d) * block, block);
        }

        var inputs = new List<Tensor> { input };
        foreach (var w in layer.Directions)
        {
            inputs.Add(w.WeightIh);
            inputs.Add(w.WeightHh);
            if (w.BiasIh is not null) inputs.Add(w.BiasIh);
            if (w.BiasHh is not null) inputs.Add(w.BiasHh);
        }
        if (hidden0 is not null) inputs.Add(hidden0);
        if (cell0 is not null) inputs.Add(cell0);
        var saved = passes.SelectMany(p => p.SavedArrays).Append(rows == input.Storage ? null : rows).OfType<Array>().ToArray();
        if (!Graph.ShouldRecord(inputs.ToArray()))
        {
            layer.Workspace.Return(saved);
            return (output, states);
        }

        string name = s_names[(int)layer.Kind];
        var run = new RecurrentWorkspace.Run(saved, name);
        layer.Workspace.Hold(run);
        SequenceRecord record = new SequenceRecord<T>(layer, passes, rows, hidden0 is not null, cell0 is not null, run);
        states = Graph.Record(name, inputs.ToArray(), states, static (g, node, record) => record.Backward(g, node), record);
        output = Graph.Record(name, [states], output, static (g, node, record) =>
        {
            RequirePlainPass(node.Op);
            record.OutputGrad = g;
            return [Tensor.Empty(node.Inputs[0].ShapeArray, g.DType)];
        }, record);
        return (output, states);
    }

    /// <summary>The steps run of a sequence tensor in time-major order: the tensor's own storage when it is time-major, else a copy.</summary>
    private static T[] TimeMajorRows<T>(T[] data, SequenceLayout layout, int steps, int features, RecurrentWorkspace workspace)
    {
        if (!layout.BatchFirst) return data;
        var rows = workspace.Rent<T>(steps * layout.Batch * features);
        for (int t = 0; t < steps; t++)
            for (int n = 0; n < layout.Batch; n++)
                Array.Copy(data, layout.Row(t, n) * features, rows, (t * layout.Batch + n) * features, features);
        return rows;
    }

    /// <summary>Refuses a recorded backward pass: the layer's derivatives are fused kernels, not differentiable tensor ops.</summary>
    private static void RequirePlainPass(string op)
    {
        if (Graph.IsBackwardRecorded)
            throw new NotSupportedException($"{op}: gradients of gradients (createGraph: true) through a recurrent layer are not supported; its backward pass is a fused kernel.");
    }

    /// <summary>What the two nodes of a layer share: the output's gradient, handed from the output's rule to the recurrence's.</summary>
    private abstract class SequenceRecord
    {
        /// <summary>The output sequence's gradient in the running backward pass, or null when the loss does not use the output.</summary>
        public Tensor? OutputGrad { get; set; }

        /// <summary>The recurrence's rule: the gradients of its inputs from the final states' gradient and <see cref="OutputGrad"/>.</summary>
        public abstract Tensor?[] Backward(Tensor statesGrad, Node node);
    }

    private sealed class SequenceRecord<T>(Layer layer, RecurrentDirection<T>[] passes, T[] rows, bool hasHidden0, bool hasCell0,
        RecurrentWorkspace.Run run) : SequenceRecord
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override Tensor?[] Backward(Tensor statesGrad, Node node)
        {
            RequirePlainPass(node.Op);
            run.CheckAvailable();
            var outputGrad = (T[]?)OutputGrad?.Storage;
            OutputGrad = null;
            var inputs = node.Inputs;
            var grads = new Tensor?[inputs.Length];
            int batch = layer.Batch, hidden = layer.Hidden, count = passes.Length, block = batch * hidden, per = layer.ParametersPerDirection;
            var input = inputs[0];
            int features = input.ShapeArray[^1];
            var hidden0 = hasHidden0 ? inputs[1 + count * per] : null;
            var cell0 = hasCell0 ? inputs[2 + count * per] : null;
            var g = (T[])statesGrad.Storage;
            bool isLstm = layer.Kind == RecurrentCellKind.Lstm;
            var dHidden0 = hidden0 is { RequiresGrad: true } ? Tensor.Uninitialized(hidden0.ShapeArray, input.DType) : null;
            var dCell0 = cell0 is { RequiresGrad: true } ? Tensor.Uninitialized(cell0.ShapeArray, input.DType) : null;

            // dX in time-major rows: straight into the gradient when the input is time-major, else a copy put in place afterwards.
            T[]? dRows = null;
            if (input.RequiresGrad)
            {
                grads[0] = Tensor.Empty(input.ShapeArray, input.DType);
                dRows = layer.InputLayout.BatchFirst ? layer.Workspace.Rent<T>(layer.Steps * batch * features) : (T[])grads[0]!.Storage;
            }

            var dh = new T[block];
            var dc = isLstm ? new T[block] : null;
            for (int d = 0; d < count; d++)
            {
                Array.Copy(g, d * block, dh, 0, block);
                if (dc is not null) Array.Copy(g, (count + d) * block, dc, 0, block);
                var (dp, dq) = passes[d].Backward(dh, dc, outputGrad, layer.OutputLayout.Row, d * hidden, count * hidden, dHidden0 is not null);
                try
                {
                    int first = 1 + d * per;
                    passes[d].ParameterGradients(dp, dq, rows,
                        Target(inputs[first], grads, first), Target(inputs[first + 1], grads, first + 1),
                        per == 4 ? Target(inputs[first + 2], grads, first + 2) : default,
                        per == 4 ? Target(inputs[first + 3], grads, first + 3) : default,
                        new RecurrentDirection<T>.Target(dRows, d > 0));
                }
                finally
                {
                    layer.Workspace.Return(dp, dq == dp ? null : dq);
                }
                if (dHidden0 is not null) Array.Copy(dh, 0, (T[])dHidden0.Storage, d * block, block);
                if (dCell0 is not null) Array.Copy(dc!, 0, (T[])dCell0.Storage, d * block, block);
            }

            if (dRows is not null && layer.InputLayout.BatchFirst)
            {
                var dx = (T[])grads[0]!.Storage;
                for (int t = 0; t < layer.Steps; t++)
                    for (int n = 0; n < batch; n++)
                        Array.Copy(dRows, (t * batch + n) * features, dx, layer.InputLayout.Row(t, n) * features, features);
                layer.Workspace.Return(dRows);
            }
            if (hidden0 is not null) grads[1 + count * per] = dHidden0;
            if (cell0 is not null) grads[2 + count * per] = dCell0;
            run.BackwardDone = true;
            return grads;
        }

        /// <summary>
        /// Where a parameter's gradient goes: straight into its <see cref="Tensor.Grad"/> when the pass
        /// allows (the node then returns null for it), else into a new tensor returned as its gradient.
        /// </summary>
        private static RecurrentDirection<T>.Target Target(Tensor parameter, Tensor?[] grads, int index)
        {
            if (!parameter.RequiresGrad) return default;
            if (Graph.LeafGradTarget(parameter, out bool overwrite) is { } target) return new((T[])target.Storage, !overwrite);
            grads[index] = Tensor.Uninitialized(parameter.ShapeArray, parameter.DType);
            return new((T[])grads[index]!.Storage, false);
        }
    }
}
