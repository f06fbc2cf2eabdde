using System.Globalization;
using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// A recurrent text classifier (<see cref="NN.SequenceClassifier"/>): token ids → embedding → RNN, LSTM or GRU
/// layers → pooling over each text's own steps → dropout → linear to the class scores; JSON kind
/// "sequence_classifier". It reads a row of token ids padded with 0, so it is the first layer.
/// </summary>
/// <param name="Cell">The recurrent layer: RNN, LSTM or GRU (JSON "cell": "rnn", "lstm", "gru").</param>
/// <param name="VocabularySize">The number of token ids, padding and unknown included (JSON "vocabulary_size").</param>
/// <param name="EmbeddingDim">The length of each token vector (JSON "embedding_dim").</param>
/// <param name="HiddenSize">The recurrent state's features per direction (JSON "hidden_size").</param>
/// <param name="NumLayers">The stacked recurrent layers (JSON "num_layers").</param>
/// <param name="Bidirectional">Whether each layer also reads the text from its end (JSON "bidirectional").</param>
/// <param name="Pooling">How the states become one vector per text (JSON "pooling": "last", "mean", "max").</param>
/// <param name="Dropout">The dropout between recurrent layers and before the output layer, in [0, 1) (JSON "dropout").</param>
/// <param name="Classes">The number of outputs (JSON "classes").</param>
public sealed record SequenceClassifierSpec(RecurrentLayerKind Cell, int VocabularySize, int EmbeddingDim, int HiddenSize, int NumLayers,
    bool Bidirectional, SequencePoolingMode Pooling, double Dropout, int Classes) : LayerSpec
{
    /// <summary>The JSON names of the recurrent cells.</summary>
    internal static readonly IReadOnlyDictionary<RecurrentLayerKind, string> CellNames = new Dictionary<RecurrentLayerKind, string>
    {
        [RecurrentLayerKind.Rnn] = "rnn",
        [RecurrentLayerKind.Lstm] = "lstm",
        [RecurrentLayerKind.Gru] = "gru",
    };

    /// <summary>The JSON names of the poolings.</summary>
    internal static readonly IReadOnlyDictionary<SequencePoolingMode, string> PoolingNames = new Dictionary<SequencePoolingMode, string>
    {
        [SequencePoolingMode.Last] = "last",
        [SequencePoolingMode.Mean] = "mean",
        [SequencePoolingMode.Max] = "max",
    };

    /// <inheritdoc/>
    public override string Kind => "sequence_classifier";

    /// <inheritdoc/>
    public override string Description => string.Create(CultureInfo.InvariantCulture,
        $"Embedding({VocabularySize} → {EmbeddingDim}) → {(Bidirectional ? "bidirectional " : "")}{Cell.ToString().ToUpperInvariant()}({HiddenSize}{(NumLayers > 1 ? $", {NumLayers} layers" : "")}) → {PoolingNames.GetValueOrDefault(Pooling, "?")} pooling → Dropout(p={Dropout}) → Linear({Directions * HiddenSize} → {Classes})");

    private int Directions => Bidirectional ? 2 : 1;

    private int Gates => Cell switch { RecurrentLayerKind.Lstm => 4, RecurrentLayerKind.Gru => 3, _ => 1 };

    internal override bool ReadsTokenIds => true;

    internal override int[] OutputShape(int[] input, int index)
    {
        if (!CellNames.ContainsKey(Cell)) throw Invalid(index, $"unknown cell {Cell}");
        if (!PoolingNames.ContainsKey(Pooling)) throw Invalid(index, $"unknown pooling {Pooling}");
        if (VocabularySize <= 2) throw Invalid(index, $"vocabulary_size must be above 2 (<pad>, <unk> and a token), got {VocabularySize}");
        RequirePositive(index, "embedding_dim", EmbeddingDim);
        RequirePositive(index, "hidden_size", HiddenSize);
        RequirePositive(index, "num_layers", NumLayers);
        RequirePositive(index, "classes", Classes);
        if (!(Dropout >= 0 && Dropout < 1)) throw Invalid(index, $"dropout must be in [0, 1), got {Dropout}");
        RequireTokenIds(index, input);
        return [Classes];
    }

    // Per text step: the embedding, and per layer and direction the gates, the states and their outputs, kept for the backward pass.
    internal override long ScratchPerSample(int[] input, int[] output) =>
        (long)input[0] * (EmbeddingDim + (long)NumLayers * Directions * HiddenSize * (Gates + 3));

    internal override Module Build(DType dtype, Generator generator) =>
        new SequenceClassifier(VocabularySize, EmbeddingDim, HiddenSize, Classes, Cell, NumLayers, Bidirectional, Pooling, Dropout, generator, dtype);

    internal override bool Matches(Module module) =>
        module is SequenceClassifier model && model.Kind == Cell && model.Pooling == Pooling
        && model.Embedding.NumEmbeddings == VocabularySize && model.Embedding.EmbeddingDim == EmbeddingDim
        && model.Recurrent.HiddenSize == HiddenSize && model.Recurrent.NumLayers == NumLayers && model.Recurrent.Bidirectional == Bidirectional
        && model.Recurrent.HasBias && model.Dropout.P == Dropout && model.Output.OutFeatures == Classes;

    internal override IEnumerable<ExpectedTensor> State
    {
        get
        {
            yield return new("embedding.weight", [VocabularySize, EmbeddingDim], true);
            for (int layer = 0; layer < NumLayers; layer++)
                foreach (string direction in Bidirectional ? new[] { "", "_reverse" } : [""])
                {
                    string suffix = string.Create(CultureInfo.InvariantCulture, $"l{layer}{direction}");
                    int rows = Gates * HiddenSize;
                    yield return new($"recurrent.weight_ih_{suffix}", [rows, layer == 0 ? EmbeddingDim : Directions * HiddenSize], true);
                    yield return new($"recurrent.weight_hh_{suffix}", [rows, HiddenSize], true);
                    yield return new($"recurrent.bias_ih_{suffix}", [rows], true);
                    yield return new($"recurrent.bias_hh_{suffix}", [rows], true);
                }
            yield return new("output.weight", [Classes, Directions * HiddenSize], true);
            yield return new("output.bias", [Classes], true);
        }
    }
}
