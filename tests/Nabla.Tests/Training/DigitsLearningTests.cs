using System.Diagnostics;
using System.Globalization;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>The whole loop on real data: an MLP learns the 8×8 handwritten digits (UCI, via scikit-learn).</summary>
public class DigitsLearningTests
{
    /// <summary>
    /// The digits split at random with a fixed seed, 20 % as the test set, each pixel standardized with
    /// the training set's mean and deviation. (The file's last 20 % comes from other writers, so a split
    /// by position tests a shift of handwriting rather than learning; scikit-learn's reference figure is
    /// on a random split too.)
    /// </summary>
    private static (DataLoader Train, DataLoader Test) Digits()
    {
        var lines = File.ReadAllLines(SharedData.PathOf("digits.csv")).Skip(1).Where(l => l.Length > 0).ToArray();
        const int features = 64;
        var x = new float[lines.Length * features];
        var y = new int[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            for (int f = 0; f < features; f++) x[i * features + f] = float.Parse(cells[f], CultureInfo.InvariantCulture);
            y[i] = int.Parse(cells[features], CultureInfo.InvariantCulture);
        }
        var all = new DataLoader(Tensor.FromArray(x, lines.Length, features), Tensor.FromArray(y), 32, shuffle: true, generator: new Generator(1));
        var (train, test) = all.Split(0.2, seed: 2);
        var mean = train.Inputs.Mean(axis: 0);
        var deviation = train.Inputs.Var(axis: 0).Sqrt() + 1e-3; // some border pixels are always 0
        return (new DataLoader((train.Inputs - mean) / deviation, train.Targets, 32, shuffle: true, generator: new Generator(1)),
            new DataLoader((test.Inputs - mean) / deviation, test.Targets, 256));
    }

    [Fact]
    public void Mlp_ReachesAtLeast97PercentTestAccuracy_InSeconds()
    {
        var (train, test) = Digits();
        Assert.Equal(1797, train.Count + test.Count);
        var model = Networks.Mlp([64, 128, 10], () => new ReLU(), seed: 2);
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 1e-3));
        var clock = Stopwatch.StartNew();
        var history = trainer.Fit(train, epochs: 30);
        clock.Stop();
        var evaluation = trainer.Evaluate(test);
        Assert.True(evaluation.Accuracy >= 0.97, $"test accuracy {evaluation.Accuracy:P2} (training accuracy {history.Accuracy[^1]:P2})");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"training took {clock.Elapsed}");
    }
}
