using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>The whole loop on real data: an MLP learns the 8×8 handwritten digits (UCI, via scikit-learn).</summary>
public class DigitsLearningTests
{
    /// <summary>
    /// The shared digits split (every fifth image held out), each pixel standardized with the
    /// training set's mean and deviation, as scikit-learn's StandardScaler would.
    /// </summary>
    private static (DataLoader Train, DataLoader Test) Standardized()
    {
        var (trainX, trainY) = Digits.Train;
        var (testX, testY) = Digits.Test;
        var mean = trainX.Mean(axis: 0);
        var deviation = trainX.Var(axis: 0).Sqrt() + 1e-3; // some border pixels are always 0
        return (new DataLoader((trainX - mean) / deviation, trainY, 32, shuffle: true, generator: new Generator(1)),
            new DataLoader((testX - mean) / deviation, testY, 256));
    }

    /// <summary>
    /// 97.8% here (351 of 359); other weight seeds, widths, dropout and rates reach 96.9–98.3% on this
    /// split, a few hard images deciding, so the bar is near what the split allows. The run is
    /// seeded and thread-count independent, so the result is exactly repeatable.
    /// </summary>
    [Fact]
    public void Mlp_ReachesAtLeast97PercentTestAccuracy()
    {
        var (train, test) = Standardized();
        Assert.Equal(1797, train.Count + test.Count);
        var model = Networks.Mlp([64, 256, 10], () => new ReLU(), seed: 2);
        var trainer = new Trainer(model, new CrossEntropyLoss(), new AdamW(model.Parameters(), 1e-3, weightDecay: 0.05));
        var history = trainer.Fit(train, epochs: 30);
        var evaluation = trainer.Evaluate(test);
        Assert.True(evaluation.Accuracy >= 0.97, $"test accuracy {evaluation.Accuracy:P2} (training accuracy {history.Accuracy[^1]:P2})");
    }
}
