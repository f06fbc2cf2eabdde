using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Optim.Schedulers;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// A run killed during epoch k + 1 and resumed from the checkpoint CheckpointCallback saved after
/// epoch k, with a model, optimizer and loaders built afresh from the same seeds, ends with the same
/// weights bit for bit and the same history as the run that was never interrupted.
/// </summary>
public sealed class ResumeTests : TemporaryFolder
{
    private const int Epochs = 6;

    /// <summary>Everything a run is built from; <see cref="Build"/> makes it the same way every time.</summary>
    private sealed record Setup(Module Model, Trainer Trainer, DataLoader Train, DataLoader Validation);

    /// <summary>Thrown by <see cref="Kill"/> to stand for the process dying mid-epoch.</summary>
    private sealed class KilledException : Exception;

    /// <summary>Throws in the middle of epoch <paramref name="epoch"/>, after some of its steps have changed the weights.</summary>
    private sealed class Kill(int epoch) : ITrainingCallback
    {
        public void OnBatchEnd(Trainer trainer, Batch batch)
        {
            if (trainer.Epoch == epoch && batch.Index == 1) throw new KilledException();
        }
    }

    private static Setup Build(string kind)
    {
        // Dropout without its own generator draws from the thread's default one, as torch.manual_seed sets it.
        Init.ManualSeed(7);
        var (x, y) = Blobs.Classification(96, seed: 3);
        var weights = new Generator(1);
        var model = new Sequential(new Linear(4, 24, generator: weights), new ReLU(), new Dropout(0.3),
            new Linear(24, 24, generator: weights), new Tanh(), new Dropout(0.2, new Generator(5)), new Linear(24, 3, generator: weights));
        Optimizer optimizer = kind switch
        {
            "adam" => new Adam(model.Parameters(), 0.01, amsgrad: true),
            "sgd" => new Sgd(model.Parameters(), 0.05, momentum: 0.9, nesterov: true),
            _ => new Lbfgs(model.Parameters(), 1, maxIterations: 4, historySize: 5, lineSearch: LineSearch.StrongWolfe),
        };
        var trainer = new Trainer(model, new CrossEntropyLoss(), optimizer);
        if (kind == "adam") trainer.Callbacks.Add(new EarlyStopping(patience: 2, minDelta: 0.15, restoreBestWeights: true));
        if (kind == "sgd")
        {
            trainer.Callbacks.Add(new SchedulerCallback(new StepLR(optimizer, stepSize: 2, gamma: 0.5)));
            trainer.Callbacks.Add(new SchedulerCallback(new ReduceLROnPlateau(optimizer, patience: 1, factor: 0.7)));
            trainer.Callbacks.Add(new ModelCheckpoint(TrainingMetric.ValidationAccuracy));
        }
        var (train, validation) = new DataLoader(x, y, kind == "lbfgs" ? 24 : 16, shuffle: true, generator: new Generator(11)).Split(0.25, seed: 2);
        return new Setup(model, trainer, train, validation);
    }

    private static float[] Weights(Module model) => [.. model.Parameters().SelectMany(p => p.ToArray<float>())];

    [Theory]
    [InlineData("adam", 3)]
    [InlineData("sgd", 4)]
    [InlineData("lbfgs", 4)]
    [InlineData("adam", 5)]
    public void ResumedRun_EndsBitIdenticalToTheUninterruptedOne(string kind, int killedInEpoch)
    {
        var whole = Build(kind);
        var expected = whole.Trainer.Fit(whole.Train, Epochs, whole.Validation);

        var interrupted = Build(kind);
        var checkpoints = new CheckpointCallback(PathOf("run"), new Dictionary<string, string> { ["optimizer"] = kind });
        interrupted.Trainer.Callbacks.Add(new Kill(killedInEpoch));
        interrupted.Trainer.Callbacks.Add(checkpoints);
        Assert.Throws<KilledException>(() => interrupted.Trainer.Fit(interrupted.Train, Epochs, interrupted.Validation));

        var checkpoint = TrainingCheckpoint.Load(checkpoints.Path);
        Assert.Equal(killedInEpoch - 1, checkpoint.Epoch);
        Assert.Equal(kind, checkpoint.Run["optimizer"]);
        if (kind == "adam") Assert.NotEmpty(checkpoint.Callbacks["0.EarlyStopping"].Tensors);
        var resumed = Build(kind);
        resumed.Trainer.Callbacks.Add(new CheckpointCallback(PathOf("run")));
        var history = resumed.Trainer.Resume(checkpoint, resumed.Train, Epochs, resumed.Validation);

        Assert.Equal(Weights(whole.Model), Weights(resumed.Model));
        Assert.Equal(whole.Trainer.Step, resumed.Trainer.Step);
        Assert.Equal(expected.Epochs.Count, history.Epochs.Count);
        Assert.Equal(expected.StopReason, history.StopReason);
        Assert.Equal(expected.Epochs.Select(e => e with { Duration = default }), history.Epochs.Select(e => e with { Duration = default }));
        Assert.Equal(expected.Epochs.Count, TrainingCheckpoint.Load(checkpoints.Path).Epoch);
        // The schedules moved the learning rate, and early stopping stopped the Adam run and put back an earlier epoch's weights.
        if (kind == "sgd") Assert.NotEqual(expected.LearningRate[0], expected.LearningRate[^1]);
        if (kind == "adam") Assert.StartsWith("early stopping", expected.StopReason);
        if (kind == "sgd")
        {
            var best = whole.Trainer.Callbacks.OfType<ModelCheckpoint>().Single();
            var resumedBest = resumed.Trainer.Callbacks.OfType<ModelCheckpoint>().Single();
            Assert.Equal((best.BestEpoch, best.BestValue), (resumedBest.BestEpoch, resumedBest.BestValue));
            Assert.Equal(best.BestState!.Values.SelectMany(t => t.ToArray<float>()), resumedBest.BestState!.Values.SelectMany(t => t.ToArray<float>()));
        }
    }

