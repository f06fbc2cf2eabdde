using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Optim.Schedulers;

namespace Nabla.Tests.NN;

/// <summary>
/// A small convolutional network learns the digits as 8×8 images: conv 1→16 3×3, ReLU, max-pool 2,
/// conv 16→32 3×3, ReLU, max-pool 2, linear 128→10, trained with Adam and cosine annealing on
/// mini-batches, must reach at least 98% on the held-out fifth of the data (it reaches 98.6–98.9%
/// with weight seeds 0, 1 and 2).
/// </summary>
public sealed class ConvolutionalLearningTests
{
    [Fact]
    public void SmallCnn_Reaches98PercentOnHeldOutDigits()
    {
        var (trainX, trainY) = Digits.Train;
        var (testX, testY) = Digits.Test;
        var images = trainX.Reshape(-1, 1, 8, 8);
        var g = new Generator(0);
        var model = new Sequential(
            new Conv2d(1, 16, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2),
            new Conv2d(16, 32, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(32 * 2 * 2, 10, generator: g));
        var optimizer = new Adam(model.Parameters(), learningRate: 5e-3);
        const int epochs = 25;
        var schedule = new CosineAnnealingLR(optimizer, epochs);
        var loss = new CrossEntropyLoss();
        var shuffle = new Generator(1);
        int n = trainY.Length;
        const int batch = 32;

        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = Permutation(n, shuffle);
            for (int start = 0; start + batch <= n; start += batch)
            {
                var rows = Tensor.FromArray(order[start..(start + batch)], [batch]);
                optimizer.ZeroGrad();
                loss.Forward(model.Forward(images.IndexSelect(0, rows)), trainY.IndexSelect(0, rows)).Backward();
                optimizer.Step();
            }
            schedule.Step();
        }

        model.Eval();
        double accuracy;
        using (Nabla.Autograd.NoGrad())
            accuracy = Accuracy(model.Forward(testX.Reshape(-1, 1, 8, 8)), testY);
        Assert.True(accuracy >= 0.98, $"test accuracy {accuracy:P2}");
    }

    private static int[] Permutation(int n, Generator g)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = g.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static double Accuracy(Tensor logits, Tensor labels) =>
        logits.ArgMax(axis: 1).ToArray<int>().Zip(labels.ToArray<int>(), (p, y) => p == y ? 1.0 : 0.0).Average();
}
