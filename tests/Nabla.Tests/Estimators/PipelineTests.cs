using System.Globalization;
using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// Pipeline against scikit-learn 1.2's Pipeline (Fixtures/sklearn_pipeline.json): StandardScaler then
/// LogisticRegression on raw iris with species names (coefficients within 1e-4, as
/// <see cref="LogisticRegressionTests"/> measures it; identical predictions), a scaler then Ridge or
/// LinearRegression on raw diabetes (1e-8 relative); the steps' access, state and errors.
/// </summary>
public class PipelineTests
{
    private static readonly Lazy<Csv> s_iris = new(() => Csv.Load("iris.csv"));
    private static readonly Lazy<Csv> s_diabetes = new(() => Csv.Load("diabetes.csv"));

    public static TheoryData<string> ClassificationCases() => [.. PipelineFixture.Value.Classification.Select(c => c.Name)];

    public static TheoryData<string> RegressionCases() => [.. PipelineFixture.Value.Regression.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(ClassificationCases))]
    public void ScalerThenLogisticRegression_MatchesScikitLearn(string name)
    {
        var c = PipelineFixture.Value.Classification.Single(c => c.Name == name);
        var (x, species) = (s_iris.Value.Features, s_iris.Value.Target);
        var pipeline = new Pipeline(new StandardScaler(), new LogisticRegression(C: c.C)).Fit(x, species);

        var scaler = pipeline.Step<StandardScaler>();
        LogisticRegressionTests.AssertClose($"{name}: mean", c.ScalerFirst, [.. scaler.MeanValues!], 1e-12);
        LogisticRegressionTests.AssertClose($"{name}: scale", c.ScalerSecond, [.. scaler.Scale!], 1e-12);
        var model = pipeline.Step<LogisticRegression>(1);
        Assert.Equal(c.Classes, model.ClassesAs<string>());
        Assert.Equal(c.Classes, pipeline.Classes);
        Assert.Equal(c.CoefShape, model.Coef.Shape);
        LogisticRegressionTests.AssertNearOptimum($"{name}: coef", model.Coef.ToDoubleArray(), c.Coef, c.TightCoef);
        LogisticRegressionTests.AssertNearOptimum($"{name}: intercept", model.Intercept.ToDoubleArray(), c.Intercept, c.TightIntercept);
        Assert.Equal(c.Predictions, pipeline.Predict<string>(x));
        Assert.Equal(c.Score, pipeline.Score(x, species));

        var first = LogisticRegressionTests.FirstRows(x, c.Proba.Length / c.Classes.Length);
        LogisticRegressionTests.AssertClose($"{name}: predict_proba", c.Proba, pipeline.PredictProba(first).ToDoubleArray(), 1e-4);
        LogisticRegressionTests.AssertClose($"{name}: predict_log_proba", [.. c.Proba.Select(p => Math.Log(p))], pipeline.PredictLogProba(first).ToDoubleArray(), 1e-3);
    }

    [Theory]
    [MemberData(nameof(RegressionCases))]
    public void ScalerThenLinearModel_MatchesScikitLearn(string name)
    {
        var c = PipelineFixture.Value.Regression.Single(c => c.Name == name);
        var (x, y) = Diabetes();
        ITransformer scaler = c.Scaler == "StandardScaler" ? new StandardScaler() : new MinMaxScaler();
        object model = c.Model == "Ridge" ? new Ridge(alpha: 1) : new LinearRegression();
        var pipeline = new Pipeline(scaler, model).Fit(x, y);

        var (first, second) = scaler is StandardScaler standard
            ? (standard.MeanValues!, standard.Scale!)
            : (((MinMaxScaler)scaler).DataMin, ((MinMaxScaler)scaler).DataMax);
        LogisticRegressionTests.AssertClose($"{name}: scaler", c.ScalerFirst, [.. first], 1e-12);
        LogisticRegressionTests.AssertClose($"{name}: scaler", c.ScalerSecond, [.. second], 1e-12);
        var (coef, intercept) = model is Ridge ridge
            ? (ridge.Coef, ridge.Intercept)
            : (((LinearRegression)model).Coef, ((LinearRegression)model).Intercept);
        new TensorData([c.Coef.Length], c.Coef).AssertClose($"{name}: coef", coef, 1e-8, 1e-10, "scikit-learn");
        Assert.Equal(c.Intercept, intercept.Item(), 1e-8 * Math.Abs(c.Intercept));
        var predicted = pipeline.Predict(LogisticRegressionTests.FirstRows(x, c.Predictions.Length));
        new TensorData([c.Predictions.Length], c.Predictions).AssertClose($"{name}: predictions", predicted, 1e-8, 1e-8, "scikit-learn");
        Assert.Equal(c.Score, pipeline.Score(x, y), 1e-10);
    }

    [Fact]
    public void Pipeline_EqualsItsStepsAppliedByHand()
    {
        var (x, y) = Diabetes();
        var pipeline = new Pipeline(new StandardScaler(), new MinMaxScaler(), new Ridge(alpha: 0.5)).Fit(x, y);
        var scaled = new MinMaxScaler().FitTransform(new StandardScaler().FitTransform(Tensor.FromArray(x)));
        var byHand = new Ridge(alpha: 0.5).Fit(scaled, y);
        Assert.Equal(byHand.Predict(scaled).ToDoubleArray(), pipeline.Predict(x).ToDoubleArray());
        Assert.Equal(10, pipeline.NFeaturesIn);
        Assert.False(pipeline.IsClassifier);
    }

    [Fact]
    public void IntegerLabelsAsATensor_PredictAnInt32Tensor()
    {
        var x = s_iris.Value.Features;
        var classes = new[] { "setosa", "versicolor", "virginica" };
        var labels = Tensor.FromArray(s_iris.Value.Target.Select(s => Array.IndexOf(classes, s)).ToArray());
        var pipeline = new Pipeline(new StandardScaler(), new LogisticRegression()).Fit(x, labels);
        var byName = new Pipeline(new StandardScaler(), new LogisticRegression()).Fit(x, s_iris.Value.Target);

        var predicted = pipeline.Predict(x);
        Assert.Equal(DType.Int32, predicted.DType);
        Assert.Equal(byName.Predict<string>(x), predicted.Int32Data.Select(k => classes[k]));
        Assert.Equal(byName.Score(x, s_iris.Value.Target), pipeline.Score(x, labels));
        Assert.True(pipeline.IsClassifier);
    }

    [Fact]
    public void TransformerStates_RestoreTheFittedPreprocessing()
    {
        var (x, y) = Diabetes();
        var pipeline = new Pipeline(new StandardScaler(), new MinMaxScaler(), new LinearRegression()).Fit(x, y);
        var states = pipeline.GetTransformerStates();
        Assert.Equal(["StandardScaler", "MinMaxScaler"], states.Select(s => s.Kind));

        var data = Tensor.FromArray(x);
        var restored = states.Aggregate(data, (current, state) => state.Restore().Transform(current));
        var original = pipeline.Transformers.Aggregate(data, (current, t) => t.Transform(current));
        Assert.Equal(original.ToDoubleArray(), restored.ToDoubleArray());
    }

    [Fact]
    public void FittingAgain_StartsAfresh()
    {
        var (x, y) = Diabetes();
        var pipeline = new Pipeline(new StandardScaler(), new LinearRegression());
        pipeline.Fit(LogisticRegressionTests.FirstRows(x, 100), y[..100]);
        pipeline.Fit(x, y);
        var fresh = new Pipeline(new StandardScaler(), new LinearRegression()).Fit(x, y);
        Assert.Equal(fresh.Predict(x).ToDoubleArray(), pipeline.Predict(x).ToDoubleArray());
    }

    [Fact]
    public void BadSteps_AreRejectedByName()
    {
        Assert.Contains("at least one step", Assert.Throws<ArgumentException>(() => new Pipeline()).Message);
        Assert.Contains("step 1 is null", Assert.Throws<ArgumentNullException>(() => new Pipeline(new StandardScaler(), null!, new Ridge())).Message);
        var notTransformer = Assert.Throws<ArgumentException>(() => new Pipeline(new Ridge(), new LinearRegression()));
        Assert.Contains("step 0 (Ridge) is not a transformer", notTransformer.Message);
        var notEstimator = Assert.Throws<ArgumentException>(() => new Pipeline(new StandardScaler(), new MinMaxScaler()));
        Assert.Contains("last step (MinMaxScaler) must be a regressor or a classifier", notEstimator.Message);
        var scaler = new StandardScaler();
        Assert.Contains("steps 0 and 1 are the same StandardScaler", Assert.Throws<ArgumentException>(() => new Pipeline(scaler, scaler, new Ridge())).Message);
    }

    [Fact]
    public void Misuse_GetsAClearError()
    {
        var (x, y) = Diabetes();
        var regression = new Pipeline(new StandardScaler(), new Ridge());
        Assert.Equal("Pipeline: not fitted yet; call Fit before Predict.", Assert.Throws<InvalidOperationException>(() => regression.Predict(x)).Message);
        Assert.Contains("call Fit before GetTransformerStates", Assert.Throws<InvalidOperationException>(() => regression.GetTransformerStates()).Message);
        Assert.Contains("Ridge is a regressor", Assert.Throws<InvalidOperationException>(() => regression.Fit(x, new[] { "a" })).Message);
        regression.Fit(x, y);
        Assert.Contains("Ridge is a regressor, not a classifier", Assert.Throws<InvalidOperationException>(() => regression.PredictProba(x)).Message);
        Assert.Contains("StandardScaler: X has 3 features, but it was fitted with 10 features", Assert.Throws<ShapeMismatchException>(() => regression.Predict(new double[2, 3])).Message);
        Assert.Contains("not a LogisticRegression", Assert.Throws<InvalidCastException>(() => regression.Step<LogisticRegression>(1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => regression.Step<Ridge>(2));
        Assert.Contains("no step is a MinMaxScaler", Assert.Throws<InvalidOperationException>(() => regression.Step<MinMaxScaler>()).Message);

        var classification = new Pipeline(new StandardScaler(), new LogisticRegression()).Fit(s_iris.Value.Features, s_iris.Value.Target);
        Assert.Contains("LogisticRegression is a classifier", Assert.Throws<InvalidOperationException>(() => classification.Score(s_iris.Value.Features, new double[,] { { 1 } })).Message);
        Assert.Contains("asked for Int32", Assert.Throws<InvalidOperationException>(() => classification.Predict(s_iris.Value.Features)).Message);
    }

    private static (double[,] X, double[] Y) Diabetes() =>
        (s_diabetes.Value.Features, [.. s_diabetes.Value.Target.Select(v => double.Parse(v, CultureInfo.InvariantCulture))]);
}