    [Fact]
    public void Resume_ContinuesTheRunOfAnInMemoryCheckpoint_AndLeavesAStoppedRunStopped()
    {
        var whole = Build("adam");
        whole.Trainer.Fit(whole.Train, 2, whole.Validation);
        var checkpoint = whole.Trainer.CreateCheckpoint();
        whole.Trainer.Stop("test stop");
        var stopped = whole.Trainer.CreateCheckpoint();

        var resumed = Build("adam");
        var before = Weights(resumed.Model);
        var history = resumed.Trainer.Resume(stopped, resumed.Train, Epochs, resumed.Validation);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal("test stop", history.StopReason);
        Assert.Equal(Weights(whole.Model), Weights(resumed.Model));
        Assert.NotEqual(before, Weights(resumed.Model));

        var continued = Build("adam");
        Assert.Equal(3, continued.Trainer.Resume(checkpoint, continued.Train, 3, continued.Validation).Epochs.Count);
    }

    [Fact]
    public void Resume_RefusesACheckpointThatDoesNotFit_AndChangesNothing()
    {
        var adam = Build("adam");
        adam.Trainer.Fit(adam.Train, 1, adam.Validation);
        var checkpoint = adam.Trainer.CreateCheckpoint();

        var sgd = Build("sgd");
        var before = Weights(sgd.Model);
        var error = Assert.Throws<ArgumentException>(() => sgd.Trainer.Resume(checkpoint, sgd.Train, Epochs, sgd.Validation));
        Assert.Equal("Trainer.Resume: the checkpoint was saved with the optimizer Adam but this trainer's is Sgd. (Parameter 'checkpoint')", error.Message);

        var noValidation = Build("adam");
        error = Assert.Throws<ArgumentException>(() => noValidation.Trainer.Resume(checkpoint, noValidation.Train, Epochs));
        Assert.StartsWith("Trainer.Resume: the checkpoint holds the generators [default, model.2, model.5, train, validation] but this run draws from [default, model.2, model.5, train];", error.Message);

        var extraCallback = Build("adam");
        extraCallback.Trainer.Callbacks.Add(new SchedulerCallback(new ExponentialLR(extraCallback.Trainer.Optimizer, 0.9)));
        error = Assert.Throws<ArgumentException>(() => extraCallback.Trainer.Resume(checkpoint, extraCallback.Train, Epochs, extraCallback.Validation));
        Assert.StartsWith("Trainer.Resume: the checkpoint holds the state of the callbacks [0.EarlyStopping] but this trainer's callbacks with state are [0.EarlyStopping, 1.SchedulerCallback];", error.Message);
        Assert.Equal(before, Weights(sgd.Model));
        Assert.Equal(0, sgd.Trainer.Epoch);
    }

    [Fact]
    public void CreateCheckpoint_OnlyBetweenEpochs()
    {
        var run = Build("adam");
        var error = Assert.Throws<InvalidOperationException>(() => run.Trainer.CreateCheckpoint());
        Assert.Contains("no training run has started", error.Message);
        run.Trainer.Callbacks.Add(new MidEpochCheckpoint());
        error = Assert.Throws<InvalidOperationException>(() => run.Trainer.Fit(run.Train, 1));
        Assert.Equal("Trainer.CreateCheckpoint: epoch 1 is in progress; a checkpoint can only be taken between epochs (in OnEpochEnd or after Fit), where the run can be continued exactly.", error.Message);
    }

    private sealed class MidEpochCheckpoint : ITrainingCallback
    {
        public void OnBatchEnd(Trainer trainer, Batch batch) => trainer.CreateCheckpoint();
    }

    [Fact]
    public void CheckpointCallback_MustBeLast()
    {
        var run = Build("sgd");
        run.Trainer.Callbacks.Insert(0, new CheckpointCallback(PathOf("run")));
        var error = Assert.Throws<InvalidOperationException>(() => run.Trainer.Fit(run.Train, 1));
        Assert.StartsWith("CheckpointCallback must be the last callback of the trainer", error.Message);
        Assert.EndsWith("it is at position 1 of 4.", error.Message);
    }

    [Fact]
    public void EarlyStopping_WithoutItsBestWeights_IsRefused()
    {
        var stopping = new EarlyStopping(restoreBestWeights: true);
        var state = new CallbackState(new Dictionary<string, double> { ["wait"] = 1, ["best"] = 0.5, ["best_epoch"] = 2, ["stopped_epoch"] = 0 });
        var error = Assert.Throws<ArgumentException>(() => stopping.LoadStateDict(state));
        Assert.StartsWith("EarlyStopping.LoadStateDict: the state has a best epoch (2) but not its weights", error.Message);

        var plain = new EarlyStopping();
        plain.LoadStateDict(state);
        Assert.Equal((2, 0.5), (plain.BestEpoch, plain.BestValue));
    }
}
