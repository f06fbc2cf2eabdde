using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>SgdRegressor against scikit-learn 1.2's SGDRegressor on diabetes (Fixtures/sklearn_sgd.json).</summary>
public class SgdRegressorTests
{
    // With the same sample order the steps agree to rounding; this is the largest relative
    // difference of any coefficient over the cases (1000 epochs of invscaling included).
    private const double CoefficientTolerance = 1e-6;

    public static TheoryData<string> CaseNames() => [.. SgdFixture.Value.Regressor.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_scikit_learn_with_shuffle_off(string name)
    {
        var c = SgdFixture.Value.Regressor.Single(c => c.Name == name);
        var (x, y) = SgdFixture.Diabetes;
        var model = Model(c.Settings, shuffle: false);
        if (c.PartialFits > 0)
            for (int i = 0; i < c.PartialFits; i++) model.PartialFit(x, y);
        else
            model.Fit(x, y);

        AssertClose(c.Coef, model.Coef.Float64Data);
        AssertClose(c.Intercept, model.Intercept.Float64Data);
        Assert.Equal(c.NIter, model.NIter);
        Assert.Equal(c.TUpdates, model.TUpdates);
        Assert.Equal(c.Score, model.Score(x, y), 1e-6);
    }

    [Theory]
    [InlineData("squared_error")]
    [InlineData("huber")]
    public void Scores_within_a_point_of_scikit_learn_with_shuffle_on(string loss)
    {
        var c = SgdFixture.Value.Shuffled.Single(c => c.Dataset == "diabetes" && c.Loss == loss);
        var (x, y) = SgdFixture.Diabetes;
        var model = new SgdRegressor(loss: loss == "huber" ? SgdRegressorLoss.Huber : SgdRegressorLoss.SquaredError, randomState: 0).Fit(x, y);
        Assert.InRange(model.Score(x, y), c.Score - 0.01, c.Score + 0.01);
    }

    [Fact]
    public void Loss_curve_has_an_entry_per_epoch_and_falls()
    {
        var (x, y) = SgdFixture.Diabetes;
        var model = new SgdRegressor(shuffle: false).Fit(x, y);
        Assert.Equal(model.NIter, model.LossCurve.Count);
        Assert.True(model.LossCurve[^1] < model.LossCurve[0] / 2, $"loss {model.LossCurve[0]} → {model.LossCurve[^1]}");
        Assert.Empty(model.ValidationScores);
    }

    [Fact]
    public void Early_stopping_scores_held_out_samples_and_stops()
    {
        var (x, y) = SgdFixture.Diabetes;
        var model = new SgdRegressor(earlyStopping: true, randomState: 3).Fit(x, y);
        Assert.Equal(model.NIter, model.ValidationScores.Count);
        Assert.True(model.NIter < 1000);
        Assert.Empty(model.LossCurve);
        Assert.InRange(model.ValidationScores.Max(), 0.3, 1);
    }

    [Fact]
    public void Warm_start_continues_from_the_previous_weights()
    {
        var (x, y) = SgdFixture.Diabetes;
        var cold = new SgdRegressor(shuffle: false, maxIter: 2, tol: null).Fit(x, y);
        var warm = new SgdRegressor(shuffle: false, maxIter: 2, tol: null, warmStart: true).Fit(x, y).Fit(x, y);
        var again = new SgdRegressor(shuffle: false, maxIter: 2, tol: null).Fit(x, y).Fit(x, y);
        Assert.Equal(cold.Coef.Float64Data, again.Coef.Float64Data);
        Assert.NotEqual(cold.Coef.Float64Data, warm.Coef.Float64Data);
        Assert.True(warm.Score(x, y) > cold.Score(x, y));
    }

    [Fact]
    public void Same_seed_same_weights()
    {
        var (x, y) = SgdFixture.Diabetes;
        Assert.Equal(new SgdRegressor(randomState: 7).Fit(x, y).Coef.Float64Data, new SgdRegressor(randomState: 7).Fit(x, y).Coef.Float64Data);
        Assert.NotEqual(new SgdRegressor(randomState: 7).Fit(x, y).Coef.Float64Data, new SgdRegressor(randomState: 8).Fit(x, y).Coef.Float64Data);
    }

    [Fact]
    public void Settings_show_the_constructor_arguments_and_scikit_learn_defaults()
    {
        Assert.Equal(new SgdSettings(Penalty.L2, 1e-4, 0.15, true, 1000, 1e-3, true, 0, SgdLearningRate.InvScaling, 0.01, 0.25, false, 0.1, 5, 0),
            new SgdRegressor().Settings);
        Assert.Equal(new SgdSettings(Penalty.L2, 1e-4, 0.15, true, 1000, 1e-3, true, 0, SgdLearningRate.Optimal, 0.0, 0.5, false, 0.1, 5, 0),
            new SgdClassifier().Settings);
        var custom = new SgdClassifier(penalty: Penalty.ElasticNet, l1Ratio: 0.4, tol: null, average: 10, randomState: 3).Settings;
        Assert.Equal((Penalty.ElasticNet, 0.4, (double?)null, 10, 3UL), (custom.Penalty, custom.L1Ratio, custom.Tol, custom.Average, custom.RandomState));
    }

    [Fact]
    public void Bad_settings_are_named()
    {
        Assert.Equal("SgdRegressor: alpha must be non-negative, got -1 (Parameter 'alpha')", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(alpha: -1)).Message);
        Assert.Equal("SgdRegressor: alpha must be positive with the Optimal learning rate (η = 1 / (α (t + t₀))), got 0 (Parameter 'alpha')",
            Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(alpha: 0, learningRate: SgdLearningRate.Optimal)).Message);
        Assert.Contains("l1Ratio must be in [0, 1], got 1.5", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(l1Ratio: 1.5)).Message);
        Assert.Contains("maxIter must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(maxIter: 0)).Message);
        Assert.Contains("tol must be non-negative, got -0.1", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(tol: -0.1)).Message);
        Assert.Contains("eta0 must be positive, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(eta0: 0)).Message);
        Assert.Contains("epsilon must be non-negative, got -1", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(epsilon: -1)).Message);
        Assert.Contains("validationFraction must be in (0, 1), got 1", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(validationFraction: 1)).Message);
        Assert.Contains("nIterNoChange must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(nIterNoChange: 0)).Message);
        Assert.Contains("average must be 0 (off)", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(average: -1)).Message);
        Assert.Contains("powerT must be finite, got NaN", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(powerT: double.NaN)).Message);
        Assert.Contains("loss must be SquaredError", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(loss: (SgdRegressorLoss)9)).Message);
        Assert.Contains("penalty must be L2, L1, ElasticNet or None, got 9", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(penalty: (Penalty)9)).Message);
        Assert.Contains("learning rate must be Constant", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdRegressor(learningRate: (SgdLearningRate)9)).Message);
    }

    [Fact]
    public void Bad_data_and_calls_are_named()
    {
        var x = new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        Assert.Equal("SgdRegressor: not fitted yet; call Fit before Predict.", Assert.Throws<InvalidOperationException>(() => new SgdRegressor().Predict(x)).Message);
        Assert.Equal("SgdRegressor.Fit: y must hold one target a sample, got 2 columns.",
            Assert.Throws<ShapeMismatchException>(() => new SgdRegressor().Fit(x, new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } })).Message);
        var fitted = new SgdRegressor().Fit(x, new double[] { 1, 2, 3 });
        Assert.Equal("SgdRegressor.PartialFit: X has 1 features, but it was fitted with 2 features.",
            Assert.Throws<ShapeMismatchException>(() => fitted.PartialFit(new double[,] { { 1 } }, new double[] { 1 })).Message);
        Assert.StartsWith("SgdRegressor.PartialFit: early stopping needs a whole fit",
            Assert.Throws<InvalidOperationException>(() => new SgdRegressor(earlyStopping: true).PartialFit(x, new double[] { 1, 2, 3 })).Message);
        Assert.StartsWith("Floating-point overflow at epoch",
            Assert.Throws<ArgumentException>(() => new SgdRegressor(learningRate: SgdLearningRate.Constant, eta0: 1e308, shuffle: false).Fit(new double[,] { { 1e10 }, { -1e10 } }, new double[] { 1, -1 })).Message);
    }

    private static SgdRegressor Model(SgdSettingsCase s, bool shuffle) => new(
        loss: s.Loss switch
        {
            "squared_error" => SgdRegressorLoss.SquaredError,
            "huber" => SgdRegressorLoss.Huber,
            "epsilon_insensitive" => SgdRegressorLoss.EpsilonInsensitive,
            _ => SgdRegressorLoss.SquaredEpsilonInsensitive,
        },
        penalty: s.PenaltyValue, alpha: s.Alpha, l1Ratio: s.L1Ratio, fitIntercept: s.FitIntercept, maxIter: s.MaxIter, tol: s.Tol,
        shuffle: shuffle, epsilon: s.Epsilon, learningRate: s.Schedule, eta0: s.Eta0, powerT: s.PowerT, average: s.Average);

    internal static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= CoefficientTolerance * Math.Max(scale, 1e-3),
                $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
