using Nabla.Explain;
using Nabla.NN;
using Nabla.Text;

namespace Nabla.Tests.Explain;

/// <summary>
/// Token attributions of the text models: integrated gradients over the embedding layer's output meets completeness on small random
/// recurrent classifiers and bags of embeddings in Float64, matches the closed form for a bag (linear in its vectors), and the TF-IDF
/// model's exact attributions equal a hand computation.
/// </summary>
public class TokenAttributorTests
{
    // One text of four tokens, the last two steps padding.
    private static readonly Tensor Text = Tensor.FromArray([3, 7, 2, 9, 0, 0], 1, 6);

    private static SequenceClassifier Recurrent(RecurrentLayerKind kind, bool bidirectional, SequencePoolingMode pooling) =>
        new(vocabularySize: 12, embeddingDim: 4, hiddenSize: 5, numClasses: 3, kind, numLayers: 2, bidirectional, pooling,
            generator: new Generator(7), dtype: DType.Float64);

    private static EmbeddingPathAttributor PathOf(SequenceClassifier model) =>
        new(model.Embedding.Forward, (vectors, ids) => model.ForwardEmbedded(vectors, SequenceClassifier.LengthsOf(ids)));

    [Theory]
    [InlineData(RecurrentLayerKind.Lstm, false, SequencePoolingMode.Last)]
    [InlineData(RecurrentLayerKind.Lstm, true, SequencePoolingMode.Max)]
    [InlineData(RecurrentLayerKind.Gru, false, SequencePoolingMode.Max)]
    [InlineData(RecurrentLayerKind.Gru, true, SequencePoolingMode.Last)]
    [InlineData(RecurrentLayerKind.Rnn, false, SequencePoolingMode.Mean)]
    [InlineData(RecurrentLayerKind.Rnn, true, SequencePoolingMode.Max)]
    public void RecurrentClassifier_IntegratedGradients_SharesOutTheChangeFromPadding(RecurrentLayerKind kind, bool bidirectional, SequencePoolingMode pooling)
    {
        var model = Recurrent(kind, bidirectional, pooling);
        model.Eval();

        var result = PathOf(model).IntegratedGradients(Text, target: 1, absoluteTolerance: 1e-9);

        // F(text) − F(padding vectors), computed here from the model itself.
        double text = model.Forward(Text)[0, 1];
        double padding = model.ForwardEmbedded(Tensor.Zeros([1, 6, 4], DType.Float64), [4])[0, 1];
        Assert.Equal(text - padding, result.Values.Sum(), 1e-6);
        Assert.True(Math.Abs(result.CompletenessError) < 1e-6, $"completeness error {result.CompletenessError}");
        Assert.True(result.Converged);
        Assert.Equal([0.0, 0.0], result.Values[4..]);
        Assert.Contains(result.Values[..4], value => Math.Abs(value) > 1e-6);
    }

    [Fact]
    public void ForwardEmbedded_OfTheEmbedding_IsForward()
    {
        var model = Recurrent(RecurrentLayerKind.Lstm, true, SequencePoolingMode.Max);
        var ids = Tensor.FromArray([3, 7, 2, 9, 4, 1, 5, 0], 2, 4);

        var expected = model.Forward(ids);
        var actual = model.ForwardEmbedded(model.Embedding.Forward(ids), SequenceClassifier.LengthsOf(ids));

        Assert.Equal(expected.ToDoubleArray(), actual.ToDoubleArray());
    }

