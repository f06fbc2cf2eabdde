using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Kernels;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

/// <summary>
/// The recurrent anchors' text-classification workload (bench/compare-text.sh, against
/// <c>../shared/bench/anchors/rnn_anchors.py</c>): Embedding(2000 → 64) → LSTM or GRU (128, batch
/// first) → Linear(128 → 2) on the last step's output, Adam lr 1e-3, cross-entropy, batch 64,
/// sequences of 50 tokens; training samples/s, bytes allocated per step and the test accuracy.
/// </summary>
/// <remarks>
/// <para>
/// The data are the anchor's: token ids 10 … 1999 with a 7 and a 9 placed at random steps, the label
/// whether the first 7 comes before the first 9 (order matters, so a bag of words cannot solve it);
/// 12,800 training sequences (3,200 with <c>--quick</c>, as the anchor's) and 2,000 test sequences,
/// drawn from Nabla's generator (the same task, not the same numbers).
/// </para>
/// <para>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- text [--quick] [--json] [--runs N]</c>.
/// Each figure is the median of N epochs (3 by default), each on a fresh model after a warm-up; the
/// accuracy is the first model's after its epoch. The thread count is
/// <see cref="Parallelism.MaxDegreeOfParallelism"/> (<c>NABLA_NUM_THREADS</c>).
/// </para>
/// </remarks>
public static class RecurrentComparison
{
    private const int Vocabulary = 2000, Steps = 50, BatchSize = 64, Embedding = 64, Hidden = 128;
    private const int TrainingSamples = 12_800, QuickSamples = 3_200, TestSamples = 2_000;

