namespace Nabla.NN;

/// <summary>
/// A long short-term memory network, as <c>torch.nn.LSTM</c>: at each step, with gates in PyTorch's
/// order i, f, g, o,
/// i = σ(W_ii·x + b_ii + W_hi·h + b_hi), f = σ(…), g = tanh(…), o = σ(…),
/// c′ = f⊙c + i⊙g, h′ = o⊙tanh(c′).
/// Shapes, parameter names and initialisation are described on <see cref="RecurrentLayer"/>; the
/// cell state has the hidden state's shape.
/// </summary>
/// <example>
/// <code>
/// var lstm = new LSTM(inputSize: 8, hiddenSize: 16, numLayers: 2);
/// var (output, (hidden, cell)) = lstm.Forward(x, state: null);   // x (L, N, 8): output (L, N, 16), hidden and cell (2, N, 16)
/// </code>
/// </example>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>Creates the network with freshly initialised weights.</summary>
    /// <param name="inputSize">The number of features of each input step.</param>
    /// <param name="hiddenSize">The number of features of the hidden and cell states.</param>
    /// <param name="numLayers">The number of stacked layers (at least 1).</param>
    /// <param name="bias">Whether each layer has the biases b_ih and b_hh.</param>
    /// <param name="batchFirst">Whether inputs and outputs are (N, L, features) rather than (L, N, features).</param>
    /// <param name="dropout">The probability of zeroing each output of every layer but the last, in training mode; in [0, 1].</param>
    /// <param name="bidirectional">Whether each layer also runs over the sequence from its end; the outputs then hold both directions' features.</param>
    /// <param name="generator">Where the initial weights and the dropout masks come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, numLayers &lt; 1, or dropout is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">dtype is Int32.</exception>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
        bool bidirectional = false, Generator? generator = null, DType dtype = DType.Float32)
        : base(RecurrentCellKind.Lstm, 4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator, dtype)
    {
    }

    /// <summary>Runs the network from the initial hidden and cell states (zeros when <paramref name="state"/> is null).</summary>
    /// <param name="input">(L, N, InputSize), (N, L, InputSize) when batch first, or (L, InputSize) unbatched.</param>
    /// <param name="state">The initial hidden and cell states, each (NumLayers·D, N, HiddenSize), or (NumLayers·D, HiddenSize) unbatched, D = 2 when bidirectional; null for zeros.</param>
    /// <returns>The output sequence (the last layer's h at every step) and the final hidden and cell states of every layer.</returns>
    /// <exception cref="ShapeMismatchException">The input or an initial state has the wrong shape.</exception>
    public (Tensor Output, (Tensor Hidden, Tensor Cell) State) Forward(Tensor input, (Tensor Hidden, Tensor Cell)? state)
    {
        if (state is { } s)
        {
            ArgumentNullException.ThrowIfNull(s.Hidden, "state.Hidden");
            ArgumentNullException.ThrowIfNull(s.Cell, "state.Cell");
        }
        var (output, hidden, cell) = Run(input, state?.Hidden, state?.Cell, null);
        return (output, (hidden, cell!));
    }

    /// <summary>
    /// Runs the network over a padded batch of sequences of different lengths, as
    /// PyTorch over <c>pack_padded_sequence(input, lengths, enforce_sorted=False)</c>: the outputs at
    /// steps ≥ lengths[n] are zero, and the final states are each sequence's states after its last
    /// valid step (the reverse direction starts there).
    /// </summary>
    /// <param name="input">A padded batch: (L, N, InputSize), or (N, L, InputSize) when batch first.</param>
    /// <param name="lengths">Each sequence's number of valid steps, in 1..L; the steps after it are padding.</param>
    /// <param name="state">The initial hidden and cell states, each (NumLayers·D, N, HiddenSize); null for zeros.</param>
    /// <returns>The output sequence and the final hidden and cell states of every layer and direction.</returns>
    /// <exception cref="ShapeMismatchException">The input or an initial state has the wrong shape.</exception>
    /// <exception cref="ArgumentException">The input is unbatched, or <paramref name="lengths"/> does not give one length in 1..L per sequence.</exception>
    public (Tensor Output, (Tensor Hidden, Tensor Cell) State) Forward(Tensor input, int[] lengths, (Tensor Hidden, Tensor Cell)? state = null)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        var (output, hidden, cell) = Run(input, state?.Hidden, state?.Cell, lengths);
        return (output, (hidden, cell!));
    }
}
