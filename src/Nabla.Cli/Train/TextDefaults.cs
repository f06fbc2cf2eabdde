namespace Nabla.Cli;

/// <summary>
/// The settings a text model trains with when the options leave them out, chosen on the Debian package
/// descriptions (bench/README.md, "Text: accuracy"): held-out accuracy, the time a run takes, and
/// agreement across seeds.
/// </summary>
internal static class TextDefaults
{
    /// <summary>Words kept of a text for the recurrent models: the descriptions are one line, and no more than 64 words in practice.</summary>
    public const int RecurrentMaxLength = 64;

    /// <summary>Terms kept of a text for bow, logistic and svm, whose words come with word pairs (and, for bow, character 3-grams).</summary>
    public const int BagMaxLength = 256;

    /// <summary>A word seen once only in training is mostly noise to an embedding that learns from it once: it becomes &lt;unk&gt;.</summary>
    public const int EmbeddingMinFrequency = 2;

    /// <summary>TF-IDF keeps every term, as scikit-learn's TfidfVectorizer (min_df = 1): a rare term weighs the most.</summary>
    public const int TfidfMinFrequency = 1;

    /// <summary>
    /// The length of each term's vector: 300 for the recurrent models (lstm on the Debian descriptions, seeds 0–2: 0.714 at
    /// 100, 0.722 at 200, 0.726 at 300, every seed above 0.72), 100 for bow, whose many character 3-grams would overfit larger vectors.
    /// </summary>
    public static int EmbeddingDim(ModelKind model) => TextModelSettings.IsRecurrent(model) ? 300 : 100;

    /// <summary>The recurrent state's features per direction.</summary>
    public const int HiddenSize = 128;

    /// <summary>
    /// Epochs without a better validation accuracy after which a text model stops and takes back its best epoch: the embedding
    /// models overfit within a few epochs. None for logistic over TF-IDF, whose accuracy still creeps up at epoch 30.
    /// </summary>
    public static int? EarlyStoppingPatience(ModelKind model) => model == ModelKind.Logistic ? null : 3;

    /// <summary>The most passes over the training rows.</summary>
    public static int Epochs(ModelKind model) => model switch
    {
        ModelKind.Lstm or ModelKind.Gru or ModelKind.Rnn => 12,
        ModelKind.Bow => 15,
        _ => 32,
    };

    /// <summary>Adam's step size.</summary>
    public static double LearningRate(ModelKind model) => model switch
    {
        ModelKind.Lstm or ModelKind.Gru or ModelKind.Rnn => 3e-3,
        ModelKind.Bow => 5e-3,
        _ => 2e-2,
    };

    /// <summary>Samples per step: smaller batches for logistic over TF-IDF, whose steps are cheap.</summary>
    public static int BatchSize(ModelKind model) => model == ModelKind.Logistic ? 32 : 64;

    /// <summary>The dropout before the output layer (and between recurrent layers).</summary>
    public static double Dropout(ModelKind model) => TextModelSettings.IsRecurrent(model) ? 0.5 : 0;
}
