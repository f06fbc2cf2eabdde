using Nabla.Distributed;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Training;
using Nabla.Training;

namespace Nabla.Tests.Distributed;

public sealed class DistributedDataParallelTests
{
    private static readonly (Tensor X, Tensor Y) Data = Blobs.Classification(125, features: 4, classes: 3, seed: 11);

    /// <summary>One rank's (or the single process's) trainer: the same seeded MLP, optimizer and loader everywhere.</summary>
    private static (Trainer Trainer, DataLoader Loader) Build(Func<Module, Optimizer> optimizer, int batchSize, Func<Module>? model = null)
    {
        var network = model?.Invoke() ?? Networks.Mlp([4, 16, 3], () => new Tanh(), seed: 3);
        var trainer = new Trainer(network, new CrossEntropyLoss(), optimizer(network));
        var loader = new DataLoader(Data.X, Data.Y, batchSize, shuffle: true, generator: new Generator(7));
        return (trainer, loader);
    }

    private static Optimizer AdamOf(Module m) => new Adam(m.Parameters(), 1e-2);

    private static Optimizer SgdMomentumOf(Module m) => new Sgd(m.Parameters(), 5e-2, momentum: 0.9);

    private static float[] Weights(Module model) => [.. model.Parameters().SelectMany(p => p.ToArray<float>())];

    private static (float[] Weights, History History) OneProcess(Func<Module, Optimizer> optimizer, int batchSize, int epochs, Func<Module>? model = null)
    {
        var (trainer, loader) = Build(optimizer, batchSize, model);
        var history = trainer.Fit(loader, epochs);
        return (Weights(trainer.Model), history);
    }

    private static (float[] Weights, History History)[] OnRanks(int ranks, Func<Module, Optimizer> optimizer, int batchSize, int epochs,
        Func<Module>? model = null, int bucketBytes = DistributedDataParallel.DefaultBucketBytes) =>
        ThreadGroupCommunicator.Run(ranks, comm =>
        {
            var (trainer, loader) = Build(optimizer, batchSize, model);
            _ = new DistributedDataParallel(trainer, comm, bucketBytes);
            var history = trainer.Fit(loader, epochs);
            return (Weights(trainer.Model), history);
        });

    /// <summary>
    /// An MLP with a batch norm, given as a plain layer or wrapped by <paramref name="wrap"/>; no bias before the batch
    /// norm, since its gradient is zero but for rounding, which Adam would magnify into steps of the learning rate.
    /// </summary>
    private static Module BatchNormNet(Func<BatchNorm, Module> wrap) =>
        new Sequential(new Linear(4, 16, bias: false, generator: new Generator(3)), wrap(new BatchNorm1d(16)), new Tanh(), new Linear(16, 3, generator: new Generator(4)));

