using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>The text models give the same bits at one thread and at four, forward and backward, at a size whose products are split across threads.</summary>
[Collection("Parallelism")]
public sealed class SequenceClassifierThreadingTests
{
    [Theory]
    [InlineData(RecurrentLayerKind.Lstm, SequencePoolingMode.Max)]
    [InlineData(RecurrentLayerKind.Gru, SequencePoolingMode.Mean)]
    [InlineData(RecurrentLayerKind.Rnn, SequencePoolingMode.Last)]
    public void SequenceClassifier_LogitsAndGradients_DoNotDependOnTheThreadCount(RecurrentLayerKind kind, SequencePoolingMode pooling)
    {
        var texts = TokenTasks.ThreeBeforeFour(new Generator(1), 64, 30);
        float[][] Run()
        {
            var model = new SequenceClassifier(TokenTasks.Vocabulary, 32, 64, 4, kind, numLayers: 2, bidirectional: true, pooling, generator: new Generator(2));
            var logits = model.Forward(texts.Ids, texts.Lengths);
            logits.Pow(2).Sum().Backward();
            return [logits.ToArray<float>(), .. model.Parameters().Select(p => p.Grad!.ToArray<float>())];
        }

        var single = ParallelismCollection.AtThreads(1, Run);
        var many = ParallelismCollection.AtThreads(4, Run);

        for (int i = 0; i < single.Length; i++) Assert.Equal(single[i], many[i]);
    }

    [Fact]
    public void BagOfEmbeddingsClassifier_LogitsAndGradients_DoNotDependOnTheThreadCount()
    {
        var texts = TokenTasks.ContainsThree(new Generator(3), 512, 40);
        float[][] Run()
        {
            var model = new BagOfEmbeddingsClassifier(TokenTasks.Vocabulary, 256, 16, generator: new Generator(4));
            var logits = model.Forward(texts.Ids);
            logits.Pow(2).Sum().Backward();
            return [logits.ToArray<float>(), .. model.Parameters().Select(p => p.Grad!.ToArray<float>())];
        }

        var single = ParallelismCollection.AtThreads(1, Run);
        var many = ParallelismCollection.AtThreads(4, Run);

        for (int i = 0; i < single.Length; i++) Assert.Equal(single[i], many[i]);
    }
}
