using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>The bad inputs a user would give the estimators, each refused with a message that names what was wrong and the value.</summary>
public class EstimatorValidationTests
{
    private static readonly double[,] X = { { 0, 1 }, { 1, 0 }, { 2, 2 }, { 3, 1 } };
    private static readonly int[] Labels = [0, 1, 0, 1];
    private static readonly double[] Targets = [1, 2, 3, 4];

    [Theory]
    [InlineData(-0.1, "Ridge: alpha must be non-negative, got -0.1")]
    [InlineData(double.NaN, "Ridge: alpha must be non-negative, got NaN")]
    public void Ridge_RefusesABadAlpha(double alpha, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Ridge(alpha: alpha));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void LogisticRegression_RefusesBadSettings()
    {
        Assert.StartsWith("LogisticRegression: C must be positive, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(C: 0)).Message);
        Assert.StartsWith("LogisticRegression: tol must be non-negative, got -1", Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(tol: -1)).Message);
        Assert.StartsWith("LogisticRegression: max iterations must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(maxIter: 0)).Message);
        Assert.StartsWith("LogisticRegression: penalty must be L2 or None, got 7", Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(penalty: (Penalty)7)).Message);
        Assert.StartsWith("LogisticRegression: class weight must be None or Balanced, got 3", Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(classWeight: (ClassWeight)3)).Message);
    }

    [Fact]
    public void Using_A_ModelBeforeFit_SaysSo()
    {
        var classifier = new LogisticRegression();
        Assert.Equal("LogisticRegression: not fitted yet; call Fit before Predict.", Assert.Throws<InvalidOperationException>(() => classifier.Predict(X)).Message);
        Assert.Equal("LogisticRegression: not fitted yet; call Fit before PredictProba.", Assert.Throws<InvalidOperationException>(() => classifier.PredictProba(X)).Message);
        Assert.Equal("LogisticRegression: not fitted yet; call Fit before Coef.", Assert.Throws<InvalidOperationException>(() => classifier.Coef).Message);
        Assert.Equal("LogisticRegression: not fitted yet; call Fit before Classes.", Assert.Throws<InvalidOperationException>(() => classifier.Classes).Message);
        Assert.False(classifier.IsFitted);
        var regressor = new LinearRegression();
        Assert.Equal("LinearRegression: not fitted yet; call Fit before Predict.", Assert.Throws<InvalidOperationException>(() => regressor.Predict(X)).Message);
        Assert.Equal("LinearRegression: not fitted yet; call Fit before NFeaturesIn.", Assert.Throws<InvalidOperationException>(() => regressor.NFeaturesIn).Message);
    }

    [Fact]
    public void Predicting_WithAnotherNumberOfFeatures_NamesBothCounts()
    {
        var classifier = new LogisticRegression().Fit(X, Labels);
        var three = new double[,] { { 1, 2, 3 } };
        Assert.Equal("LogisticRegression: X has 3 features, but it was fitted with 2 features.", Assert.Throws<ShapeMismatchException>(() => classifier.Predict(three)).Message);
        Assert.Equal("LogisticRegression: X has 3 features, but it was fitted with 2 features.", Assert.Throws<ShapeMismatchException>(() => classifier.DecisionFunction(three)).Message);
        var regressor = new Ridge().Fit(X, Targets);
        Assert.Equal("Ridge: X has 3 features, but it was fitted with 2 features.", Assert.Throws<ShapeMismatchException>(() => regressor.Predict(three)).Message);
    }

    [Fact]
    public void Fit_RefusesMismatchedOrMalformedData()
    {
        Assert.Equal("LinearRegression.Fit: X has 4 samples, y has 3.",
            Assert.Throws<ShapeMismatchException>(() => new LinearRegression().Fit(X, new double[] { 1, 2, 3 })).Message);
        Assert.Equal("LogisticRegression.Fit: X has 4 samples, y has 3 labels.",
            Assert.Throws<ShapeMismatchException>(() => new LogisticRegression().Fit(X, new[] { 0, 1, 0 })).Message);
        Assert.Equal("LinearRegression.Fit: X must be 2-D (samples × features), got shape [4]; reshape a single feature to (n, 1).",
            Assert.Throws<ShapeMismatchException>(() => new LinearRegression().Fit(Tensor.FromArray(Targets), Targets)).Message);
        Assert.Equal("LinearRegression.Fit: X row 1 has 1 values, row 0 has 2; every row needs the same number of features.",
            Assert.Throws<ShapeMismatchException>(() => new LinearRegression().Fit(new float[][] { [1, 2], [3] }, new double[] { 1, 2 })).Message);
        Assert.StartsWith("LinearRegression.Fit: X must have at least one sample and one feature, got 0 × 2.",
            Assert.Throws<ArgumentException>(() => new LinearRegression().Fit(new double[0, 2], Array.Empty<double>())).Message);
        Assert.StartsWith("LinearRegression.Fit: y must be 1-D (samples) or 2-D (samples × targets), got shape [4, 1, 1].",
            Assert.Throws<ShapeMismatchException>(() => new LinearRegression().Fit(X, Tensor.Zeros(4, 1, 1))).Message);
    }

    [Fact]
    public void Fit_RefusesNaNAndInfinity_NamingWhere()
    {
        var bad = (double[,])X.Clone();
        bad[2, 1] = double.NaN;
        Assert.StartsWith("Ridge.Fit: X holds NaN at row 2, column 1; every feature must be finite.",
            Assert.Throws<ArgumentException>(() => new Ridge().Fit(bad, Targets)).Message);
        Assert.StartsWith("LinearRegression.Fit: y holds Infinity at sample 3; every target must be finite.",
            Assert.Throws<ArgumentException>(() => new LinearRegression().Fit(X, new[] { 1, 2, 3, double.PositiveInfinity })).Message);
        var model = new LogisticRegression().Fit(X, Labels);
        var infinite = new double[,] { { double.NegativeInfinity, 0 } };
        Assert.StartsWith("LogisticRegression.Predict: X holds -Infinity at row 0, column 0",
            Assert.Throws<ArgumentException>(() => model.Predict(infinite)).Message);
        // Float32 samples are checked in their own type (they are not converted for a Float32 network).
        var single = Tensor.FromArray(new float[] { 0, 1, 2, 3, 4, float.NaN, 6, 7 }).Reshape(4, 2);
        Assert.StartsWith("MlpClassifier.Fit: X holds NaN at row 2, column 1; every feature must be finite.",
            Assert.Throws<ArgumentException>(() => new MlpClassifier(dtype: DType.Float32).Fit(single, Labels)).Message);
    }

    [Fact]
    public void Classifier_RefusesBadLabels()
    {
        Assert.StartsWith("LogisticRegression.Fit: y must hold at least 2 classes, got 1 (cat).",
            Assert.Throws<ArgumentException>(() => new LogisticRegression().Fit(X, new[] { "cat", "cat", "cat", "cat" })).Message);
        Assert.StartsWith("LogisticRegression.Fit: y holds null at sample 2; every sample needs a label.",
            Assert.Throws<ArgumentException>(() => new LogisticRegression().Fit(X, new[] { "a", "b", null!, "a" })).Message);
        Assert.StartsWith("LogisticRegression.Fit: labels as a tensor must be 1-D Int32, got Float32 of shape [4].",
            Assert.Throws<ArgumentException>(() => new LogisticRegression().Fit(X, Tensor.FromArray(new float[] { 0, 1, 0, 1 }))).Message);
    }

    [Fact]
    public void Predict_InAnotherLabelType_SaysWhichTypeToAskFor()
    {
        var model = new LogisticRegression().Fit(X, new[] { "a", "b", "a", "b" });
        Assert.Equal("LogisticRegression: fitted with labels of type String, asked for Int32; call Predict<String>.",
            Assert.Throws<InvalidOperationException>(() => model.Predict(X)).Message);
        Assert.All(model.Predict<string>(X), label => Assert.Contains(label, new[] { "a", "b" }));
    }

    [Fact]
    public void Score_RefusesAnotherNumberOfTargets()
    {
        var model = new LinearRegression().Fit(X, Targets);
        Assert.Equal("LinearRegression.Score: fitted with 1 targets, y has 2.",
            Assert.Throws<ShapeMismatchException>(() => model.Score(X, new double[4, 2])).Message);
    }
}
