using System.Globalization;

namespace Nabla.NN;

/// <summary>
/// What <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> share, as PyTorch's <c>RNNBase</c>:
/// a stack of <see cref="NumLayers"/> recurrent layers, each running over the sequence (and, when
/// <see cref="Bidirectional"/>, also from its end) and feeding its outputs to the next, with the
/// parameters named and shaped exactly as PyTorch's (<c>weight_ih_l{k}</c> of shape (G·hidden, in),
/// <c>weight_hh_l{k}</c> (G·hidden, hidden), <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> (G·hidden), G the
/// number of gates, and the same with the suffix <c>_reverse</c> for the reverse direction), so a
/// PyTorch state dict loads with <see cref="Module.LoadStateDict"/>.
/// </summary>
/// <remarks>
/// <para>
/// Input: (L, N, H_in), or (N, L, H_in) when <see cref="BatchFirst"/>, or (L, H_in) for a single
/// unbatched sequence. Output: the last layer's hidden state at every step, (L, N, D·hidden)
/// ((N, L, D·hidden) when batch first, (L, D·hidden) unbatched), D = 2 when bidirectional, the
/// forward direction's features first. Final states: (NumLayers·D, N, hidden) ((NumLayers·D, hidden)
/// unbatched), whatever <see cref="BatchFirst"/> says, in PyTorch's order: layer 0 forward, layer 0
/// reverse, layer 1 forward, ...
/// </para>
/// <para>
/// Sequences of different lengths in one padded batch (the <c>Forward(input, lengths)</c> overloads)
/// give what PyTorch's <c>pack_padded_sequence</c> and <c>pad_packed_sequence</c> give: zeros at the
/// steps past each sequence's length, final states taken at each sequence's last valid step, and the
/// reverse direction starting there. Only the steps of the longest sequence run, so the padding never
/// changes a result: the same batch padded to 10 or 100 steps gives bit-identical outputs on the valid
/// steps, final states and gradients.
/// </para>
/// <para>
/// Speed: per layer and direction, one matrix product projects the whole sequence's inputs; each step
/// is then one product h·W_hhᵀ for all gates together and one fused pass for the gate
/// nonlinearities, and the backward pass does the same in reverse (<see cref="RecurrentDirection{T}"/>).
/// The graph holds two nodes per layer (<see cref="RecurrentSequence"/>).
/// </para>
/// <para>
/// Every weight is drawn from U(−1/√hidden, 1/√hidden), PyTorch's initialisation. Between layers,
/// in training mode, <see cref="Dropout"/> zeroes each output (of both directions) with that
/// probability and scales the rest by 1/(1 − p), drawing from the layer's generator.
/// </para>
/// </remarks>
public abstract class RecurrentLayer : Module, IRandomModule
{
    private readonly RecurrentCellKind _kind;
    private readonly RecurrentSequence.DirectionWeights[][] _directions;
    private readonly Generator _generator;
    private readonly DType _dtype;
    private readonly RecurrentWorkspace _workspace = new();

