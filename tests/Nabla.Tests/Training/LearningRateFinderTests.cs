using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

public class LearningRateFinderTests
{
    private static (Sequential Model, Trainer Trainer, DataLoader Data) Regression(double learningRate = 0.01)
    {
        var (x, y) = Blobs.Regression(256);
        var model = Networks.Mlp([3, 16, 1], () => new Tanh());
        var trainer = new Trainer(model, new MseLoss(), new Sgd(model.Parameters(), learningRate, momentum: 0.9));
        return (model, trainer, new DataLoader(x, y, 32, shuffle: true, generator: new Generator(9)));
    }

    private static double TrainedLoss(double learningRate)
    {
        var (_, trainer, data) = Regression(learningRate);
        try
        {
            trainer.Fit(data, epochs: 3);
        }
        catch (TrainingDivergedException)
        {
            return double.PositiveInfinity;
        }
        return trainer.Evaluate(data).Loss;
    }

    [Fact]
    public void Suggestion_TrainsNearlyAsWellAsTheBestRateOfAGrid()
    {
        var (_, trainer, data) = Regression();
        var found = new LearningRateFinder { StartLearningRate = 1e-6, EndLearningRate = 10, Steps = 100 }.Run(trainer, data);
        double suggested = found.SuggestedLearningRate;

        double[] grid = [1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1];
        var losses = grid.Select(TrainedLoss).ToArray();
        double best = losses.Min();
        double atSuggestion = TrainedLoss(suggested);
        Assert.True(atSuggestion <= 2 * best + 1e-3,
            $"suggested {suggested:G3} trains to {atSuggestion:G4}; grid {string.Join(", ", grid.Zip(losses, (r, l) => $"{r:G2}: {l:G4}"))}");
        Assert.True(atSuggestion < TrainedLoss(suggested / 100) / 5, "a rate 100 times lower should train far worse in the same epochs");
    }

    [Fact]
    public void Curve_RisesExponentially_AndStopsWhenTheLossExplodes()
    {
        var (_, trainer, data) = Regression();
        var found = new LearningRateFinder { StartLearningRate = 1e-4, EndLearningRate = 1e4, Steps = 80 }.Run(trainer, data);
        Assert.True(found.StoppedEarly);
        Assert.InRange(found.LearningRates.Count, 5, 79);
        Assert.Equal(found.LearningRates.Count, found.Losses.Count);
        Assert.Equal(found.LearningRates.Count, found.SmoothedLosses.Count);
        double factor = Math.Pow(1e8, 1.0 / 79);
        for (int i = 1; i < found.LearningRates.Count; i++)
            Assert.Equal(factor, found.LearningRates[i] / found.LearningRates[i - 1], 1e-9);
        Assert.True(!double.IsFinite(found.SmoothedLosses[^1]) || found.SmoothedLosses[^1] > 5 * found.SmoothedLosses.Min());
        Assert.InRange(found.SuggestedLearningRate, found.LearningRates[0], found.LearningRates[^1]);
    }

    [Fact]
    public void Run_PutsBackTheModelOptimizerAndShuffling()
    {
        var (model, trainer, data) = Regression();
        trainer.Fit(data, epochs: 1); // gives the optimizer momentum state to restore
        var weights = model.Parameters().Select(p => p.ToDoubleArray()).ToArray();
        var optimizerState = trainer.Optimizer.StateDict();
        var shuffle = data.Generator.GetState();

        new LearningRateFinder { Steps = 30 }.Run(trainer, data);

        Assert.Equal(weights, model.Parameters().Select(p => p.ToDoubleArray()));
        Assert.Equal(0.01, trainer.Optimizer.LearningRate);
        var restored = trainer.Optimizer.StateDict();
        Assert.Equal(optimizerState.Tensors.Keys.Order(), restored.Tensors.Keys.Order());
        foreach (var (key, tensor) in optimizerState.Tensors) Assert.Equal(tensor.ToDoubleArray(), restored.Tensors[key].ToDoubleArray());
        Assert.Equal(shuffle, data.Generator.GetState());
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Run_LeavesTheNextFitAsIfItHadNotRun()
    {
        // Each shuffle permutes the loader's last order further, so the finder's epochs must not leave theirs behind.
        var (searched, searchedTrainer, searchedData) = Regression();
        new LearningRateFinder { Steps = 30 }.Run(searchedTrainer, searchedData);
        searchedTrainer.Fit(searchedData, epochs: 2);
        var (plain, plainTrainer, plainData) = Regression();
        plainTrainer.Fit(plainData, epochs: 2);

        Assert.Equal(plain.Parameters().Select(p => p.ToDoubleArray()), searched.Parameters().Select(p => p.ToDoubleArray()));
    }

    [Fact]
    public void BadSettings_GetSpecificMessages()
    {
        var (_, trainer, data) = Regression();
        Assert.Contains("start learning rate must be positive and finite, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateFinder { StartLearningRate = 0 }.Run(trainer, data)).Message);
        Assert.Contains("above the start (1E-07), got 1E-08", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateFinder { EndLearningRate = 1e-8 }.Run(trainer, data)).Message);
        Assert.Contains("at least 5 steps, got 2", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateFinder { Steps = 2 }.Run(trainer, data)).Message);
        Assert.Contains("smoothing weight must be in (0, 1], got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateFinder { Smoothing = 0 }.Run(trainer, data)).Message);
        Assert.Contains("divergence factor must be finite and above 1, got 1", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateFinder { DivergenceFactor = 1 }.Run(trainer, data)).Message);
    }
}
