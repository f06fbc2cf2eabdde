using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Optim.Schedulers;
using Nabla.Training;

namespace Nabla.Tests.Training;

public class SchedulerCallbackTests
{
    private static (Trainer Trainer, DataLoader Data) Classifier(double learningRate = 0.1)
    {
        var (x, y) = Blobs.Classification(48);
        var model = Networks.Mlp([4, 8, 3], () => new ReLU());
        return (new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), learningRate)), new DataLoader(x, y, 12));
    }

    [Fact]
    public void EpochSchedule_SetsEachEpochsLearningRate()
    {
        var (trainer, data) = Classifier();
        trainer.Callbacks.Add(new SchedulerCallback(new StepLR(trainer.Optimizer, stepSize: 2, gamma: 0.5)));
        var history = trainer.Fit(data, epochs: 5);
        Assert.Equal([0.1, 0.1, 0.05, 0.05, 0.025], history.LearningRate.Select(r => Math.Round(r, 12)));
    }

    [Fact]
    public void BatchSchedule_StepsAfterEveryBatch()
    {
        var (trainer, data) = Classifier();
        var oneCycle = new OneCycleLR(trainer.Optimizer, maxLearningRate: 0.5, totalSteps: 3 * data.BatchCount + 1);
        trainer.Callbacks.Add(new SchedulerCallback(oneCycle, SchedulerInterval.Batch));
        var history = trainer.Fit(data, epochs: 3);
        Assert.Equal(3 * data.BatchCount, oneCycle.LastEpoch);
        Assert.True(history.LearningRate[1] > history.LearningRate[0], "the one-cycle rate rises in the first part");
    }

    [Fact]
    public void ReduceLROnPlateau_IsSteppedWithTheValidationLoss()
    {
        var (trainer, data) = Classifier(learningRate: 0.5);
        var plateau = new ReduceLROnPlateau(trainer.Optimizer, factor: 0.5, patience: 0, threshold: 0.3);
        trainer.Callbacks.Add(new SchedulerCallback(plateau));
        var history = trainer.Fit(data, epochs: 8, validation: data);

        // The same scheduler stepped by hand with the recorded losses gives the same rates.
        var (other, _) = Classifier(learningRate: 0.5);
        var manual = new ReduceLROnPlateau(other.Optimizer, factor: 0.5, patience: 0, threshold: 0.3);
        var expected = new List<double>();
        foreach (var loss in history.ValidationLoss)
        {
            expected.Add(other.Optimizer.LearningRate);
            manual.Step(loss);
        }
        Assert.Equal(expected, history.LearningRate);
        Assert.True(history.LearningRate[^1] < 0.5, "the rate was cut at least once");
    }

    [Fact]
    public void PlateauModeMustFitTheMetric()
    {
        var (trainer, _) = Classifier();
        var e = Assert.Throws<ArgumentException>(() => new SchedulerCallback(new ReduceLROnPlateau(trainer.Optimizer), TrainingMetric.ValidationAccuracy));
        Assert.Contains("ValidationAccuracy should be maximised, but the ReduceLROnPlateau has mode Min", e.Message);
        Assert.Contains("got 7", Assert.Throws<ArgumentOutOfRangeException>(() => new SchedulerCallback(new StepLR(trainer.Optimizer, 1), (SchedulerInterval)7)).Message);
    }
}
