using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.NN;

/// <summary>
/// An LSTM learns what a bag-of-inputs model cannot: whether the first bit of an 8-bit sequence
/// equals the last, which needs the first bit carried across the whole sequence. The order-blind
/// baseline (the mean of the inputs into a Linear layer) sees the same data and stays at chance.
/// (PyTorch's LSTM with Adam, run the same way, sits on the loss plateau ln 2 for a while and then
/// jumps to 100%; so does this one. With learning rate 0.01 it reaches 100% for weight seeds 1 to 5;
/// at 0.02 some seeds stay on the plateau for all 400 steps, so the rate is the robust choice.)
/// </summary>
public sealed class RecurrentLearningTests
{
    private const int Length = 8, Batch = 64, Hidden = 16;

    /// <summary>Random ±1 sequences (L, N, 1) and their labels (N, 1): 1 when the first bit equals the last.</summary>
    private static (Tensor X, Tensor Y) Sequences(Generator g, int count)
    {
        var bits = new float[Length * count];
        var labels = new float[count];
        for (int i = 0; i < bits.Length; i++) bits[i] = g.NextDouble() < 0.5 ? -1 : 1;
        for (int n = 0; n < count; n++) labels[n] = bits[n] == bits[(Length - 1) * count + n] ? 1 : 0;
        return (Tensor.FromArray(bits, Length, count, 1), Tensor.FromArray(labels, count, 1));
    }

    private static double Accuracy(Tensor logits, Tensor y)
    {
        var z = logits.ToArray<float>();
        var labels = y.ToArray<float>();
        return z.Zip(labels, (zi, yi) => (zi > 0 ? 1 : 0) == yi ? 1.0 : 0.0).Average();
    }

    /// <summary>Adam (β = 0.9, 0.999) on binary cross-entropy from logits, a fresh batch each step.</summary>
    private static void Train(Module model, Generator data, int steps, double learningRate)
    {
        var optimizer = new Adam(model.Parameters(), learningRate);
        var loss = new BceWithLogitsLoss();
        for (int step = 1; step <= steps; step++)
        {
            var (x, y) = Sequences(data, Batch);
            optimizer.ZeroGrad();
            loss.Forward(model.Forward(x), y).Backward();
            optimizer.Step();
        }
    }

    private sealed class LastStateClassifier : Module
    {
        private readonly LSTM _lstm = new(1, Hidden, generator: new Generator(1));
        private readonly Linear _head = new(Hidden, 1, generator: new Generator(2));

        public override Tensor Forward(Tensor input)
        {
            var (_, (hidden, _)) = _lstm.Forward(input, state: null);
            return _head.Forward(hidden.Reshape(-1, Hidden));
        }
    }

    private sealed class MeanOfInputs : Module
    {
        private readonly Linear _head = new(1, 1, generator: new Generator(3));

        public override Tensor Forward(Tensor input) => _head.Forward(input.Mean(axis: 0));
    }

    [Fact]
    public void Lstm_LearnsFirstEqualsLast_WhereAnOrderBlindModelCannot()
    {
        var (testX, testY) = Sequences(new Generator(100), 1000);

        var lstm = new LastStateClassifier();
        Train(lstm, new Generator(10), steps: 400, learningRate: 0.01);
        double lstmAccuracy = Accuracy(lstm.Forward(testX), testY);

        var baseline = new MeanOfInputs();
        Train(baseline, new Generator(10), steps: 400, learningRate: 0.02);
        double baselineAccuracy = Accuracy(baseline.Forward(testX), testY);

        Assert.True(lstmAccuracy >= 0.95, $"the LSTM reached only {lstmAccuracy:P1} on held-out sequences");
        Assert.InRange(baselineAccuracy, 0.4, 0.6);
    }
}
