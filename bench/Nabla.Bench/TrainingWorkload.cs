using System.Diagnostics;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

/// <summary>
/// The anchors' training workloads on Fashion-MNIST: the MLP 784-256-128-10 and the small CNN, Adam
/// lr 1e-3, cross-entropy, shuffled mini-batches. The loop is the one a user writes (shuffle, gather
/// the batch into a reused buffer, forward, loss, backward, step), timed and allocation-counted per epoch.
/// </summary>
internal sealed class TrainingWorkload
{
    private readonly FashionMnist _data;
    private readonly bool _images;

    private TrainingWorkload(FashionMnist data, bool images) => (_data, _images) = (data, images);

    /// <summary>Seconds, samples and allocation counts of one timed pass.</summary>
    public readonly record struct Measurement(double Seconds, int Samples, int Steps, long ThreadBytes, long TotalBytes, int Gen0, int Gen1, int Gen2)
    {
        /// <summary>Training samples per second.</summary>
        public double SamplesPerSecond => Samples / Seconds;

        /// <summary>Bytes allocated per step on the training thread.</summary>
        public double ThreadBytesPerStep => (double)ThreadBytes / Steps;

        /// <summary>Bytes allocated per step by the whole process (the kernels' worker threads included).</summary>
        public double TotalBytesPerStep => (double)TotalBytes / Steps;
    }

    /// <summary>The MLP 784-256-128-10 with ReLU, on flat images.</summary>
    public static TrainingWorkload Mlp(FashionMnist data) => new(data, images: false);

    /// <summary>conv 1→16 3×3 pad 1, ReLU, maxpool 2, conv 16→32 3×3 pad 1, ReLU, maxpool 2, flatten, linear 1568→10, on [N, 1, 28, 28] images.</summary>
    public static TrainingWorkload Cnn(FashionMnist data) => new(data, images: true);

    /// <summary>A freshly initialised model of this workload, from a fixed seed.</summary>
    public Module NewModel(ulong seed)
    {
        var g = new Generator(seed);
        return _images
            ? new Sequential(
                new Conv2d(1, 16, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2),
                new Conv2d(16, 32, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(32 * 7 * 7, 10, generator: g))
            : new Sequential(
                new Linear(FashionMnist.Features, 256, generator: g), new ReLU(),
                new Linear(256, 128, generator: g), new ReLU(),
                new Linear(128, 10, generator: g));
    }

    /// <summary>
    /// Trains <paramref name="model"/> for <paramref name="epochs"/> passes over the first
    /// <paramref name="samples"/> of a fresh shuffle each epoch, as the anchors do, and returns the time and allocations.
    /// </summary>
    public Measurement Train(Module model, int batchSize, int epochs, int samples, ulong seed)
    {
        var optimizer = new Adam(model.Parameters(), learningRate: 1e-3);
        var loss = new CrossEntropyLoss();
        var shuffle = new Generator(seed);
        int total = _data.TrainLabels.Length;
        var order = new int[total];
        var full = new Batch(batchSize, _images);
        var tail = samples % batchSize == 0 ? null : new Batch(samples % batchSize, _images);

        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long threadBytes = GC.GetAllocatedBytesForCurrentThread(), totalBytes = GC.GetTotalAllocatedBytes();
        int steps = 0;
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int i = 0; i < order.Length; i++) order[i] = i;
            shuffle.Shuffle<int>(order);
            for (int start = 0; start < samples; start += batchSize)
            {
                var batch = start + batchSize <= samples ? full : tail!;
                batch.Gather(_data, order, start);
                optimizer.ZeroGrad(setToNone: false);
                loss.Forward(model.Forward(batch.Images), batch.Labels).Backward();
                optimizer.Step();
                steps++;
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return new Measurement(seconds, samples * epochs, steps,
            GC.GetAllocatedBytesForCurrentThread() - threadBytes, GC.GetTotalAllocatedBytes() - totalBytes,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
    }

    /// <summary>
    /// The share of the test set that <paramref name="model"/> classifies correctly, evaluated 1,000
    /// images at a time as a data loader would: one pass over all 10,000 at once would hold every
    /// layer's activations for the whole set (conv1's alone are 500 MB), which the garbage collector
    /// only returns at its next full collection.
    /// </summary>
    public double TestAccuracy(Module model)
    {
        const int EvaluationBatch = 1000;
        model.Eval();
        var labels = _data.TestLabels.Int32Data;
        int correct = 0;
        using (Autograd.NoGrad())
        {
            for (int start = 0; start < labels.Length; start += EvaluationBatch)
            {
                int count = Math.Min(EvaluationBatch, labels.Length - start);
                var images = _data.TestImages.Slice(0, start, count);
                var logits = model.Forward(_images ? images.Reshape(-1, 1, 28, 28) : images);
                var scores = logits.Float32Data;
                int classes = logits.Size(1);
                for (int i = 0; i < count; i++)
                {
                    if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(scores.AsSpan(i * classes, classes)) == labels[start + i]) correct++;
                }
            }
        }
        model.Train();
        return (double)correct / labels.Length;
    }

    /// <summary>One mini-batch's images and labels, in buffers reused for every step.</summary>
    private sealed class Batch
    {
        private readonly float[] _pixels;
        private readonly int[] _labels;

        public Batch(int size, bool images)
        {
            _pixels = new float[size * FashionMnist.Features];
            _labels = new int[size];
            Images = new Tensor(_pixels, images ? [size, 1, 28, 28] : [size, FashionMnist.Features], DType.Float32);
            Labels = new Tensor(_labels, [size], DType.Int32);
        }

        public Tensor Images { get; }

        public Tensor Labels { get; }

        /// <summary>Copies the samples <paramref name="order"/>[start…] into the buffers.</summary>
        public void Gather(FashionMnist data, int[] order, int start)
        {
            var pixels = data.TrainImages.Float32Data;
            var labels = data.TrainLabels.Int32Data;
            for (int i = 0; i < _labels.Length; i++)
            {
                int sample = order[start + i];
                pixels.AsSpan(sample * FashionMnist.Features, FashionMnist.Features).CopyTo(_pixels.AsSpan(i * FashionMnist.Features));
                _labels[i] = labels[sample];
            }
        }
    }
}
