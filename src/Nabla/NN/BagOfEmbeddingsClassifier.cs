namespace Nabla.NN;

/// <summary>
/// A bag-of-embeddings text classifier, the fastText model: the mean of a text's token vectors
/// (<see cref="EmbeddingBag"/> in mean mode, id 0 the padding), then dropout, then one
/// <see cref="Linear"/> layer to the class scores. Word order is ignored; give it word and
/// character n-gram ids together and it still tells "not good" from "good" and knows unseen words
/// by their pieces.
/// </summary>
/// <remarks>
/// Parameters are named "embedding.weight", "output.weight" and "output.bias". A text of padding
/// only (an empty text) has a zero mean, so its scores are the output layer's bias.
/// </remarks>
/// <example>
/// <code>
/// var model = new BagOfEmbeddingsClassifier(vocabularySize: 20_000, embeddingDim: 64, numClasses: 15, generator: new Generator(1));
/// var logits = model.Forward(ids);                     // ids (N, L) Int32, padded with 0: logits (N, 15)
/// var loss = new CrossEntropyLoss().Forward(logits, labels);
/// </code>
/// </example>
public sealed class BagOfEmbeddingsClassifier : Module
{
    /// <summary>Creates the model with freshly initialised weights, drawn in order from <paramref name="generator"/>.</summary>
    /// <param name="vocabularySize">The number of token ids, the padding id 0 included.</param>
    /// <param name="embeddingDim">The length of each token vector.</param>
    /// <param name="numClasses">The number of classes (outputs).</param>
    /// <param name="dropout">The probability of zeroing each feature of the mean before the output layer, in training mode; in [0, 1].</param>
    /// <param name="generator">Where the initial weights and the dropout masks come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or dropout is outside [0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is Int32.</exception>
    public BagOfEmbeddingsClassifier(int vocabularySize, int embeddingDim, int numClasses, double dropout = 0, Generator? generator = null, DType dtype = DType.Float32)
    {
        generator ??= Init.DefaultGenerator;
        Embedding = RegisterModule("embedding", new EmbeddingBag(vocabularySize, embeddingDim, EmbeddingBagMode.Mean, paddingIndex: 0, generator, dtype));
        Dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        Output = RegisterModule("output", new Linear(embeddingDim, numClasses, generator: generator, dtype: dtype));
    }

    /// <summary>The token table, averaged over each text.</summary>
    public EmbeddingBag Embedding { get; }

    /// <summary>The dropout applied to the mean before the output layer.</summary>
    public Dropout Dropout { get; }

    /// <summary>The layer from the mean to the class scores.</summary>
    public Linear Output { get; }

    /// <summary>The class scores (logits), (N, numClasses), of (N, L) Int32 token ids padded with 0.</summary>
    /// <exception cref="ArgumentException">The ids are not a 2-D Int32 tensor.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary; the message names it and its position.</exception>
    public override Tensor Forward(Tensor input) => Output.Forward(Dropout.Forward(Embedding.Forward(input)));
}
