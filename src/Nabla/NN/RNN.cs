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
/// var (output, hidden) = rnn.Forward(x, null);   // x (N, L, 8): output (N, L, 16), hidden (2, N, 16)
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
    /// <param name="generator">Where the initial weights and the dropout masks come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, numLayers &lt; 1, or dropout is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">The nonlinearity is neither tanh nor ReLU, or dtype is Int32.</exception>
    public RNN(int inputSize, int hiddenSize, int numLayers = 1, Nonlinearity nonlinearity = Nonlinearity.Tanh, bool bias = true,
        bool batchFirst = false, double dropout = 0, Generator? generator = null, DType dtype = DType.Float32)
        : base(KindOf(nonlinearity), 1, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, generator, dtype)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary>The activation of each step: <see cref="Nonlinearity.Tanh"/> or <see cref="Nonlinearity.Relu"/>.</summary>
    public Nonlinearity Nonlinearity { get; }

    /// <summary>Runs the network from the initial hidden state <paramref name="hidden0"/> (zeros when null).</summary>
    /// <param name="input">(L, N, InputSize), (N, L, InputSize) when batch first, or (L, InputSize) unbatched.</param>
    /// <param name="hidden0">(NumLayers, N, HiddenSize), or (NumLayers, HiddenSize) unbatched; null for zeros.</param>
    /// <returns>The output sequence (the last layer's h at every step) and the final hidden state of every layer.</returns>
    /// <exception cref="ShapeMismatchException">The input or the initial state has the wrong shape.</exception>
    public (Tensor Output, Tensor Hidden) Forward(Tensor input, Tensor? hidden0)
    {
        var (output, hidden, _) = Run(input, hidden0, null);
        return (output, hidden);
    }

    private static RecurrentCellKind KindOf(Nonlinearity nonlinearity) => nonlinearity switch
    {
        Nonlinearity.Tanh => RecurrentCellKind.RnnTanh,
        Nonlinearity.Relu => RecurrentCellKind.RnnRelu,
        _ => throw new ArgumentException($"RNN: the nonlinearity must be Tanh or Relu, got {nonlinearity}.", nameof(nonlinearity)),
    };
}
