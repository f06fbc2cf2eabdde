using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>EarlyStopping and ModelCheckpoint, which act on the best epoch of a metric.</summary>
public class CheckpointTests
{
    /// <summary>A wide network on few noisy samples with a high learning rate: the validation loss soon stops improving.</summary>
    private static (Sequential Model, Trainer Trainer, DataLoader Train, DataLoader Validation) Overfitting()
    {
        var (x, y) = Blobs.Regression(40, seed: 11);
        var model = Networks.Mlp([3, 64, 64, 1], () => new ReLU());
        var trainer = new Trainer(model, new MseLoss(), new Adam(model.Parameters(), 0.02));
        var (train, validation) = new DataLoader(x, y, 8, shuffle: true).Split(0.5, seed: 2);
        return (model, trainer, train, validation);
    }

    private static double[] Flat(IReadOnlyDictionary<string, Tensor> state) => [.. state.Values.SelectMany(t => t.ToDoubleArray())];

    [Fact]
    public void EarlyStopping_StopsAfterPatience_AndRestoresTheBestWeights()
    {
        var (model, trainer, train, validation) = Overfitting();
        var snapshots = new Dictionary<int, double[]>();
        var early = new EarlyStopping(patience: 3, minDelta: 1e-3, restoreBestWeights: true);
        trainer.Callbacks.Add(new ModelCheckpoint(onSnapshot: (e, s) => snapshots[e.Epoch] = Flat(s), saveBestOnly: false));
        trainer.Callbacks.Add(early);
        var history = trainer.Fit(train, epochs: 200, validation);

        Assert.True(early.StoppedEpoch is > 0 and < 200, $"stopped at {early.StoppedEpoch}");
        Assert.Equal(early.StoppedEpoch, history.Epochs.Count);
        Assert.Equal(early.StoppedEpoch - 3, early.BestEpoch);
        Assert.Equal(history.ValidationLoss[early.BestEpoch - 1], early.BestValue);
        Assert.StartsWith("early stopping: ValidationLoss did not improve for 3 epochs", history.StopReason);
        Assert.Equal(snapshots[early.BestEpoch], Flat(model.StateDict()));
        Assert.NotEqual(snapshots[early.StoppedEpoch], Flat(model.StateDict()));
    }

    [Fact]
    public void EarlyStopping_WithoutRestore_KeepsTheLastWeights()
    {
        var (model, trainer, train, validation) = Overfitting();
        double[]? last = null;
        trainer.Callbacks.Add(new ModelCheckpoint(onSnapshot: (_, s) => last = Flat(s), saveBestOnly: false));
        trainer.Callbacks.Add(new EarlyStopping(patience: 3, minDelta: 1e-3));
        trainer.Fit(train, epochs: 200, validation);
        Assert.Equal(last, Flat(model.StateDict()));
    }

    [Fact]
    public void ModelCheckpoint_KeepsTheBestInMemory_AndHandsOnlyImprovementsToTheDelegate()
    {
        var (_, trainer, train, validation) = Overfitting();
        var saved = new List<int>();
        var checkpoint = new ModelCheckpoint(TrainingMetric.ValidationLoss, (e, _) => saved.Add(e.Epoch));
        trainer.Callbacks.Add(checkpoint);
        var history = trainer.Fit(train, epochs: 15, validation);

        Assert.Equal(history.BestEpoch(TrainingMetric.ValidationLoss), checkpoint.BestEpoch);
        Assert.Equal(checkpoint.BestEpoch, saved[^1]);
        var improving = new List<int>();
        double best = double.PositiveInfinity;
        foreach (var e in history.Epochs)
            if (e.ValidationLoss < best) (best, improving) = (e.ValidationLoss!.Value, [.. improving, e.Epoch]);
        Assert.Equal(improving, saved);

        // The best state is a copy: loading it back gives the best epoch's validation loss.
        trainer.Model.LoadStateDict(checkpoint.BestState!);
        Assert.Equal(checkpoint.BestValue, trainer.Evaluate(validation).Loss, 1e-6);
    }

    [Fact]
    public void Accuracy_IsMaximised()
    {
        var (x, y) = Blobs.Classification(60);
        var model = Networks.Mlp([4, 8, 3], () => new ReLU());
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.05));
        var checkpoint = new ModelCheckpoint(TrainingMetric.Accuracy);
        trainer.Callbacks.Add(checkpoint);
        var history = trainer.Fit(new DataLoader(x, y, 10), epochs: 6);
        Assert.Equal(history.Accuracy.Max(), checkpoint.BestValue);
        Assert.Equal(history.Accuracy.ToList().IndexOf(history.Accuracy.Max()) + 1, checkpoint.BestEpoch);
    }

    [Fact]
    public void BadSettings_GetSpecificMessages()
    {
        Assert.Contains("patience must be at least 1 epoch, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(patience: 0)).Message);
        Assert.Contains("minimum change must be zero or positive and finite, got -0.5", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(minDelta: -0.5)).Message);
        Assert.Contains("unknown metric 9", Assert.Throws<ArgumentOutOfRangeException>(() => new ModelCheckpoint((TrainingMetric)9)).Message);
    }
}