    /// <summary>The largest difference relative to the largest magnitude of <paramref name="expected"/>.</summary>
    private static double RelativeDifference(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return diff / scale;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Adam_OnRanks_EqualsOneProcessWithTheSameGlobalBatch_After50Steps(int ranks)
    {
        // 125 samples in global batches of 25: 5 steps an epoch, 50 in 10 epochs.
        var (expected, expectedHistory) = OneProcess(AdamOf, batchSize: 25, epochs: 10);
        var results = OnRanks(ranks, AdamOf, batchSize: 25, epochs: 10);
        foreach (var (weights, history) in results)
        {
            Assert.True(RelativeDifference(weights, expected) < 1e-5, $"relative difference {RelativeDifference(weights, expected)}");
            Assert.Equal(expectedHistory.Epochs.Select(e => e.Loss), history.Epochs.Select(e => e.Loss), (a, b) => Math.Abs(a - b) < 1e-5 * Math.Abs(a));
            Assert.Equal(expectedHistory.Epochs.Select(e => e.Accuracy), history.Epochs.Select(e => e.Accuracy));
        }
        Assert.True(expectedHistory.Epochs[^1].Loss < 0.5 * expectedHistory.Epochs[0].Loss);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void SgdMomentum_WithUnevenGlobalBatches_EqualsOneProcess(int ranks)
    {
        // Batches of 26: 26 does not divide among 4 ranks (7, 7, 6, 6), and the last batch of 21 neither among 2 nor 4.
        var (expected, _) = OneProcess(SgdMomentumOf, batchSize: 26, epochs: 10);
        foreach (var (weights, _) in OnRanks(ranks, SgdMomentumOf, batchSize: 26, epochs: 10))
            Assert.True(RelativeDifference(weights, expected) < 1e-5, $"relative difference {RelativeDifference(weights, expected)}");
    }

    [Fact]
    public void TheSameRunTwice_GivesBitIdenticalWeights()
    {
        var first = OnRanks(4, AdamOf, batchSize: 26, epochs: 3);
        var second = OnRanks(4, AdamOf, batchSize: 26, epochs: 3);
        for (int rank = 0; rank < 4; rank++)
        {
            Assert.Equal(first[0].Weights, first[rank].Weights);
            Assert.Equal(first[rank].Weights, second[rank].Weights);
        }
    }

    [Theory]
    [InlineData(4)]   // one element a bucket: every parameter spans many buckets
    [InlineData(100)] // smaller than the 16×4 weight, larger than the biases: parameters split and shared
    public void BucketBoundaries_DoNotChangeTheResult(int bucketBytes)
    {
        var whole = OnRanks(2, AdamOf, batchSize: 25, epochs: 2);
        var cut = OnRanks(2, AdamOf, batchSize: 25, epochs: 2, bucketBytes: bucketBytes);
        Assert.Equal(whole[0].Weights, cut[0].Weights);
        Assert.Equal(whole[1].Weights, cut[1].Weights);
    }

    [Fact]
    public void BucketCount_FollowsTheBucketSize()
    {
        // 4·16 + 16 + 16·3 + 3 = 131 gradient elements and 4 flags: 135 floats.
        int[] counts = ThreadGroupCommunicator.Run(2, comm =>
        {
            int[] found = new int[3];
            int i = 0;
            foreach (int bytes in new[] { DistributedDataParallel.DefaultBucketBytes, 100, 4 })
            {
                var (trainer, loader) = Build(AdamOf, 25);
                var ddp = new DistributedDataParallel(trainer, comm, bytes);
                trainer.Fit(loader, 1);
                found[i++] = ddp.BucketCount;
            }
            return found;
        })[0];
        Assert.Equal([1, 6, 135], counts);
    }

    [Fact]
    public void Metrics_AreTheSameOnEveryRank_AndEqualTheOneProcessMetrics()
    {
        var single = FitWithValidation(null);
        var histories = ThreadGroupCommunicator.Run(4, comm => FitWithValidation(comm));
        foreach (var history in histories)
            for (int e = 0; e < single.Epochs.Count; e++)
            {
                var (a, b) = (single.Epochs[e], history.Epochs[e]);
                Assert.Equal(histories[0].Epochs[e].Loss, b.Loss);
                Assert.Equal(histories[0].Epochs[e].ValidationLoss, b.ValidationLoss);
                Assert.Equal(a.Loss, b.Loss, 1e-5 * a.Loss);
                Assert.Equal(a.ValidationLoss!.Value, b.ValidationLoss!.Value, 1e-5 * a.ValidationLoss.Value);
                Assert.Equal(a.Accuracy, b.Accuracy);
                Assert.Equal(a.ValidationAccuracy, b.ValidationAccuracy);
            }
    }

    /// <summary>A 3-epoch fit with a validation split of 25 samples (7, 6, 6, 6 on 4 ranks), on one process when <paramref name="comm"/> is null.</summary>
    private static History FitWithValidation(Communicator? comm)
    {
        var (trainer, loader) = Build(AdamOf, 25);
        if (comm is not null) _ = new DistributedDataParallel(trainer, comm);
        return trainer.Fit(loader, 3, validationSplit: 0.2, splitSeed: 3);
    }

    [Fact]
    public void ACheckpointWrittenAtTwoRanks_ResumesOnFourAndOnOne_AsTheUninterruptedRun()
    {
        string directory = Path.Combine(Path.GetTempPath(), "nabla-ddp-" + Guid.NewGuid().ToString("N"));
        try
        {
            var uninterrupted = OnRanks(2, AdamOf, batchSize: 26, epochs: 4)[0].Weights;
            ThreadGroupCommunicator.Run(2, comm =>
            {
                var (trainer, loader) = Build(AdamOf, 26);
                var ddp = new DistributedDataParallel(trainer, comm);
                if (ddp.IsRoot) trainer.Callbacks.Add(new CheckpointCallback(directory));
                return trainer.Fit(loader, 2);
            });
            var checkpoint = TrainingCheckpoint.Load(Path.Combine(directory, CheckpointCallback.FileName));
            foreach (int ranks in new[] { 4, 1 })
            {
                var resumed = ThreadGroupCommunicator.Run(ranks, comm =>
                {
                    var (trainer, loader) = Build(AdamOf, 26);
                    _ = new DistributedDataParallel(trainer, comm);
                    var history = trainer.Resume(checkpoint, loader, 4);
                    Assert.Equal(4, history.Epochs.Count);
                    return Weights(trainer.Model);
                });
                foreach (var weights in resumed)
                    Assert.True(RelativeDifference(weights, uninterrupted) < 1e-5, $"{ranks} ranks: relative difference {RelativeDifference(weights, uninterrupted)}");
            }
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void RankZerosWeights_AreBroadcastAtTheStart()
    {
        var weights = ThreadGroupCommunicator.Run(2, comm =>
        {
            // Each rank draws its own initial weights; rank 0's must win before the first step.
            var (trainer, loader) = Build(AdamOf, 25, () => Networks.Mlp([4, 16, 3], () => new Tanh(), seed: 3 + (ulong)comm.Rank));
            _ = new DistributedDataParallel(trainer, comm);
            trainer.Fit(loader, 1);
            return Weights(trainer.Model);
        });
        Assert.Equal(weights[0], weights[1]);
        var (expected, _) = OneProcess(AdamOf, 25, 1);
        Assert.True(RelativeDifference(weights[0], expected) < 1e-5);
    }

    [Theory]
    [InlineData(3, "global batch size 3 is smaller than the number of ranks 4")]
    [InlineData(41, "last batch of an epoch holds 2 of the 125 samples")]
    public void AGlobalBatchThatLeavesARankWithoutSamples_IsRefused(int batchSize, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => OnRanks(4, AdamOf, batchSize, epochs: 1));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void SettingsThatDifferBetweenRanks_AreNamedWithTheRank()
    {
        var error = Assert.Throws<ArgumentException>(() => ThreadGroupCommunicator.Run(4, comm =>
        {
            var (trainer, loader) = Build(AdamOf, comm.Rank == 2 ? 30 : 25);
            _ = new DistributedDataParallel(trainer, comm);
            return trainer.Fit(loader, 1);
        }));
        Assert.Contains("rank 2 was set up differently from rank 0", error.Message);
        Assert.Contains("batch 25", error.Message);
        Assert.Contains("batch 30", error.Message);

        var shapes = Assert.Throws<ArgumentException>(() => ThreadGroupCommunicator.Run(2, comm =>
        {
            var (trainer, loader) = Build(AdamOf, 25, () => Networks.Mlp([4, comm.Rank == 1 ? 8 : 16, 3], () => new Tanh()));
            _ = new DistributedDataParallel(trainer, comm);
            return trainer.Fit(loader, 1);
        }));
        Assert.Contains("rank 1 was set up differently from rank 0: rank 0 has model parameters", shapes.Message);
    }

    [Fact]
    public void AParameterWithoutAGradientOnARank_CountsAsZero_AndOneWithoutAnyStaysWithout()
    {
        var grads = ThreadGroupCommunicator.Run(2, comm =>
        {
            var used = Tensor.Zeros([3]).RequiresGradient();
            var unused = Tensor.Zeros([2]).RequiresGradient();
            // Only rank 0 computes a gradient for "used", 2·(1, 2, 3); nobody for "unused".
            if (comm.IsRoot) used.Grad = Tensor.FromArray([2f, 4f, 6f]);
            new GradientBuckets<float>([used, unused], bucketLength: 2).Reduce(comm);
            return (used.Grad?.ToArray<float>(), unused.Grad);
        });
        foreach (var (used, unused) in grads)
        {
            Assert.Equal([2f, 4f, 6f], used!);
            Assert.Null(unused);
        }
    }

    [Fact]
    public void BatchNormWithLocalStatistics_DiffersFromOneProcess_ButTrains()
    {
        static Module WithBatchNorm() => BatchNormNet(bn => bn);
        var (expected, _) = OneProcess(AdamOf, 26, 10, WithBatchNorm);
        var results = OnRanks(4, AdamOf, 26, 10, WithBatchNorm);
        Assert.True(RelativeDifference(results[0].Weights, expected) > 1e-3);
        Assert.Equal(results[0].Weights, results[3].Weights);
        Assert.True(results[0].History.Epochs[^1].Loss < 0.5 * results[0].History.Epochs[0].Loss);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void SynchronisedBatchNorm_OnRanks_EqualsOneProcess(int ranks)
    {
        var (trainer, loader) = Build(AdamOf, 26, () => BatchNormNet(bn => bn));
        trainer.Fit(loader, 10);
        float[] expected = [.. Weights(trainer.Model), .. trainer.Model.NamedBuffers().Where(b => b.Buffer.DType == DType.Float32).SelectMany(b => b.Buffer.ToArray<float>())];
        var results = ThreadGroupCommunicator.Run(ranks, comm =>
        {
            var (t, l) = Build(AdamOf, 26, () => BatchNormNet(bn => SyncBatchNorm.From(bn, comm)));
            _ = new DistributedDataParallel(t, comm);
            t.Fit(l, 10);
            Assert.Equal(trainer.Model.StateDict().Keys, t.Model.StateDict().Keys);
            return (float[])[.. Weights(t.Model), .. t.Model.NamedBuffers().Where(b => b.Buffer.DType == DType.Float32).SelectMany(b => b.Buffer.ToArray<float>())];
        });
        foreach (var weights in results)
            Assert.True(RelativeDifference(weights, expected) < 1e-5, $"relative difference {RelativeDifference(weights, expected)}");
    }
}
