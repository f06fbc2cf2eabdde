using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

public class TrainerTests
{
    private static (Sequential Model, Trainer Trainer, DataLoader Data) Classifier(int samples = 60, int batchSize = 16, double learningRate = 0.05)
    {
        var (x, y) = Blobs.Classification(samples);
        var model = Networks.Mlp([4, 16, 3], () => new ReLU());
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), learningRate, momentum: 0.9));
        return (model, trainer, new DataLoader(x, y, batchSize, shuffle: true));
    }

    private sealed class Recorder : ITrainingCallback
    {
        public List<string> Events { get; } = [];
        public int StopAfterEpoch { get; init; }

        public void OnTrainBegin(Trainer trainer) => Events.Add("train begin");
        public void OnEpochBegin(Trainer trainer) => Events.Add($"epoch {trainer.Epoch} begin");
        public void OnGradients(Trainer trainer)
        {
            Assert.All(trainer.Optimizer.Parameters, p => Assert.NotNull(p.Grad));
            Events.Add("gradients");
        }
        public void OnBatchEnd(Trainer trainer, Batch batch) => Events.Add($"batch {batch.Index} step {trainer.Step}");
        public void OnEpochEnd(Trainer trainer, EpochResult epoch)
        {
            Assert.Same(epoch, trainer.History.Epochs[^1]);
            Events.Add($"epoch {epoch.Epoch} end");
            if (epoch.Epoch == StopAfterEpoch) trainer.Stop("test stop");
        }
        public void OnTrainEnd(Trainer trainer) => Events.Add("train end");
    }

    [Fact]
    public void Callbacks_AreCalledAtEachStage_InOrder()
    {
        var (_, trainer, data) = Classifier(samples: 30, batchSize: 12);
        var recorder = new Recorder();
        trainer.Callbacks.Add(recorder);
        trainer.Fit(data, epochs: 2);
        string[] epoch(int e, int firstStep) =>
            [$"epoch {e} begin", "gradients", $"batch 0 step {firstStep}", "gradients", $"batch 1 step {firstStep + 1}", "gradients", $"batch 2 step {firstStep + 2}", $"epoch {e} end"];
        Assert.Equal(["train begin", .. epoch(1, 1), .. epoch(2, 4), "train end"], recorder.Events);
    }

    private sealed class GradientKeeper : ITrainingCallback
    {
        public HashSet<Tensor> Seen { get; } = new(ReferenceEqualityComparer.Instance);

        public void OnGradients(Trainer trainer)
        {
            foreach (var p in trainer.Optimizer.Parameters) Seen.Add(p.Grad!);
        }
    }

    [Fact]
    public void WithoutSettingGradientsToNone_EveryStepReusesTheSameGradients_AndTrainsTheSame()
    {
        var (reusedModel, reused, _) = Classifier();
        var (freshModel, fresh, _) = Classifier();
        reused.SetGradientsToNone = false;
        var keeper = new GradientKeeper();
        reused.Callbacks.Add(keeper);
        var (x, y) = Blobs.Classification(60);
        reused.Fit(new DataLoader(x, y, 16), epochs: 2);
        fresh.Fit(new DataLoader(x, y, 16), epochs: 2);
        Assert.Equal(reused.Optimizer.Parameters.Count, keeper.Seen.Count);
        foreach (var (a, b) in reusedModel.Parameters().Zip(freshModel.Parameters())) Assert.Equal(b.ToDoubleArray(), a.ToDoubleArray());
        Assert.True(fresh.SetGradientsToNone);
    }

    [Fact]
    public void Stop_EndsTrainingAfterTheEpoch_WithTheReason()
    {
        var (_, trainer, data) = Classifier();
        trainer.Callbacks.Add(new Recorder { StopAfterEpoch = 2 });
        var history = trainer.Fit(data, epochs: 10);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal("test stop", history.StopReason);
        Assert.True(trainer.StopTraining);
    }

    [Fact]
    public void Fit_RecordsLossAccuracyValidationAndLearningRate_PerEpoch()
    {
        var (_, trainer, data) = Classifier(samples: 90);
        var history = trainer.Fit(data, epochs: 8, validationSplit: 0.2, splitSeed: 1);
        Assert.Equal(8, history.Loss.Count);
        Assert.Equal(8, history.Accuracy.Count);
        Assert.Equal(8, history.ValidationLoss.Count);
        Assert.Equal(8, history.ValidationAccuracy.Count);
        Assert.All(history.LearningRate, lr => Assert.Equal(0.05, lr));
        Assert.True(history.Loss[^1] < history.Loss[0] / 2, $"loss {history.Loss[0]} -> {history.Loss[^1]}");
        Assert.True(history.ValidationAccuracy[^1] > 0.75, $"validation accuracy {history.ValidationAccuracy[^1]}");
        Assert.Equal(history.Epochs.MinBy(e => e.ValidationLoss)!.Epoch, history.BestEpoch(TrainingMetric.ValidationLoss));
        Assert.Null(history.StopReason);
    }

    private sealed class RunningProbe : ITrainingCallback
    {
        public List<double?> AtBatchEnd { get; } = [];
        public List<double?> AtEpochEnd { get; } = [];
        public void OnBatchEnd(Trainer trainer, Batch batch) => AtBatchEnd.Add(trainer.RunningAccuracy);
        public void OnEpochEnd(Trainer trainer, EpochResult epoch) => AtEpochEnd.Add(trainer.RunningAccuracy);
    }

    [Fact]
    public void RunningAccuracy_GrowsBatchByBatch_ToTheEpochsAccuracy()
    {
        var (_, trainer, data) = Classifier(samples: 64, batchSize: 16);
        var probe = new RunningProbe();
        trainer.Callbacks.Add(probe);
        var history = trainer.Fit(data, epochs: 3);
        Assert.Equal(history.Accuracy.Select(a => (double?)a), probe.AtEpochEnd);
        Assert.Equal(12, probe.AtBatchEnd.Count);
        // After one batch of 16 the running accuracy is a count out of 16.
        Assert.All(probe.AtBatchEnd.Where((_, i) => i % 4 == 0), a => Assert.Equal(0, a!.Value * 16 % 1, 12));
    }

    [Fact]
    public void RunningAccuracy_IsNull_ForRegressionTargets()
    {
        var x = Tensor.FromArray(new float[] { 0, 1, 2, 3 }, 4, 1);
        var y = Tensor.FromArray(new float[] { 1, 3, 5, 7 }, 4, 1);
        var model = new Linear(1, 1);
        var trainer = new Trainer(model, new MseLoss(), new Sgd(model.Parameters(), 0.01));
        var probe = new RunningProbe();
        trainer.Callbacks.Add(probe);
        trainer.Fit(new DataLoader(x, y, batchSize: 2), epochs: 1);
        Assert.Equal([null, null], probe.AtBatchEnd);
    }

    [Fact]
    public void Evaluate_GivesTheMeanLossAndAccuracy_InEvalModeWithoutGradients()
    {
        var (model, trainer, data) = Classifier();
        trainer.Fit(data, epochs: 3);
        var evaluation = trainer.Evaluate(new DataLoader(data.Inputs, data.Targets, batchSize: 7));
        using (Nabla.Autograd.NoGrad())
        {
            var output = model.Forward(data.Inputs);
            Assert.Equal(new CrossEntropyLoss().Forward(output, data.Targets).Item(), evaluation.Loss, 1e-5);
            var predicted = Enumerable.Range(0, data.Count).Select(i => Enumerable.Range(0, 3).MaxBy(c => output[i, c])).ToArray();
            var labels = data.Targets.ToArray<int>();
            Assert.Equal(predicted.Zip(labels).Count(p => p.First == p.Second) / (double)data.Count, evaluation.Accuracy);
        }
    }

    /// <summary>Records the mode each forward pass ran in.</summary>
    private sealed class ModeProbe : Module
    {
        public List<bool> Modes { get; } = [];

        public override Tensor Forward(Tensor input)
        {
            Modes.Add(IsTraining);
            return input;
        }
    }

    [Fact]
    public void Model_TrainsInTrainingMode_ValidatesInEvalMode_AndGetsItsModeBack()
    {
        var (x, y) = Blobs.Classification(20);
        var probe = new ModeProbe();
        var model = new Sequential(probe, new Linear(4, 3));
        model.Eval();
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.1));
        trainer.Fit(new DataLoader(x, y, 10), epochs: 1, validation: new DataLoader(x, y, 20));
        Assert.Equal([true, true, false], probe.Modes);
        Assert.False(model.IsTraining);
    }

    [Fact]
    public void NanLoss_StopsWithTheEpochStepAndLearningRate()
    {
        var (x, y) = Blobs.Regression(64);
        var model = Networks.Mlp([3, 16, 1], () => new ReLU());
        var trainer = new Trainer(model, new MseLoss(), new Sgd(model.Parameters(), 10));
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(new DataLoader(x, y, 8), epochs: 5));
        Assert.Equal(10, e.LearningRate);
        Assert.False(double.IsFinite(e.Loss));
        Assert.Equal(trainer.Epoch, e.Epoch);
        Assert.Equal(trainer.Step, e.Step);
        Assert.True(e.Step > 1);
        Assert.Equal((int)((e.Step - 1) % 8) + 1, e.Batch);
        Assert.Contains($"at epoch {e.Epoch}, step {e.Step} (batch {e.Batch} of the epoch) with learning rate 10", e.Message);
        Assert.Contains("Lower the learning rate (now 10; try 1)", e.Message);
        Assert.Contains("ClipGradNorm", e.Message);
        Assert.True(model.IsTraining);
    }

    [Fact]
    public void ProgressReporter_ReportsBatchesAndEpochs()
    {
        var (_, trainer, data) = Classifier(samples: 48, batchSize: 8);
        var reports = new List<TrainingProgress>();
        trainer.Callbacks.Add(new ProgressReporter(new SynchronousProgress(reports.Add), interval: 2));
        trainer.Fit(data, epochs: 2);
        // 6 batches an epoch: reports after batches 2 and 4, then the end of the epoch.
        Assert.Equal([(1, 2), (1, 4), (1, 6), (2, 2), (2, 4), (2, 6)], reports.Select(r => (r.Epoch, r.Batch)));
        Assert.All(reports, r => Assert.Equal(6, r.BatchCount));
        Assert.Equal([false, false, true, false, false, true], reports.Select(r => r.EpochResult is not null));
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.Equal(trainer.History.Loss[1], reports[^1].Loss);
        Assert.Contains("at least 1 batch, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressReporter(new SynchronousProgress(_ => { }), 0)).Message);
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    [Fact]
    public void BadSettings_GetSpecificMessages()
    {
        var (model, trainer, data) = Classifier();
        Assert.Contains("Reduction.None", Assert.Throws<ArgumentException>(() => new Trainer(model, new CrossEntropyLoss(reduction: Reduction.None), trainer.Optimizer)).Message);
        Assert.Contains("must be positive and finite, got -1", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.ClipGradNorm = -1).Message);
        Assert.Contains("clipping value must be positive and finite, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.ClipGradValue = 0).Message);
        Assert.Contains("clipping value must be positive and finite, got NaN", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.ClipGradValue = double.NaN).Message);
        Assert.Contains("epochs must be positive, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data, 0)).Message);
        trainer.Callbacks.Add(new EarlyStopping(monitor: TrainingMetric.ValidationLoss));
        var missing = Assert.Throws<InvalidOperationException>(() => trainer.Fit(data, 2));
        Assert.Contains("ValidationLoss was not measured in epoch 1: there is no validation data", missing.Message);
    }

    [Theory]
    [InlineData(64)] // batch gradient descent: the whole set in one batch
    [InlineData(1)]  // stochastic gradient descent
    [InlineData(10)] // mini-batches
    public void BatchStochasticAndMiniBatch_AllReduceTheLoss(int batchSize)
    {
        var (x, y) = Blobs.Regression(64);
        var model = Networks.Mlp([3, 8, 1], () => new Tanh());
        double learningRate = batchSize == 1 ? 0.005 : 0.05;
        var trainer = new Trainer(model, new MseLoss(), new Sgd(model.Parameters(), learningRate));
        var data = new DataLoader(x, y, batchSize, shuffle: true);
        double before = trainer.Evaluate(data).Loss;
        var history = trainer.Fit(data, epochs: 20);
        Assert.Equal(data.BatchCount * 20, trainer.Step);
        double after = trainer.Evaluate(data).Loss;
        Assert.True(after < before / 4, $"batch size {batchSize}: loss {before} -> {after}");
        Assert.True(history.Loss[^1] < history.Loss[0]);
    }
}
