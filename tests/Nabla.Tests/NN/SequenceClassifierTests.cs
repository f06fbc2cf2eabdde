using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// The recurrent text classifier: padding that changes no bit of a logit or a gradient for every
/// cell kind, pooling and direction; every parameter's gradient against central differences in
/// Float64; its layers and determinism; and an order-dependent task it learns where the
/// bag-of-embeddings model cannot.
/// </summary>
public sealed class SequenceClassifierTests
{
    public static TheoryData<RecurrentLayerKind, SequencePoolingMode, bool> EveryConfiguration()
    {
        var data = new TheoryData<RecurrentLayerKind, SequencePoolingMode, bool>();
        foreach (var kind in Enum.GetValues<RecurrentLayerKind>())
            foreach (var pooling in Enum.GetValues<SequencePoolingMode>())
                foreach (bool bidirectional in new[] { false, true })
                    data.Add(kind, pooling, bidirectional);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryConfiguration))]
    public void Padding_ChangesNoLogitAndNoGradient(RecurrentLayerKind kind, SequencePoolingMode pooling, bool bidirectional)
    {
        var model = new SequenceClassifier(TokenTasks.Vocabulary, 6, 5, 3, kind, numLayers: 2, bidirectional, pooling, generator: new Generator(1));
        var texts = TokenTasks.ThreeBeforeFour(new Generator(2), 4, 10);
        var padded = PadTo(texts.Ids, 100);
        var g = Tensor.Randn([4, 3], new Generator(3));

        var tenSteps = model.Forward(texts.Ids, texts.Lengths);
        (tenSteps * g).Sum().Backward();
        var gradients = model.Parameters().Select(p => p.Grad!.ToArray<float>()).ToList();
        model.ZeroGrad();
        var hundredSteps = model.Forward(padded, texts.Lengths);
        (hundredSteps * g).Sum().Backward();

        Assert.Equal(tenSteps.ToArray<float>(), hundredSteps.ToArray<float>());
        Assert.Equal(gradients, model.Parameters().Select(p => p.Grad!.ToArray<float>()));
    }

    /// <summary>The (N, L) ids with padding id 0 appended up to <paramref name="steps"/>.</summary>
    private static Tensor PadTo(Tensor ids, int steps)
    {
        int batch = ids.ShapeArray[0], length = ids.ShapeArray[1];
        var source = ids.ToArray<int>();
        var padded = new int[batch * steps];
        for (int n = 0; n < batch; n++) Array.Copy(source, n * length, padded, n * steps, length);
        return Tensor.FromArray(padded, batch, steps);
    }

    [Theory]
    [MemberData(nameof(EveryConfiguration))]
    public void EveryParameterGradient_MatchesCentralDifferences(RecurrentLayerKind kind, SequencePoolingMode pooling, bool bidirectional)
    {
        var model = new SequenceClassifier(6, 3, 2, 2, kind, numLayers: 2, bidirectional, pooling, generator: new Generator(4), dtype: DType.Float64);
        var ids = Tensor.FromArray([1, 5, 2, 4, 3, 2, 3, 0, 0, 0], 2, 5);
        int[] lengths = [5, 2];
        var g = Tensor.Randn([2, 2], new Generator(5), DType.Float64);
        Tensor Loss() => (model.Forward(ids, lengths) * g).Sum();

        var parameters = model.NamedParameters().ToList();
        var analytic = Nabla.Autograd.Grad([Loss()], parameters.Select(p => p.Parameter).ToArray());
        const double eps = 1e-6;
        for (int k = 0; k < parameters.Count; k++)
        {
            var (name, parameter) = parameters[k];
            var values = (double[])parameter.Storage;
            var gradient = analytic[k]!.ToArray<double>();
            for (int i = 0; i < values.Length; i++)
            {
                double kept = values[i];
                values[i] = kept + eps;
                double up = Loss().ToArray<double>()[0];
                values[i] = kept - eps;
                double down = Loss().ToArray<double>()[0];
                values[i] = kept;
                double numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(gradient[i] - numeric) <= 1e-6 + 1e-4 * Math.Abs(numeric),
                    $"{name}[{i}]: analytic {gradient[i]:R}, central difference {numeric:R}");
            }
        }
    }

    [Fact]
    public void Layers_AreNamedAsPyTorchs_AndLastPoolingReadsTheFinalStatesOfBothDirections()
    {
        var model = new SequenceClassifier(20, 4, 3, 2, RecurrentLayerKind.Gru, numLayers: 2, bidirectional: true, generator: new Generator(6), dtype: DType.Float64);
        var ids = Tensor.FromArray([3, 7, 9, 0, 5, 0, 0, 0], 2, 4);
        int[] lengths = [3, 1];

        Assert.Equal((RecurrentLayerKind.Gru, SequencePoolingMode.Last, 0), (model.Kind, model.Pooling, model.Embedding.PaddingIndex));
        Assert.True(model.Recurrent is GRU { BatchFirst: true, Bidirectional: true, NumLayers: 2, OutputSize: 6 });
        Assert.Equal("embedding.weight", model.NamedParameters().First().Name);
        Assert.Contains("recurrent.weight_hh_l1_reverse", model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["output.weight", "output.bias"], model.NamedParameters().TakeLast(2).Select(p => p.Name));

        // Final states (4, N, 3) in PyTorch's order: rows 2 and 3 are the last layer's forward and reverse states.
        var (_, hidden) = ((GRU)model.Recurrent).Forward(model.Embedding.Forward(ids), lengths);
        var states = hidden.ToArray<double>();
        var w = model.Output.Weight.ToArray<double>();
        var b = model.Output.Bias!.ToArray<double>();
        var logits = model.Forward(ids, lengths).ToArray<double>();
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 2; c++)
            {
                double expected = b[c];
                for (int d = 0; d < 2; d++)
                    for (int f = 0; f < 3; f++)
                        expected += w[c * 6 + d * 3 + f] * states[((2 + d) * 2 + n) * 3 + f];
                Assert.Equal(expected, logits[n * 2 + c], 1e-12);
            }
    }

    [Fact]
    public void PlainForward_FindsEachLengthFromItsPadding_AndTheSameGeneratorGivesTheSameModel()
    {
        var ids = TokenTasks.ContainsThree(new Generator(7), 5, 6).Ids;
        var a = new SequenceClassifier(TokenTasks.Vocabulary, 4, 3, 2, RecurrentLayerKind.Lstm, pooling: SequencePoolingMode.Mean, dropout: 0.5, generator: new Generator(8));
        var b = new SequenceClassifier(TokenTasks.Vocabulary, 4, 3, 2, RecurrentLayerKind.Lstm, pooling: SequencePoolingMode.Mean, dropout: 0.5, generator: new Generator(8));

        Assert.Equal(a.Forward(ids).ToArray<float>(), b.Forward(ids).ToArray<float>());
        a.Eval();
        var values = ids.ToArray<int>();
        int[] lengths = [.. Enumerable.Range(0, 5).Select(row => Math.Max(1, Array.FindLastIndex(values, row * 6 + 5, 6, id => id != 0) - row * 6 + 1))];
        Assert.Equal(a.Forward(ids, lengths).ToArray<float>(), a.Forward(ids).ToArray<float>());
    }

    [Theory]
    [InlineData(RecurrentLayerKind.Lstm, SequencePoolingMode.Last)]
    [InlineData(RecurrentLayerKind.Gru, SequencePoolingMode.Max)]
    [InlineData(RecurrentLayerKind.Rnn, SequencePoolingMode.Mean)]
    public void PlainForward_GivesTheSameLogitsForATextPaddedTo10Or100Steps(RecurrentLayerKind kind, SequencePoolingMode pooling)
    {
        var model = new SequenceClassifier(20, 5, 4, 3, kind, numLayers: 2, bidirectional: true, pooling: pooling, generator: new Generator(3));
        model.Eval();
        int[] text = [4, 9, 2, 17, 5, 5, 11];
        Tensor Padded(int steps) => Tensor.FromArray([.. text, .. new int[steps - text.Length], .. new int[steps - 2].Select(_ => 3), 0, 0], 2, steps);

        var short10 = model.Forward(Padded(10)).ToArray<float>();
        var long100 = model.Forward(Padded(100)).ToArray<float>();

        Assert.Equal(short10[..3], long100[..3]);
        Assert.NotEqual(short10[..3], short10[3..]);
    }

    [Fact]
    public void BadIds_AreRefusedWithTheirTypeAndShape()
    {
        var model = new SequenceClassifier(10, 4, 3, 2);

        Assert.Contains("the ids must be an (N, L) Int32 tensor, got Int32 of shape [4]",
            Assert.Throws<ArgumentException>(() => model.Forward(Tensor.FromArray([1, 2, 3, 4]))).Message);
        Assert.Contains("got Float32 of shape [1, 2]", Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros(1, 2))).Message);
        Assert.Contains("id 12", Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(Tensor.FromArray([1, 12], 1, 2))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceClassifier(10, 4, 3, 2, (RecurrentLayerKind)5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceClassifier(10, 4, 3, 2, pooling: (SequencePoolingMode)5));
    }

    [Fact]
    public void LearnsWhetherThreeComesBeforeFour_WhereTheBagOfEmbeddingsCannot()
    {
        var test = TokenTasks.ThreeBeforeFour(new Generator(100), 1000, 8);

        var lstm = new SequenceClassifier(TokenTasks.Vocabulary, 8, 16, 2, RecurrentLayerKind.Lstm, generator: new Generator(9));
        TokenTasks.Train(lstm, batch => lstm.Forward(batch.Ids, batch.Lengths), Task, steps: 300, learningRate: 0.01);
        var bag = new BagOfEmbeddingsClassifier(TokenTasks.Vocabulary, 8, 2, generator: new Generator(9));
        TokenTasks.Train(bag, batch => bag.Forward(batch.Ids), Task, steps: 300, learningRate: 0.01);

        lstm.Eval();
        double lstmAccuracy = TokenTasks.Accuracy(lstm.Forward(test.Ids, test.Lengths), test.Labels);
        double bagAccuracy = TokenTasks.Accuracy(bag.Eval().Forward(test.Ids), test.Labels);
        Assert.True(lstmAccuracy > 0.9, $"LSTM accuracy {lstmAccuracy}");
        Assert.True(bagAccuracy < 0.6, $"bag-of-embeddings accuracy {bagAccuracy}");
    }

    private static TokenTasks.Batch Task(Generator data, int count) => TokenTasks.ThreeBeforeFour(data, count, 8);
}
