namespace Nabla.NN;

/// <summary>
/// A recurrent text classifier: token ids → <see cref="Embedding"/> (id 0 the padding) → a stack of
/// <see cref="RNN"/>, <see cref="LSTM"/> or <see cref="GRU"/> layers, one- or bidirectional → pooling
/// over each text's valid steps (<see cref="SequencePoolingMode"/>) → dropout → <see cref="Linear"/>
/// to the class scores.
/// </summary>
/// <remarks>
/// <para>
/// Texts of different lengths share a batch padded with id 0; with their lengths, the recurrent
/// layer runs each text over its own steps only (as PyTorch's packed sequences) and the pooling reads
/// only those, so padding never changes a prediction: the same text padded to 10 or 100 steps gives
/// bit-identical logits. <see cref="SequencePoolingMode.Last"/> takes the final hidden state of the
/// last layer, for a bidirectional layer the forward direction's (after the text's last token) and the
/// reverse direction's (after its first) side by side, as usual in PyTorch text classifiers; the other
/// modes pool the last layer's outputs.
/// </para>
/// <para>
/// Parameters are named "embedding.weight", "recurrent.weight_ih_l0" (PyTorch's recurrent names,
/// with "_reverse" for the reverse direction), …, "output.weight", "output.bias". Every initial weight
/// and every dropout mask is drawn, in that order, from the one generator, so a seed fixes the model
/// and its training.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var model = new SequenceClassifier(vocabularySize: 20_000, embeddingDim: 64, hiddenSize: 128, numClasses: 15,
///     kind: RecurrentLayerKind.Lstm, bidirectional: true, pooling: SequencePoolingMode.Max, generator: new Generator(1));
/// var logits = model.Forward(ids, lengths);   // ids (N, L) Int32 padded with 0, lengths[n] in 1..L: logits (N, 15)
/// </code>
/// </example>
public sealed class SequenceClassifier : Module
{
    /// <summary>Creates the model with freshly initialised weights, drawn in order from <paramref name="generator"/>.</summary>
    /// <param name="vocabularySize">The number of token ids, the padding id 0 included.</param>
    /// <param name="embeddingDim">The length of each token vector.</param>
    /// <param name="hiddenSize">The number of features of the recurrent state (per direction).</param>
    /// <param name="numClasses">The number of classes (outputs).</param>
    /// <param name="kind">The recurrent layer: an RNN (tanh), an LSTM or a GRU.</param>
    /// <param name="numLayers">The number of stacked recurrent layers (at least 1).</param>
    /// <param name="bidirectional">Whether each recurrent layer also reads the text from its end.</param>
    /// <param name="pooling">How the recurrent states become one vector per text.</param>
    /// <param name="dropout">The probability of zeroing a feature, in training mode, between recurrent layers and before the output layer; in [0, 1].</param>
    /// <param name="generator">Where the initial weights and the dropout masks come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, numLayers &lt; 1, dropout is outside [0, 1], or the kind or pooling is unknown.</exception>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is Int32.</exception>
    public SequenceClassifier(int vocabularySize, int embeddingDim, int hiddenSize, int numClasses,
        RecurrentLayerKind kind = RecurrentLayerKind.Lstm, int numLayers = 1, bool bidirectional = false,
        SequencePoolingMode pooling = SequencePoolingMode.Last, double dropout = 0, Generator? generator = null, DType dtype = DType.Float32)
    {
        if (!Enum.IsDefined(pooling)) throw new ArgumentOutOfRangeException(nameof(pooling), pooling, $"SequenceClassifier: unknown pooling {pooling}.");
        generator ??= Init.DefaultGenerator;
        Kind = kind;
        Pooling = pooling;
        Embedding = RegisterModule("embedding", new Embedding(vocabularySize, embeddingDim, paddingIndex: 0, generator, dtype));
        Recurrent = RegisterModule<RecurrentLayer>("recurrent", kind switch
        {
            RecurrentLayerKind.Rnn => new RNN(embeddingDim, hiddenSize, numLayers, batchFirst: true, dropout: dropout, bidirectional: bidirectional, generator: generator, dtype: dtype),
            RecurrentLayerKind.Lstm => new LSTM(embeddingDim, hiddenSize, numLayers, batchFirst: true, dropout: dropout, bidirectional: bidirectional, generator: generator, dtype: dtype),
            RecurrentLayerKind.Gru => new GRU(embeddingDim, hiddenSize, numLayers, batchFirst: true, dropout: dropout, bidirectional: bidirectional, generator: generator, dtype: dtype),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"SequenceClassifier: unknown recurrent layer kind {kind}."),
        });
        Dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        Output = RegisterModule("output", new Linear(Recurrent.OutputSize, numClasses, generator: generator, dtype: dtype));
    }

    /// <summary>The recurrent layer's kind.</summary>
    public RecurrentLayerKind Kind { get; }

    /// <summary>How the recurrent states become one vector per text.</summary>
    public SequencePoolingMode Pooling { get; }

    /// <summary>The token table; row 0 (padding) is zero and untrained.</summary>
    public Embedding Embedding { get; }

    /// <summary>The recurrent layers, batch first.</summary>
    public RecurrentLayer Recurrent { get; }

    /// <summary>The dropout applied to the pooled vector before the output layer.</summary>
    public Dropout Dropout { get; }

    /// <summary>The layer from the pooled vector to the class scores.</summary>
    public Linear Output { get; }

    /// <summary>
    /// The class scores (logits), (N, numClasses), of (N, L) Int32 token ids padded with id 0 after each text's
    /// tokens: each text's length is the step after its last non-zero id (at least 1), and the batch runs only
    /// up to its longest text, so the same text padded to any length gives the same logits.
    /// </summary>
    /// <exception cref="ArgumentException">The ids are not a 2-D Int32 tensor.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary; the message names it and its position.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.DType != DType.Int32) return Forward(input, null);
        int[] lengths = LengthsOf(input);
        int longest = lengths.Length == 0 ? input.ShapeArray[1] : lengths.Max();
        return Forward(longest == input.ShapeArray[1] ? input : input.Slice(1, 0, longest), lengths);
    }

    /// <summary>Each row's length in (N, L) Int32 <paramref name="ids"/>: the step after its last non-padding id, at least 1.</summary>
    public static int[] LengthsOf(Tensor ids)
    {
        int rows = ids.ShapeArray[0], steps = ids.ShapeArray[1];
        var values = ids.Span<int>();
        var lengths = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            var text = values.Slice(row * steps, steps);
            lengths[row] = Math.Max(1, text.LastIndexOfAnyExcept(0) + 1);
        }
        return lengths;
    }

    /// <summary>The class scores (logits), (N, numClasses), of a padded batch of texts.</summary>
    /// <param name="ids">(N, L) Int32 token ids, each text's tokens first and padding (id 0) after them.</param>
    /// <param name="lengths">Each text's number of tokens, in 1..L; null when every step is valid.</param>
    /// <exception cref="ArgumentException">The ids are not a 2-D Int32 tensor, or <paramref name="lengths"/> does not give one length in 1..L per text.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary; the message names it and its position.</exception>
    public Tensor Forward(Tensor ids, int[]? lengths)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2 || ids.DType != DType.Int32)
            throw new ArgumentException($"SequenceClassifier: the ids must be an (N, L) Int32 tensor, got {ids.DType} of shape {Shapes.Format(ids.ShapeArray)}.", nameof(ids));
        lengths ??= Enumerable.Repeat(ids.ShapeArray[1], ids.ShapeArray[0]).ToArray();
        return ForwardEmbedded(Embedding.Forward(ids), lengths);
    }

    /// <summary>
    /// The class scores (logits), (N, numClasses), of texts given by their token vectors rather than their ids: what
    /// <see cref="Forward(Tensor, int[])"/> computes after the embedding, so gradients can be taken with respect to the token
    /// vectors (integrated gradients over the embedding layer's output).
    /// </summary>
    /// <param name="embedded">(N, L, embeddingDim) token vectors, as <see cref="Embedding"/> gives them, in the model's element type.</param>
    /// <param name="lengths">Each text's number of tokens, in 1..L; the steps after them are never read.</param>
    /// <exception cref="ArgumentException">The vectors are not (N, L, embeddingDim), or <paramref name="lengths"/> does not give one length in 1..L per text.</exception>
    public Tensor ForwardEmbedded(Tensor embedded, int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(embedded);
        ArgumentNullException.ThrowIfNull(lengths);
        if (embedded.Rank != 3 || embedded.ShapeArray[2] != Embedding.EmbeddingDim)
            throw new ArgumentException($"SequenceClassifier: the token vectors must be (N, L, {Embedding.EmbeddingDim}), got shape {Shapes.Format(embedded.ShapeArray)}.", nameof(embedded));
        var (output, hidden) = Encode(embedded, lengths);
        var pooled = Pooling == SequencePoolingMode.Last ? LastLayerStates(hidden) : SequencePooling.Pool(output, lengths, Pooling);
        return Output.Forward(Dropout.Forward(pooled));
    }

    /// <summary>The recurrent layer's outputs (N, L, D·hidden) and final hidden states (layers·D, N, hidden).</summary>
    private (Tensor Output, Tensor Hidden) Encode(Tensor embedded, int[] lengths)
    {
        switch (Recurrent)
        {
            case LSTM lstm:
                var (output, (hidden, _)) = lstm.Forward(embedded, lengths);
                return (output, hidden);
            case GRU gru:
                return gru.Forward(embedded, lengths);
            default:
                return ((RNN)Recurrent).Forward(embedded, lengths);
        }
    }

    /// <summary>The last layer's final states, (N, D·hidden): the forward direction's features first.</summary>
    private Tensor LastLayerStates(Tensor hidden)
    {
        int directions = Recurrent.Bidirectional ? 2 : 1, batch = hidden.ShapeArray[1];
        var last = hidden.Slice(0, (Recurrent.NumLayers - 1) * directions, directions);
        return directions == 1 ? last.Reshape(batch, Recurrent.HiddenSize) : last.Permute(1, 0, 2).Reshape(batch, directions * Recurrent.HiddenSize);
    }
}
