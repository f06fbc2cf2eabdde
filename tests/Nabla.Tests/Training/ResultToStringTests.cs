using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>The training results print their numbers and short lists, not type names.</summary>
public class ResultToStringTests
{
    private static readonly EpochResult Epoch3 = new(3, 0.1234567, 0.95, null, null, 0.001, TimeSpan.FromSeconds(1.25));

    [Fact]
    public void EpochResult_LeavesOutWhatWasNotMeasured() =>
        Assert.Equal("EpochResult { Epoch = 3, Loss = 0.123457, Accuracy = 0.95, LearningRate = 0.001, Duration = 1.25 s }", Epoch3.ToString());

    [Fact]
    public void Evaluation_ShowsLossAndAccuracy()
    {
        Assert.Equal("Evaluation { Loss = 0.5, Accuracy = 0.875 }", new Evaluation(0.5, 0.875).ToString());
        Assert.Equal("Evaluation { Loss = 0.5 }", new Evaluation(0.5, null).ToString());
    }

    [Fact]
    public void TrainingProgress_ShowsWhereTrainingIs_AndTheEpochOnceItEnds()
    {
        Assert.Equal("TrainingProgress { Epoch = 2/10, Batch = 5/32, Loss = 0.25 }", new TrainingProgress(2, 10, 5, 32, 0.25, null).ToString());
        Assert.Equal($"TrainingProgress {{ Epoch = 3/10, Batch = 32/32, Loss = 0.2, EpochResult = {Epoch3} }}", new TrainingProgress(3, 10, 32, 32, 0.2, Epoch3).ToString());
    }

    [Fact]
    public void ParameterGradient_ShowsShapeAndNorms() =>
        Assert.Equal("ParameterGradient { Name = 0.weight, Shape = [32, 64], GradientNorm = 0.0123, WeightNorm = 4.56, UpdateRatio = 0.001 }",
            new ParameterGradient("0.weight", [32, 64], 0.0123, 4.56, 0.001).ToString());

    [Fact]
    public void LearningRateFinderResult_ShowsTheSuggestion_AndTheEndsOfTheSweep()
    {
        double[] rates = [.. Enumerable.Range(0, 100).Select(i => Math.Pow(10, -7 + 8 * i / 99.0))];
        var result = new LearningRateFinderResult(rates, [.. Enumerable.Range(0, 100).Select(i => 2.0 - i / 100.0)], [1.0, 0.5], 0.003, true);
        Assert.Equal("LearningRateFinderResult { SuggestedLearningRate = 0.003, StoppedEarly = true, LearningRates = [1e-07, 1.2045e-07, 1.45083e-07, ..., 6.89261, 8.30218, 10] (100 items), Losses = [2, 1.99, 1.98, ..., 1.03, 1.02, 1.01] (100 items), SmoothedLosses = [1, 0.5] }",
            result.ToString());
    }

    [Fact]
    public void History_ShowsEachMeasuredColumn_AndWhyItStopped()
    {
        var history = new History();
        history.Add(new EpochResult(1, 0.5, null, 0.6, null, 0.01, TimeSpan.Zero));
        history.Add(new EpochResult(2, 0.25, null, 0.4, null, 0.01, TimeSpan.Zero));
        history.StopReason = "early stopping";
        Assert.Equal("History { Epochs = 2, Loss = [0.5, 0.25], ValidationLoss = [0.6, 0.4], LearningRate = [0.01, 0.01], StopReason = \"early stopping\" }",
            history.ToString());
        Assert.Equal("History { Epochs = 0 }", new History().ToString());
    }
}
