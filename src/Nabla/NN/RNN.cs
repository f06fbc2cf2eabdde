namespace Nabla.NN;

/// <summary>
/// An Elman recurrent network, as <c>torch.nn.RNN</c>: at each step
/// h′ = act(W_ih·x + b_ih + W_hh·h + b_hh) with act tanh or ReLU, over
/// <see cref="RecurrentLayer.NumLayers"/> stacked layers. Shapes, parameter names and
/// initialisation are described on <see cref="RecurrentLayer"/>.
/// </summary>
/// <example>
/// <code>
/// var rnn = new RNN(inputSize: 8, hiddenSize: 16, numLayers: 2, batchFirst: true);
/// var (output, hidden) = rnn.Forward(x, hidden0: null);   // x (N, L, 8): output (N, L, 16), hidden (2, N, 16)
/// </code>
/// </example>
public sealed class RNN : RecurrentLayer
{
    /// <summary>Creates the network with freshly initialised weights.</summary>
    /// <param name="inputSize">The number of features of each input step.</param>
    /// <param name="hiddenSize">The number of features of the hidden state.</param>
    /// <param name="numLayers">The number of stacked layers (at least 1).</param>
    /// <param name="nonlinearity"><see cref="Nonlinearity.Tanh"/> (the default) or <see cref="Nonlinearity.Relu"/>.</param>
    /// <param name="bias">Whether each layer has the biases b_ih and b_hh.</param>
    /// <param name="batchFirst">Whether inputs and outputs are (N, L, features) rather than (L, N, features).</param>
    /// <param name="dropout">The probability of zeroing each output of every layer but the last, in training mode; in [0, 1].</param>
    /// <param name="bidirectional">Whether each layer also runs over the sequence from its end; the outputs then hold both directions' features.</param>
    /// <param name="generator">Where the initial weights and the dropout masks come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, numLayers &lt; 1, or dropout is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">The nonlinearity is neither tanh nor ReLU, or dtype is Int32.</exception>
    public RNN(int inputSize, int hiddenSize, int numLayers = 1, Nonlinearity nonlinearity = Nonlinearity.Tanh, bool bias = true,
        bool batchFirst = false, double dropout = 0, bool bidirectional = false, Generator? generator = null, DType dtype = DType.Float32)
        : base(KindOf(nonlinearity), 1, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator, dtype)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary>The activation of each step: <see cref="Nonlinearity.Tanh"/> or <see cref="Nonlinearity.Relu"/>.</summary>
    public Nonlinearity Nonlinearity { get; }

    /// <summary>Runs the network from the initial hidden state <paramref name="hidden0"/> (zeros when null).</summary>
    /// <param name="input">(L, N, InputSize), (N, L, InputSize) when batch first, or (L, InputSize) unbatched.</param>
    /// <param name="hidden0">(NumLayers·D, N, HiddenSize), or (NumLayers·D, HiddenSize) unbatched, D = 2 when bidirectional; null for zeros.</param>
    /// <returns>The output sequence (the last layer's h at every step) and the final hidden state of every layer.</returns>
    /// <exception cref="ShapeMismatchException">The input or the initial state has the wrong shape.</exception>
    public (Tensor Output, Tensor Hidden) Forward(Tensor input, Tensor? hidden0)
    {
        var (output, hidden, _) = Run(input, hidden0, null, null);
        return (output, hidden);
    }

    /// <summary>
    /// Runs the network over a padded batch of sequences of different lengths, as
    /// PyTorch over <c>pack_padded_sequence(input, lengths, enforce_sorted=False)</c>: the outputs at
    /// steps ≥ lengths[n] are zero, and the final states are each sequence's state after its last
    /// valid step (the reverse direction starts there).
    /// </summary>
    /// <param name="input">A padded batch: (L, N, InputSize), or (N, L, InputSize) when batch first.</param>
    /// <param name="lengths">Each sequence's number of valid steps, in 1..L; the steps after it are padding.</param>
    /// <param name="hidden0">(NumLayers·D, N, HiddenSize); null for zeros.</param>
    /// <returns>The output sequence and the final hidden state of every layer and direction.</returns>
    /// <exception cref="ShapeMismatchException">The input or an initial state has the wrong shape.</exception>
    /// <exception cref="ArgumentException">The input is unbatched, or <paramref name="lengths"/> does not give one length in 1..L per sequence.</exception>
    public (Tensor Output, Tensor Hidden) Forward(Tensor input, int[] lengths, Tensor? hidden0 = null)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        var (output, hidden, _) = Run(input, hidden0, null, lengths);
        return (output, hidden);
    }

    private static RecurrentCellKind KindOf(Nonlinearity nonlinearity) => nonlinearity switch
    {
        Nonlinearity.Tanh => RecurrentCellKind.RnnTanh,
        Nonlinearity.Relu => RecurrentCellKind.RnnRelu,
        _ => throw new ArgumentException($"RNN: the nonlinearity must be Tanh or Relu, got {nonlinearity}.", nameof(nonlinearity)),
    };
}
