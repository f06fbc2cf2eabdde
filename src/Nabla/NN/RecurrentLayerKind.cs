namespace Nabla.NN;

/// <summary>Which recurrent layer a <see cref="SequenceClassifier"/> runs over the token vectors.</summary>
public enum RecurrentLayerKind
{
    /// <summary>An Elman network with tanh, <see cref="RNN"/>.</summary>
    Rnn,

    /// <summary>Long short-term memory, <see cref="LSTM"/>.</summary>
    Lstm,

    /// <summary>Gated recurrent units, <see cref="GRU"/>.</summary>
    Gru,
}
