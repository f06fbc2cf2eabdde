namespace Nabla.Cli;

/// <summary>The settings of a text model, <c>nabla train --text</c>: how texts become ids, and the sizes of the layers.</summary>
/// <param name="Columns">The text columns (<c>--text</c>, repeatable), in the order their cells are joined.</param>
/// <param name="MaxLength">The most terms of a text kept (<c>--max-length</c>).</param>
/// <param name="VocabularySize">The most ids of the vocabulary, <c>&lt;pad&gt;</c> and <c>&lt;unk&gt;</c> included (<c>--vocab-size</c>), or null for every term frequent enough.</param>
/// <param name="MinFrequency">How often a term must occur in the training texts to enter the vocabulary (<c>--min-frequency</c>).</param>
/// <param name="EmbeddingDim">The length of each term's vector for lstm, gru, rnn and bow (<c>--embedding-dim</c>).</param>
/// <param name="HiddenSize">The recurrent state's features per direction for lstm, gru and rnn (<c>--hidden</c>, one width).</param>
/// <param name="Layers">The stacked recurrent layers for lstm, gru and rnn (<c>--layers</c>).</param>
/// <param name="Bidirectional">Whether each recurrent layer also reads the text from its end (<c>--bidirectional</c>).</param>
internal sealed record TextModelSettings(IReadOnlyList<string> Columns, int MaxLength, int? VocabularySize, int MinFrequency, int EmbeddingDim,
    int HiddenSize, int Layers, bool Bidirectional)
{
    /// <summary>Whether <paramref name="model"/> reads texts only: the recurrent models and the bag of embeddings (logistic and svm read texts with <c>--text</c>, numbers without).</summary>
    public static bool IsTextOnly(ModelKind model) => model is ModelKind.Lstm or ModelKind.Gru or ModelKind.Rnn or ModelKind.Bow;

    /// <summary>Whether <paramref name="model"/> is a recurrent text model.</summary>
    public static bool IsRecurrent(ModelKind model) => model is ModelKind.Lstm or ModelKind.Gru or ModelKind.Rnn;
}
