using Nabla.NN;

namespace Nabla.Onnx.Import;

/// <summary>
/// The final hidden state of a one-layer, one-direction <see cref="LSTM"/> or <see cref="GRU"/> run from zero states over
/// batch-first sequences, (N, L, features) → (N, hidden): what PyTorch's <c>_, h = rnn(x); h[-1]</c> gives. Its
/// parameters are the recurrent layer's, under "recurrent." ("recurrent.weight_ih_l0", …).
/// </summary>
internal sealed class RecurrentFinalState : Module
{
    /// <summary>Wraps <paramref name="recurrent"/>, which must be batch first, of one layer and one direction.</summary>
    public RecurrentFinalState(RecurrentLayer recurrent) => Recurrent = RegisterModule("recurrent", recurrent);

    /// <summary>The recurrent layer.</summary>
    public RecurrentLayer Recurrent { get; }

    /// <summary>The hidden state after each sequence's last step, (N, hidden), of (N, L, features) inputs.</summary>
    public override Tensor Forward(Tensor input)
    {
        var hidden = Recurrent is LSTM lstm ? lstm.Forward(input, state: null).State.Hidden : ((GRU)Recurrent).Forward(input, hidden0: null).Hidden;
        return hidden.Reshape(hidden.Shape[1], hidden.Shape[2]);
    }
}
