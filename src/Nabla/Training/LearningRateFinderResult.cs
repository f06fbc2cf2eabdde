namespace Nabla.Training;

/// <summary>The curve a <see cref="LearningRateFinder"/> measured and the learning rate it suggests.</summary>
/// <param name="LearningRates">The learning rate of each step, increasing exponentially.</param>
/// <param name="Losses">The loss of each step's batch.</param>
/// <param name="SmoothedLosses">The losses after exponential smoothing, which the suggestion is read from.</param>
/// <param name="SuggestedLearningRate">The rate where the smoothed loss falls fastest (per factor of learning rate), before its minimum.</param>
/// <param name="StoppedEarly">Whether the run stopped before its last step because the loss exploded.</param>
public sealed record LearningRateFinderResult(IReadOnlyList<double> LearningRates, IReadOnlyList<double> Losses,
    IReadOnlyList<double> SmoothedLosses, double SuggestedLearningRate, bool StoppedEarly)
{
    /// <summary>
    /// The suggestion first, then the sweep, long lists shortened to their ends and length, e.g.
    /// "LearningRateFinderResult { SuggestedLearningRate = 0.003, StoppedEarly = false, LearningRates = [1e-07, 1.2e-07, 1.4e-07, ..., 7.1, 8.5, 10] (100 items), … }".
    /// </summary>
    public override string ToString() => new ResultText(nameof(LearningRateFinderResult)).Add(nameof(SuggestedLearningRate), SuggestedLearningRate)
        .Add(nameof(StoppedEarly), StoppedEarly).Add(nameof(LearningRates), LearningRates).Add(nameof(Losses), Losses)
        .Add(nameof(SmoothedLosses), SmoothedLosses).ToString();
}