    private protected RecurrentLayer(RecurrentCellKind kind, int gates, int inputSize, int hiddenSize, int numLayers,
        bool bias, bool batchFirst, double dropout, bool bidirectional, Generator? generator, DType dtype)
    {
        string name = GetType().Name;
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"{name}: the input size must be positive, got {inputSize}.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, $"{name}: the hidden size must be positive, got {hiddenSize}.");
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, $"{name}: the number of layers must be at least 1, got {numLayers}.");
        if (!(dropout >= 0 && dropout <= 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"{name}: the dropout probability must be in [0, 1], got {dropout.ToString(CultureInfo.InvariantCulture)}.");
        if (dtype == DType.Int32) throw new ArgumentException($"{name}: the weights must be Float32 or Float64, got Int32.", nameof(dtype));

        (_kind, _dtype) = (kind, dtype);
        (InputSize, HiddenSize, NumLayers, HasBias, BatchFirst, Dropout, Bidirectional) = (inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
        _generator = generator ?? Init.DefaultGenerator;
        double bound = 1 / Math.Sqrt(hiddenSize);
        Tensor Draw(params int[] shape) => Init.Uniform(Tensor.Zeros(shape, dtype), -bound, bound, _generator);
        string[] suffixes = bidirectional ? ["", "_reverse"] : [""];
        _directions = new RecurrentSequence.DirectionWeights[numLayers][];
        for (int l = 0; l < numLayers; l++)
        {
            int layerInput = l == 0 ? inputSize : OutputSize;
            _directions[l] = new RecurrentSequence.DirectionWeights[suffixes.Length];
            for (int d = 0; d < suffixes.Length; d++)
            {
                string suffix = $"l{l}{suffixes[d]}";
                var weightIh = RegisterParameter($"weight_ih_{suffix}", Draw(gates * hiddenSize, layerInput));
                var weightHh = RegisterParameter($"weight_hh_{suffix}", Draw(gates * hiddenSize, hiddenSize));
                var biasIh = bias ? RegisterParameter($"bias_ih_{suffix}", Draw(gates * hiddenSize)) : null;
                var biasHh = bias ? RegisterParameter($"bias_hh_{suffix}", Draw(gates * hiddenSize)) : null;
                _directions[l][d] = new(weightIh, weightHh, biasIh, biasHh);
            }
        }
    }

    /// <summary>The number of features of each input step.</summary>
    public int InputSize { get; }

    Generator IRandomModule.Generator => _generator;

    /// <summary>The number of features of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>The number of stacked recurrent layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether each layer has the biases b_ih and b_hh.</summary>
    public bool HasBias { get; }

    /// <summary>Whether inputs and outputs are (N, L, features) rather than (L, N, features).</summary>
    public bool BatchFirst { get; }

    /// <summary>The probability of zeroing each output of every layer but the last (both directions' features), in training mode.</summary>
    public double Dropout { get; }

    /// <summary>Whether each layer also runs over the sequence from its end, as PyTorch's <c>bidirectional=True</c>.</summary>
    public bool Bidirectional { get; }

    /// <summary>The number of features of each output step: <see cref="HiddenSize"/> × 2 when <see cref="Bidirectional"/>, else <see cref="HiddenSize"/>.</summary>
    public int OutputSize => Bidirectional ? 2 * HiddenSize : HiddenSize;

    /// <summary>The output sequence (the last layer's hidden state at every step), starting from zero states.</summary>
    /// <exception cref="ShapeMismatchException">The input is not (L, N, InputSize), (N, L, InputSize) or (L, InputSize).</exception>
    public override Tensor Forward(Tensor input) => Run(input, null, null, null).Output;

    /// <summary>A short description for messages, such as "LSTM(4, 3)".</summary>
    private protected string Label => $"{GetType().Name}({InputSize}, {HiddenSize})";

    /// <summary>
    /// Runs every layer over the sequence; <paramref name="cell0"/> only for the LSTM, and
    /// <paramref name="lengths"/> (each sequence's number of valid steps) only for batched input.
    /// </summary>
    private protected (Tensor Output, Tensor Hidden, Tensor? Cell) Run(Tensor input, Tensor? hidden0, Tensor? cell0, int[]? lengths)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool batched = CheckInput(input);
        int length = input.ShapeArray[batched && BatchFirst ? 1 : 0], batch = batched ? input.ShapeArray[BatchFirst ? 0 : 1] : 1;
        int directions = Bidirectional ? 2 : 1;
        int[] stateShape = batched ? [NumLayers * directions, batch, HiddenSize] : [NumLayers * directions, HiddenSize];
        CheckState(hidden0, stateShape, "initial hidden state");
        CheckState(cell0, stateShape, "initial cell state");
        int steps = CheckLengths(lengths, batched, batch, length);

        _workspace.BeginForward();
        // Only the steps of the longest sequence run, so padding beyond it changes nothing, not even the dropout masks drawn.
        var layout = new RecurrentSequence.SequenceLayout(length, batch, batched && BatchFirst);
        var inner = new RecurrentSequence.SequenceLayout(steps, batch, false);
        var x = input;
        var finalHidden = new Tensor[NumLayers];
        var finalCell = new Tensor[NumLayers];
        for (int l = 0; l < NumLayers; l++)
        {
            bool last = l == NumLayers - 1;
            var outputLayout = last ? layout : inner;
            int[] outputShape = !batched ? [length, OutputSize] : outputLayout.BatchFirst ? [batch, length, OutputSize] : [outputLayout.Length, batch, OutputSize];
            int[] statesShape = batched ? [StatesPerDirection * directions, batch, HiddenSize] : [StatesPerDirection * directions, HiddenSize];
            var (output, states) = RecurrentSequence.Run(_kind, _directions[l], x, l == 0 ? layout : inner, steps, lengths,
                LayerState(hidden0, l), LayerState(cell0, l), outputLayout, outputShape, statesShape, _workspace);
            if (_kind == RecurrentCellKind.Lstm)
            {
                finalHidden[l] = states.Slice(0, 0, directions);
                finalCell[l] = states.Slice(0, directions, directions);
            }
            else
            {
                finalHidden[l] = states;
            }
            x = !last && IsTraining && Dropout > 0 ? ApplyDropout(output) : output;
        }

        Tensor States(Tensor[] perLayer) => perLayer.Length == 1 ? perLayer[0] : Tensor.Concat(perLayer);
        return (x, States(finalHidden), _kind == RecurrentCellKind.Lstm ? States(finalCell) : null);
    }

