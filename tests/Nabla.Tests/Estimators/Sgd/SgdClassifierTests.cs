using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>SgdClassifier against scikit-learn 1.2's SGDClassifier on iris and breast cancer (Fixtures/sklearn_sgd.json).</summary>
public class SgdClassifierTests
{
    public static TheoryData<string> CaseNames() => [.. SgdFixture.Value.Classifier.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_scikit_learn_with_shuffle_off(string name)
    {
        var c = SgdFixture.Value.Classifier.Single(c => c.Name == name);
        var (x, y) = SgdFixture.Dataset(c.Dataset);
        var model = Model(c.Settings, shuffle: false);
        if (c.PartialFits > 0)
        {
            int[] classes = [.. y.Distinct().Order()];
            for (int i = 0; i < c.PartialFits; i++) model.PartialFit(x, y, i == 0 ? classes : null);
        }
        else
        {
            model.Fit(x, y);
        }

        Assert.Equal(c.CoefShape, model.Coef.ShapeArray);
        SgdRegressorTests.AssertClose(c.Coef, model.Coef.Float64Data);
        SgdRegressorTests.AssertClose(c.Intercept, model.Intercept.Float64Data);
        Assert.Equal(c.NIter, model.NIter);
        Assert.Equal(c.TUpdates, model.TUpdates);
        Assert.Equal(c.Predictions, model.Predict(x));
        Assert.Equal(c.Score, model.Score(x, y), 1e-12);
        var first = FirstRows(x, 10);
        SgdRegressorTests.AssertClose(c.Decision, model.DecisionFunction(first).Float64Data);
        if (c.Proba.Length > 0)
            SgdRegressorTests.AssertClose(c.Proba, model.PredictProba(first).Float64Data);
        else
            Assert.StartsWith("SgdClassifier: probabilities need loss LogLoss or ModifiedHuber", Assert.Throws<NotSupportedException>(() => model.PredictProba(first)).Message);
    }

    [Theory]
    [InlineData("iris", SgdClassifierLoss.Hinge, "hinge")]
    [InlineData("iris", SgdClassifierLoss.LogLoss, "log_loss")]
    [InlineData("iris", SgdClassifierLoss.ModifiedHuber, "modified_huber")]
    [InlineData("breast_cancer", SgdClassifierLoss.Hinge, "hinge")]
    [InlineData("breast_cancer", SgdClassifierLoss.LogLoss, "log_loss")]
    [InlineData("breast_cancer", SgdClassifierLoss.ModifiedHuber, "modified_huber")]
    public void Scores_near_scikit_learn_with_shuffle_on(string dataset, SgdClassifierLoss loss, string sklearnLoss)
    {
        var c = SgdFixture.Value.Shuffled.Single(c => c.Dataset == dataset && c.Loss == sklearnLoss);
        var (x, y) = SgdFixture.Dataset(dataset);
        // The mean over seeds: one seed's order is as arbitrary as scikit-learn's own.
        double mean = Enumerable.Range(0, 5).Average(seed => new SgdClassifier(loss: loss, randomState: (ulong)seed).Fit(x, y).Score(x, y));
        Assert.InRange(mean, c.Score - 0.01, 1);
    }

    [Fact]
    public void Probabilities_sum_to_one_and_their_logarithm_matches()
    {
        var (x, y) = SgdFixture.Dataset("iris");
        var model = new SgdClassifier(loss: SgdClassifierLoss.ModifiedHuber, randomState: 1).Fit(x, y);
        var proba = model.PredictProba(x).Float64Data;
        var log = model.PredictLogProba(x).Float64Data;
        for (int i = 0; i < 150; i++) Assert.Equal(1, proba[3 * i] + proba[3 * i + 1] + proba[3 * i + 2], 1e-12);
        for (int i = 0; i < proba.Length; i++) Assert.Equal(Math.Log(proba[i]), log[i]);
    }

    [Fact]
    public void String_labels_and_early_stopping()
    {
        var (x, y) = SgdFixture.Dataset("iris");
        string[] names = ["setosa", "versicolor", "virginica"];
        var labels = Array.ConvertAll(y, k => names[k]);
        var model = new SgdClassifier(earlyStopping: true, randomState: 2).Fit(x, labels);
        Assert.Equal(names, model.ClassesAs<string>());
        Assert.True(model.NIter <= 1000);
        Assert.InRange(model.Score(x, labels), 0.7, 1);
    }

    [Fact]
    public void Bad_settings_and_calls_are_named()
    {
        Assert.Contains("alpha must be non-negative, got -1", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdClassifier(alpha: -1)).Message);
        Assert.Contains("eta0 must be positive, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdClassifier(learningRate: SgdLearningRate.Constant)).Message);
        Assert.Contains("loss must be Hinge", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdClassifier(loss: (SgdClassifierLoss)9)).Message);
        Assert.Contains("class weight must be None or Balanced", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdClassifier(classWeight: (ClassWeight)9)).Message);
        Assert.Contains("penalty must be L2 or None, got L1", Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(penalty: Penalty.L1)).Message);

        var x = new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        Assert.Equal("SgdClassifier.PartialFit: the first call needs classes, every class y may ever hold. (Parameter 'classes')",
            Assert.Throws<ArgumentException>(() => new SgdClassifier().PartialFit(x, new[] { 0, 1, 0 })).Message);
        Assert.StartsWith("SgdClassifier.PartialFit: classes must hold at least 2 classes, got [0]",
            Assert.Throws<ArgumentException>(() => new SgdClassifier().PartialFit(x, new[] { 0, 0, 0 }, new[] { 0 })).Message);
        Assert.StartsWith("SgdClassifier.PartialFit: classes [0, 1, 1] repeat a label",
            Assert.Throws<ArgumentException>(() => new SgdClassifier().PartialFit(x, new[] { 0, 1, 0 }, new[] { 0, 1, 1 })).Message);
        Assert.StartsWith("SgdClassifier.PartialFit: y holds 2 at sample 1, which is not one of the classes [0, 1]",
            Assert.Throws<ArgumentException>(() => new SgdClassifier().PartialFit(x, new[] { 0, 2, 0 }, new[] { 0, 1 })).Message);
        var partial = new SgdClassifier().PartialFit(x, new[] { 0, 1, 0 }, new[] { 0, 1 });
        Assert.StartsWith("SgdClassifier.PartialFit: classes [0, 1, 2] differ from the first call's [0, 1]",
            Assert.Throws<ArgumentException>(() => partial.PartialFit(x, new[] { 0, 1, 0 }, new[] { 0, 1, 2 })).Message);
        Assert.Equal("SgdClassifier.PartialFit: X has 1 features, but it was fitted with 2 features.",
            Assert.Throws<ShapeMismatchException>(() => partial.PartialFit(new double[,] { { 1 } }, new[] { 0 })).Message);
        Assert.StartsWith("SgdClassifier.PartialFit: balanced class weights need the whole data",
            Assert.Throws<InvalidOperationException>(() => new SgdClassifier(classWeight: ClassWeight.Balanced).PartialFit(x, new[] { 0, 1, 0 }, new[] { 0, 1 })).Message);
        Assert.StartsWith("SgdClassifier.PartialFit: early stopping needs a whole fit",
            Assert.Throws<InvalidOperationException>(() => new SgdClassifier(earlyStopping: true).PartialFit(x, new[] { 0, 1, 0 }, new[] { 0, 1 })).Message);
        Assert.Equal("SgdClassifier.Fit: y must hold at least 2 classes, got 1 (0). (Parameter 'y')",
            Assert.Throws<ArgumentException>(() => new SgdClassifier().Fit(x, new[] { 0, 0, 0 })).Message);
    }

    private static SgdClassifier Model(SgdSettingsCase s, bool shuffle) => new(
        loss: s.Loss switch
        {
            "hinge" => SgdClassifierLoss.Hinge,
            "log_loss" => SgdClassifierLoss.LogLoss,
            "modified_huber" => SgdClassifierLoss.ModifiedHuber,
            "squared_hinge" => SgdClassifierLoss.SquaredHinge,
            _ => SgdClassifierLoss.Perceptron,
        },
        penalty: s.PenaltyValue, alpha: s.Alpha, l1Ratio: s.L1Ratio, fitIntercept: s.FitIntercept, maxIter: s.MaxIter, tol: s.Tol,
        shuffle: shuffle, learningRate: s.Schedule, eta0: s.Eta0, powerT: s.PowerT, average: s.Average,
        classWeight: s.ClassWeight == "balanced" ? ClassWeight.Balanced : ClassWeight.None);

    internal static double[,] FirstRows(double[,] x, int rows)
    {
        var result = new double[rows, x.GetLength(1)];
        Buffer.BlockCopy(x, 0, result, 0, rows * x.GetLength(1) * sizeof(double));
        return result;
    }
}
