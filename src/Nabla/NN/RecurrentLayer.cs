using System.Globalization;

namespace Nabla.NN;

/// <summary>
/// What <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> share, as PyTorch's <c>RNNBase</c>:
/// a stack of <see cref="NumLayers"/> recurrent layers, each running over the sequence and feeding
/// its outputs to the next, with the parameters named and shaped exactly as PyTorch's
/// (<c>weight_ih_l{k}</c> of shape (G·hidden, in), <c>weight_hh_l{k}</c> (G·hidden, hidden),
/// <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> (G·hidden), G the number of gates), so a PyTorch
/// state dict loads with <see cref="Module.LoadStateDict"/>.
/// </summary>
/// <remarks>
/// <para>
/// Input: (L, N, H_in), or (N, L, H_in) when <see cref="BatchFirst"/>, or (L, H_in) for a single
/// unbatched sequence. Output: the last layer's hidden state at every step, (L, N, hidden)
/// ((N, L, hidden) when batch first, (L, hidden) unbatched). Final states: (NumLayers, N, hidden)
/// ((NumLayers, hidden) unbatched), whatever <see cref="BatchFirst"/> says, as in PyTorch.
/// </para>
/// <para>
/// Speed: per layer, one matrix product projects the whole sequence's inputs; each step is then one
/// product h·W_hhᵀ for all gates together and one fused op for the gate nonlinearities
/// (<see cref="RecurrentStep"/>), so the graph holds one node a step (two for the LSTM).
/// </para>
/// <para>
/// Every weight is drawn from U(−1/√hidden, 1/√hidden), PyTorch's initialisation. Between layers,
/// in training mode, <see cref="Dropout"/> zeroes each output with that probability (and scales the
/// rest by 1/(1 − p)), drawing from the layer's generator.
/// </para>
/// </remarks>
public abstract class RecurrentLayer : Module, IRandomModule
{
    private readonly RecurrentCellKind _kind;
    private readonly int _gates;
    private readonly Tensor[] _weightIh, _weightHh;
    private readonly Tensor?[] _biasIh, _biasHh;
    private readonly Generator _generator;
    private readonly DType _dtype;