    [Theory]
    [InlineData(EmbeddingBagMode.Sum)]
    [InlineData(EmbeddingBagMode.Mean)]
    [InlineData(EmbeddingBagMode.Max)]
    public void EmbeddingBag_ForwardEmbedded_OfItsRows_IsForward(EmbeddingBagMode mode)
    {
        var bag = new EmbeddingBag(10, 3, mode, paddingIndex: 0, new Generator(3), DType.Float64);
        // The last bag is padding only: zeros.
        var ids = Tensor.FromArray([4, 0, 9, 4, 2, 5, 0, 0, 0, 0, 0, 0], 3, 4);

        var actual = bag.ForwardEmbedded(bag.Weight.Embedding(ids, 0), ids).ToDoubleArray();
        var expected = bag.Forward(ids).ToDoubleArray();

        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-14);
    }

    [Fact]
    public void BagOfEmbeddings_IntegratedGradients_IsEachTokensShareOfTheMean()
    {
        var bag = new EmbeddingBag(12, 4, EmbeddingBagMode.Mean, paddingIndex: 0, new Generator(5), DType.Float64);
        var output = new Linear(4, 3, generator: new Generator(6), dtype: DType.Float64);
        var attributor = new EmbeddingPathAttributor(ids => bag.Weight.Embedding(ids, 0), (vectors, ids) => output.Forward(bag.ForwardEmbedded(vectors, ids)));

        var result = attributor.IntegratedGradients(Text, target: 2, absoluteTolerance: 1e-9);

        // The output is linear in the vectors: token i gives (1/n) Σ_d e_{i,d} W[2, d] from the zero vectors, n = 4 tokens.
        var table = bag.Weight.ToDoubleArray();
        var weight = output.Weight.ToDoubleArray();
        int[] ids = Text.ToArray<int>();
        for (int position = 0; position < ids.Length; position++)
        {
            double expected = 0;
            if (ids[position] != 0)
                for (int d = 0; d < 4; d++) expected += table[ids[position] * 4 + d] * weight[2 * 4 + d] / 4;
            Assert.Equal(expected, result.Values[position], 1e-12);
        }
        Assert.True(Math.Abs(result.CompletenessError) < 1e-6);
    }

    [Fact]
    public void TfidfModel_AttributionsAreTheWeightTimesTfidf_SharedAmongOccurrences()
    {
        var model = new TfidfLinear(vocabularySize: 6, outFeatures: 2, dtype: DType.Float64);
        model.FitIdf(Tensor.FromArray([2, 3, 0, 4, 5, 0, 2, 2, 5], 3, 3));
        double[] coef = [0, 0, 0.5, -1.25, 2, 0.75, 0, 0, -0.3, 1.1, -0.6, 0.9];
        model.SetWeights(Tensor.FromArray(coef, 2, 6), Tensor.FromArray([0.1, -0.2]));
        var text = Tensor.FromArray([2, 3, 2, 1, 5, 0], 1, 6);

        var result = new TfidfTermAttributor(model).IntegratedGradients(text, target: 1, absoluteTolerance: 1e-9);

        // By hand: idf = ln((1 + 3) / (1 + df)) + 1 with df(2) = 2, df(3) = 1, df(5) = 2; counts 2, 1, 1 (the unknown id 1 weighs
        // nothing); tf·idf scaled to unit length; term j gives coef[1, j]·tfidf_j, id 2's split between its two positions.
        double idf2 = Math.Log(4.0 / 3) + 1, idf3 = Math.Log(4.0 / 2) + 1, idf5 = idf2;
        double w2 = 2 * idf2, w3 = idf3, w5 = idf5, norm = Math.Sqrt(w2 * w2 + w3 * w3 + w5 * w5);
        double[] expected = [coef[8] * w2 / norm / 2, coef[9] * w3 / norm, coef[8] * w2 / norm / 2, 0, coef[11] * w5 / norm, 0];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], result.Values[i], 1e-12);
        Assert.True(Math.Abs(result.CompletenessError) < 1e-12);
        Assert.Equal(result.Values, new TfidfTermAttributor(model).Saliency(text, target: 1).Values);
    }

    [Fact]
    public void MoreThanOneText_IsRefusedNamingTheShape()
    {
        var model = Recurrent(RecurrentLayerKind.Gru, false, SequencePoolingMode.Max);

        var error = Assert.Throws<ArgumentException>(() => PathOf(model).IntegratedGradients(Tensor.FromArray([1, 2, 3, 4], 2, 2), 0, 1e-8));

        Assert.Contains("(1, L) Int32 tensor, got Int32 of shape [2, 2]", error.Message);
    }
}