    /// <summary>The number of state tensors a layer carries per direction: 2 for the LSTM (hidden and cell), 1 otherwise.</summary>
    private int StatesPerDirection => _kind == RecurrentCellKind.Lstm ? 2 : 1;

    /// <summary>Layer <paramref name="layer"/>'s initial states (directions, N, H), or null for zeros.</summary>
    private Tensor? LayerState(Tensor? states, int layer)
    {
        if (states is null || NumLayers == 1) return states;
        int directions = Bidirectional ? 2 : 1;
        return states.Slice(0, layer * directions, directions);
    }

    /// <summary>Checks the lengths against the input; returns the number of steps to run (the longest sequence, or all).</summary>
    private int CheckLengths(int[]? lengths, bool batched, int batch, int length)
    {
        if (lengths is null) return length;
        if (!batched)
            throw new ArgumentException($"{Label}: lengths are for a batch of padded sequences; this input is one unbatched sequence, whose length is its number of steps.", nameof(lengths));
        if (lengths.Length != batch)
            throw new ArgumentException($"{Label}: {lengths.Length} lengths for a batch of {batch} sequences; give one length per sequence.", nameof(lengths));
        int longest = 0;
        for (int n = 0; n < lengths.Length; n++)
        {
            if (lengths[n] < 1 || lengths[n] > length)
                throw new ArgumentException($"{Label}: lengths[{n}] is {lengths[n]}; each length must be in 1..{length} (the input's steps).", nameof(lengths));
            longest = Math.Max(longest, lengths[n]);
        }
        return longest;
    }

    /// <summary>Multiplies a layer's output by a mask of zeros and 1/(1 − p), drawn in the output's element order.</summary>
    private Tensor ApplyDropout(Tensor output)
    {
        double keep = Dropout < 1 ? 1 / (1 - Dropout) : 0;
        var mask = Tensor.Empty(output.ShapeArray, _dtype);
        for (int i = 0; i < mask.Length; i++) mask.SetFlat(i, _generator.NextDouble() < Dropout ? 0 : keep);
        return output * mask;
    }

    /// <summary>Checks the input's type and shape; returns whether it is batched.</summary>
    private bool CheckInput(Tensor input)
    {
        if (input.DType != _dtype)
            throw new ArgumentException($"{Label}: the input is {input.DType} but the weights are {_dtype}; convert it with To(DType.{_dtype}).", nameof(input));
        if ((input.Rank != 2 && input.Rank != 3) || input.ShapeArray[^1] != InputSize || input.Length == 0)
        {
            string layout = BatchFirst ? "(N, L, {0}) (batch first)" : "(L, N, {0})";
            throw new ShapeMismatchException($"{Label}: input of shape {Shapes.Format(input.ShapeArray)} must be {string.Format(CultureInfo.InvariantCulture, layout, InputSize)} or (L, {InputSize}) unbatched, with L and N positive.");
        }
        return input.Rank == 3;
    }

    private void CheckState(Tensor? state, int[] expected, string what)
    {
        if (state is null) return;
        if (!state.Shape.SequenceEqual(expected))
            throw new ShapeMismatchException($"{Label}: the {what} has shape {Shapes.Format(state.ShapeArray)}, expected {Shapes.Format(expected)} (layers, {(expected.Length == 3 ? "batch, " : "")}hidden).");
        if (state.DType != _dtype)
            throw new ArgumentException($"{Label}: the {what} is {state.DType} but the weights are {_dtype}.", nameof(state));
    }
}