    private protected RecurrentLayer(RecurrentCellKind kind, int gates, int inputSize, int hiddenSize, int numLayers,
        bool bias, bool batchFirst, double dropout, Generator? generator, DType dtype)
    {
        string name = GetType().Name;
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"{name}: the input size must be positive, got {inputSize}.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, $"{name}: the hidden size must be positive, got {hiddenSize}.");
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, $"{name}: the number of layers must be at least 1, got {numLayers}.");
        if (!(dropout >= 0 && dropout <= 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"{name}: the dropout probability must be in [0, 1], got {dropout.ToString(CultureInfo.InvariantCulture)}.");
        if (dtype == DType.Int32) throw new ArgumentException($"{name}: the weights must be Float32 or Float64, got Int32.", nameof(dtype));

        (_kind, _gates, _dtype) = (kind, gates, dtype);
        (InputSize, HiddenSize, NumLayers, HasBias, BatchFirst, Dropout) = (inputSize, hiddenSize, numLayers, bias, batchFirst, dropout);
        _generator = generator ?? Init.DefaultGenerator;
        _weightIh = new Tensor[numLayers];
        _weightHh = new Tensor[numLayers];
        _biasIh = new Tensor?[numLayers];
        _biasHh = new Tensor?[numLayers];
        double bound = 1 / Math.Sqrt(hiddenSize);
        Tensor Draw(params int[] shape) => Init.Uniform(Tensor.Zeros(shape, dtype), -bound, bound, _generator);
        for (int l = 0; l < numLayers; l++)
        {
            int layerInput = l == 0 ? inputSize : hiddenSize;
            _weightIh[l] = RegisterParameter($"weight_ih_l{l}", Draw(gates * hiddenSize, layerInput));
            _weightHh[l] = RegisterParameter($"weight_hh_l{l}", Draw(gates * hiddenSize, hiddenSize));
            if (!bias) continue;
            _biasIh[l] = RegisterParameter($"bias_ih_l{l}", Draw(gates * hiddenSize));
            _biasHh[l] = RegisterParameter($"bias_hh_l{l}", Draw(gates * hiddenSize));
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

    /// <summary>The probability of zeroing each output of every layer but the last, in training mode.</summary>
    public double Dropout { get; }

    /// <summary>The output sequence (the last layer's hidden state at every step), starting from zero states.</summary>
    /// <exception cref="ShapeMismatchException">The input is not (L, N, InputSize), (N, L, InputSize) or (L, InputSize).</exception>
    public override Tensor Forward(Tensor input) => Run(input, null, null).Output;

    /// <summary>A short description for messages, such as "LSTM(4, 3)".</summary>
    private protected string Label => $"{GetType().Name}({InputSize}, {HiddenSize})";

    /// <summary>Runs every layer over the sequence; <paramref name="cell0"/> only for the LSTM.</summary>
    private protected (Tensor Output, Tensor Hidden, Tensor? Cell) Run(Tensor input, Tensor? hidden0, Tensor? cell0)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool batched = CheckInput(input);
        var sequence = !batched ? input.Unsqueeze(1) : BatchFirst ? input.Permute(1, 0, 2) : input;
        int length = sequence.ShapeArray[0], batch = sequence.ShapeArray[1];
        int[] stateShape = batched ? [NumLayers, batch, HiddenSize] : [NumLayers, HiddenSize];
        CheckState(hidden0, stateShape, "initial hidden state");
        CheckState(cell0, stateShape, "initial cell state");
        if (!batched)
        {
            hidden0 = hidden0?.Unsqueeze(1);
            cell0 = cell0?.Unsqueeze(1);
        }

        var steps = new Tensor[length];
        for (int t = 0; t < length; t++) steps[t] = sequence.Slice(0, t, 1).Reshape(batch, InputSize);
        var finalHidden = new Tensor[NumLayers];
        var finalCell = new Tensor[NumLayers];
        for (int l = 0; l < NumLayers; l++)
        {
            var projection = Project(l, steps);
            var biasIh = _biasIh[l] ?? Tensor.Zeros([_gates * HiddenSize], _dtype);
            var biasHh = _biasHh[l] ?? Tensor.Zeros([_gates * HiddenSize], _dtype);
            var h = InitialState(hidden0, l, batch);
            var c = _kind == RecurrentCellKind.Lstm ? InitialState(cell0, l, batch) : null;
            var outputs = new Tensor[length];
            for (int t = 0; t < length; t++)
            {
                var next = RecurrentStep.Step(_kind, projection, t, steps[t], h, _weightIh[l], _weightHh[l], biasIh, biasHh, c);
                if (c is null)
                {
                    h = next;
                }
                else
                {
                    c = next;
                    h = RecurrentStep.LstmHidden(next);
                }
                outputs[t] = h;
            }
            finalHidden[l] = h;
            if (c is not null) finalCell[l] = c.Slice(1, 0, HiddenSize);
            if (l < NumLayers - 1 && IsTraining && Dropout > 0) ApplyDropout(outputs);
            steps = outputs;
        }

        var output = !batched ? Tensor.Concat(steps) : Tensor.Stack(steps, BatchFirst ? 1 : 0);
        Tensor States(Tensor[] perLayer) => batched ? Tensor.Stack(perLayer) : Tensor.Concat(perLayer);
        return (output, States(finalHidden), _kind == RecurrentCellKind.Lstm ? States(finalCell) : null);
    }

    /// <summary>x·W_ihᵀ + b for every step at once, outside the graph (the steps' backward covers it); see <see cref="RecurrentStep"/>.</summary>
    private Tensor Project(int layer, Tensor[] steps)
    {
        int rows = steps[0].ShapeArray[0], features = steps[0].ShapeArray[1];
        var inputs = Tensor.Empty([steps.Length * rows, features], _dtype);
        for (int t = 0; t < steps.Length; t++) Array.Copy(steps[t].Storage, 0, inputs.Storage, t * rows * features, rows * features);
        using var noGrad = Autograd.NoGrad();
        var projection = Tensor.Product(inputs, _weightIh[layer], false, true);
        if (_biasIh[layer] is not { } biasIh) return projection;
        // The GRU keeps b_hh apart: its n gate scales W_hn·h + b_hn by r.
        return projection + (_kind == RecurrentCellKind.Gru ? biasIh : biasIh + _biasHh[layer]!);
    }

    private Tensor InitialState(Tensor? states, int layer, int batch) =>
        states is null ? Tensor.Zeros([batch, HiddenSize], _dtype) : states.Slice(0, layer, 1).Reshape(batch, HiddenSize);

    /// <summary>Multiplies each step's output by its own mask of zeros and 1/(1 − p).</summary>
    private void ApplyDropout(Tensor[] outputs)
    {
        double keep = Dropout < 1 ? 1 / (1 - Dropout) : 0;
        for (int t = 0; t < outputs.Length; t++)
        {
            var mask = Tensor.Empty(outputs[t].ShapeArray, _dtype);
            for (int i = 0; i < mask.Length; i++) mask.SetFlat(i, _generator.NextDouble() < Dropout ? 0 : keep);
            outputs[t] *= mask;
        }
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