    /// <summary>Runs the measurement and prints a short table, or one JSON line with <c>--json</c>.</summary>
    public static void Run(string[] args)
    {
        var (runs, _, quick, json) = RunnerOptions.Parse("text", args);
        int samples = quick ? QuickSamples : TrainingSamples;
        var data = new Generator(0);
        var (trainTokens, trainLabels) = Make(samples, data);
        var (testTokens, testLabels) = Make(TestSamples, data);

        var result = new Dictionary<string, object>
        {
            ["system"] = $"Nabla {typeof(Tensor).Assembly.GetName().Version?.ToString(3)}",
            ["threads"] = Parallelism.MaxDegreeOfParallelism,
            ["runs"] = runs,
            ["samples_per_epoch"] = samples,
        };
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>();
        foreach (var cell in new[] { "lstm", "gru" })
        {
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed < TimeSpan.FromSeconds(3)) Train(new Classifier(cell, 99), trainTokens, trainLabels, 640, 99);
            var measurements = new Measurement[runs];
            double accuracy = 0;
            for (int r = 0; r < runs; r++)
            {
                var model = new Classifier(cell, (ulong)r);
                measurements[r] = Train(model, trainTokens, trainLabels, samples, (ulong)r);
                if (r == 0) accuracy = model.Accuracy(testTokens, testLabels);
            }
            Array.Sort(measurements, (a, b) => a.Seconds.CompareTo(b.Seconds));
            var m = measurements[runs / 2];
            result[$"{cell}_b64_t50_samples_per_s"] = Math.Round(samples / m.Seconds);
            result[$"{cell}_thread_bytes_per_step"] = Math.Round((double)m.ThreadBytes / m.Steps);
            result[$"{cell}_total_bytes_per_step"] = Math.Round((double)m.TotalBytes / m.Steps);
            result[$"{cell}_gen0_gen1_gen2"] = new[] { m.Gen0, m.Gen1, m.Gen2 };
            result[$"{cell}_test_acc_after_1ep"] = Math.Round(accuracy, 4);
            lines.Add(string.Create(inv, $"{cell.ToUpperInvariant(),-6} {samples / m.Seconds,10:N0} {(double)m.ThreadBytes / m.Steps,16:N0} {(double)m.TotalBytes / m.Steps,13:N0} {$"{m.Gen0}/{m.Gen1}/{m.Gen2}",12} {accuracy,9:F4}"));
        }
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result));
            return;
        }
        Console.WriteLine($"Text classification, Embedding({Vocabulary}→{Embedding}) → cell({Hidden}) → Linear(2), Adam lr 1e-3, batch {BatchSize}, {Steps} tokens; threads {Parallelism.MaxDegreeOfParallelism}; median of {runs} epochs of {samples:N0} samples");
        Console.WriteLine();
        Console.WriteLine($"{"cell",-6} {"samples/s",10} {"B/step (thread)",16} {"B/step (all)",13} {"GC gen0/1/2",12} {"accuracy",9}");
        foreach (var line in lines) Console.WriteLine(line);
    }

    /// <summary>The anchor's synthetic task: ids 10 … V − 1 with a 7 and a 9 at random steps; label: the first 7 comes before the first 9.</summary>
    private static (int[] Tokens, int[] Labels) Make(int count, Generator g)
    {
        var tokens = new int[count * Steps];
        var labels = new int[count];
        for (int s = 0; s < count; s++)
        {
            var row = tokens.AsSpan(s * Steps, Steps);
            for (int t = 0; t < Steps; t++) row[t] = 10 + g.NextInt(Vocabulary - 10);
            row[g.NextInt(Steps)] = 7;
            row[g.NextInt(Steps)] = 9;
            labels[s] = row.IndexOf(7) < row.IndexOf(9) ? 1 : 0;
        }
        return (tokens, labels);
    }

    private readonly record struct Measurement(double Seconds, int Steps, long ThreadBytes, long TotalBytes, int Gen0, int Gen1, int Gen2);

    /// <summary>One epoch over the first <paramref name="samples"/> sequences in a fresh shuffle, as the anchor's loop.</summary>
    private static Measurement Train(Classifier model, int[] tokens, int[] labels, int samples, ulong seed)
    {
        var optimizer = new Adam(model.Parameters(), learningRate: 1e-3);
        var loss = new CrossEntropyLoss();
        var shuffle = new Generator(seed);
        var order = Enumerable.Range(0, labels.Length).ToArray();
        shuffle.Shuffle<int>(order);
        var batchTokens = new int[BatchSize * Steps];
        var batchLabels = new int[BatchSize];
        // Buffers wrapped once and refilled every step, as a data loader's.
        var tokenTensor = new Tensor(batchTokens, [BatchSize, Steps], DType.Int32);
        var labelTensor = new Tensor(batchLabels, [BatchSize], DType.Int32);

        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long threadBytes = GC.GetAllocatedBytesForCurrentThread(), totalBytes = GC.GetTotalAllocatedBytes();
        int steps = 0;
        var clock = Stopwatch.StartNew();
        for (int start = 0; start + BatchSize <= samples; start += BatchSize)
        {
            for (int i = 0; i < BatchSize; i++)
            {
                tokens.AsSpan(order[start + i] * Steps, Steps).CopyTo(batchTokens.AsSpan(i * Steps));
                batchLabels[i] = labels[order[start + i]];
            }
            optimizer.ZeroGrad(setToNone: false);
            loss.Forward(model.Forward(tokenTensor), labelTensor).Backward();
            optimizer.Step();
            steps++;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return new Measurement(seconds, steps, GC.GetAllocatedBytesForCurrentThread() - threadBytes, GC.GetTotalAllocatedBytes() - totalBytes,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
    }

    /// <summary>Embedding → LSTM or GRU (batch first) → Linear on the last step's output, as the anchor's <c>Net</c>.</summary>
    private sealed class Classifier : Module
    {
        private readonly Embedding _embedding;
        private readonly RecurrentLayer _recurrent;
        private readonly Linear _output;

        public Classifier(string cell, ulong seed)
        {
            var g = new Generator(seed);
            _embedding = RegisterModule("emb", new Embedding(Vocabulary, Embedding, generator: g));
            _recurrent = RegisterModule<RecurrentLayer>("rnn", cell == "lstm"
                ? new LSTM(Embedding, Hidden, batchFirst: true, generator: g)
                : new GRU(Embedding, Hidden, batchFirst: true, generator: g));
            _output = RegisterModule("out", new Linear(Hidden, 2, generator: g));
        }

        public override Tensor Forward(Tensor input)
        {
            var sequence = _recurrent.Forward(_embedding.Forward(input));
            return _output.Forward(sequence.Slice(1, sequence.Size(1) - 1, 1).Reshape(-1, Hidden));
        }

        /// <summary>The share of <paramref name="labels"/> predicted right, 500 sequences at a time.</summary>
        public double Accuracy(int[] tokens, int[] labels)
        {
            int correct = 0;
            using (Autograd.NoGrad())
            {
                for (int start = 0; start < labels.Length; start += 500)
                {
                    int count = Math.Min(500, labels.Length - start);
                    var logits = Forward(Tensor.FromArray(tokens.AsSpan(start * Steps, count * Steps).ToArray(), [count, Steps])).ToArray<float>();
                    for (int i = 0; i < count; i++)
                        if ((logits[2 * i + 1] > logits[2 * i] ? 1 : 0) == labels[start + i]) correct++;
                }
            }
            return (double)correct / labels.Length;
        }
    }
}
