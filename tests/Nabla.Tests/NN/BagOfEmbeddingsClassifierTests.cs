using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>The fastText-style classifier: its layers, padding that changes nothing, determinism, and a small task it learns.</summary>
public sealed class BagOfEmbeddingsClassifierTests
{
    [Fact]
    public void Layers_AreAMeanBagWithPaddingZero_ThenALinearLayer()
    {
        var model = new BagOfEmbeddingsClassifier(50, 8, 3, dropout: 0.25, generator: new Generator(1));

        Assert.Equal(["embedding.weight", "output.weight", "output.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal((EmbeddingBagMode.Mean, 0, 8, 3), (model.Embedding.Mode, model.Embedding.PaddingIndex, model.Output.InFeatures, model.Output.OutFeatures));
        Assert.Equal(0.25, model.Dropout.P);

        // By hand: the mean of rows 4 and 7 (the padding left out), then the linear layer.
        model.Eval();
        var logits = model.Forward(Tensor.FromArray([4, 7, 0, 0], 1, 4)).ToArray<float>();
        var table = model.Embedding.Weight.ToArray<float>();
        var w = model.Output.Weight.ToArray<float>();
        var b = model.Output.Bias!.ToArray<float>();
        for (int c = 0; c < 3; c++)
        {
            double expected = b[c];
            for (int f = 0; f < 8; f++) expected += w[c * 8 + f] * (table[4 * 8 + f] + table[7 * 8 + f]) / 2.0;
            Assert.Equal(expected, logits[c], 1e-5);
        }
    }

    [Fact]
    public void Padding_ChangesNoLogit_AndAnEmptyTextScoresTheBias()
    {
        var model = new BagOfEmbeddingsClassifier(50, 8, 3, generator: new Generator(2));
        var tight = Tensor.FromArray([5, 9, 2, 0, 11, 0, 0, 0], 2, 4);
        var padded = Tensor.FromArray([5, 9, 2, 0, 0, 0, 0, 0, 11, 0, 0, 0, 0, 0, 0, 0], 2, 8);

        Assert.Equal(model.Forward(tight).ToArray<float>(), model.Forward(padded).ToArray<float>());
        Assert.Equal(model.Output.Bias!.ToArray<float>(), model.Forward(Tensor.FromArray([0, 0, 0], 1, 3)).ToArray<float>());
    }

    [Fact]
    public void SameGenerator_GivesTheSameModel()
    {
        var ids = TokenTasks.ContainsThree(new Generator(3), 16, 6).Ids;

        var a = new BagOfEmbeddingsClassifier(TokenTasks.Vocabulary, 8, 2, dropout: 0.5, generator: new Generator(4));
        var b = new BagOfEmbeddingsClassifier(TokenTasks.Vocabulary, 8, 2, dropout: 0.5, generator: new Generator(4));

        Assert.Equal(a.Forward(ids).ToArray<float>(), b.Forward(ids).ToArray<float>());
    }

    [Fact]
    public void LearnsWhetherATokenOccurs()
    {
        var model = new BagOfEmbeddingsClassifier(TokenTasks.Vocabulary, 8, 2, generator: new Generator(5));
        TokenTasks.Train(model, batch => model.Forward(batch.Ids), (data, count) => TokenTasks.ContainsThree(data, count, 8), steps: 200, learningRate: 0.05);

        var test = TokenTasks.ContainsThree(new Generator(100), 1000, 8);
        Assert.True(TokenTasks.Accuracy(model.Eval().Forward(test.Ids), test.Labels) > 0.95);
    }
}
