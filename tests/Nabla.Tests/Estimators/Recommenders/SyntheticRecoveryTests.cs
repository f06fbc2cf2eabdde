using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// Matrix factorization recovers the documented generating model of <see cref="SyntheticRatings"/>: fitted by each solver on a
/// part of the ratings, it predicts the held-out ones within 10 % of the noise they were drawn with, which no model can beat.
/// </summary>
public sealed class SyntheticRecoveryTests
{
    private const double Noise = 0.5;

    /// <summary>600 users × 300 items at density 0.4 (120 ratings a user), rank 8, noise 0.5; a fifth held out.</summary>
    private static readonly Lazy<(SyntheticRatings Data, TrainTestSplit Split)> Drawn = new(() =>
    {
        var data = SyntheticRatings.Generate(users: 600, items: 300, density: 0.4, rank: 8, noise: Noise, seed: 5);
        return (data, TrainTestSplit.Create(data.Ratings.Count, testSize: 0.2, randomState: 2));
    });

    [Theory]
    [InlineData(MatrixFactorizationSolver.Als, 0.05, 0.0)]
    [InlineData(MatrixFactorizationSolver.Adam, 0.05, 0.01)]
    public void HeldOutRmse_IsWithinATenthOfTheNoise(MatrixFactorizationSolver solver, double alpha, double learningRate)
    {
        var (data, split) = Drawn.Value;
        var (trainUsers, testUsers) = split.Apply(data.Users);
        var (trainItems, testItems) = split.Apply(data.Items);
        var (trainRatings, testRatings) = split.Apply(data.Ratings);
        var model = new MatrixFactorization(nFactors: 8, alpha: alpha, learningRate: learningRate > 0 ? learningRate : 0.005, maxIter: 20, solver: solver, randomState: 1)
            .Fit(trainUsers, trainItems, trainRatings);

        var (rmse, _) = RecommenderEvaluation.Errors(model, testUsers, testItems, testRatings);

        // Measured: 0.537 (ALS) and 0.539 (Adam). The generating model itself scores 0.488 here (clipped to [1, 5], which takes
        // a little of the noise away), and no fitted model can do much better on ratings it never saw.
        Assert.InRange(rmse, 0.9 * Noise, 1.1 * Noise);
        double truth = Math.Sqrt(data.TrueRatings(testUsers, testItems).Zip(testRatings, (t, r) => (Math.Clamp(t, 1, 5) - r) * (Math.Clamp(t, 1, 5) - r)).Average());
        Assert.True(rmse > 0.98 * truth, $"RMSE {rmse} beats the generating model's own {truth}: the test ratings leaked into training");
    }
}
