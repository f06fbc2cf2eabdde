using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// LogisticRegression on standardised iris (multinomial) and breast cancer (binary) against
/// scikit-learn 1.2 (Fixtures/sklearn_linear.json): several C, no intercept, balanced class
/// weights, no penalty.
/// </summary>
/// <remarks>
/// scikit-learn's weights are only as close to the optimum as scipy's stopping rule leaves them
/// (up to 6e-4 on these cases; the fixture's <c>tightCoef</c> is the optimum to 1e-12). So the
/// weights must be within 1e-4 of the optimum, and within scikit-learn's own distance from it
/// plus 1e-4 of scikit-learn's answer; predictions must be identical.
/// </remarks>
public class LogisticRegressionTests
{
    private const double Tolerance = 1e-4;

    private static readonly Lazy<Csv> s_iris = new(() => Csv.Load("iris.csv"));
    private static readonly Lazy<Csv> s_breastCancer = new(() => Csv.Load("breast_cancer.csv"));

    public static TheoryData<string> CaseNames() => [.. LinearFixture.Value.Classification.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Weights_AreScikitLearnsOptimum_AndPredictionsAreIdentical(string name)
    {
        var c = LinearFixture.Value.Classification.Single(c => c.Name == name);
        var (x, y) = Data(c);
        var model = Model(c).Fit(x, y);

        Assert.Equal(c.Classes, model.ClassesAs<int>());
        Assert.Equal(c.CoefShape, model.Coef.Shape);
        AssertNearOptimum($"{name}: coef", model.Coef.ToDoubleArray(), c.Coef, c.TightCoef);
        AssertNearOptimum($"{name}: intercept", model.Intercept.ToDoubleArray(), c.Intercept, c.TightIntercept);
        Assert.Equal(c.Predictions, model.Predict(x));
        Assert.Equal(c.Score, model.Score(x, y));
        Assert.InRange(model.NIter, 1, 100);

        var first = FirstRows(x, c.Proba.Length / c.Classes.Length);
        AssertClose($"{name}: predict_proba", c.Proba, model.PredictProba(first).ToDoubleArray(), 1e-4);
        AssertClose($"{name}: decision_function", c.Decision, model.DecisionFunction(first).ToDoubleArray(), 1e-3);
        var logProba = model.PredictLogProba(first).ToDoubleArray();
        AssertClose($"{name}: predict_log_proba", [.. c.Proba.Select(p => Math.Log(p))], logProba, 1e-3);
    }

    [Fact]
    public void StringLabels_RoundTrip_WithClassesSortedByCodePoint()
    {
        var c = LinearFixture.Value.Classification.Single(c => c.Name == "iris_C1.0");
        var x = s_iris.Value.Standardised(0, 150);
        var species = s_iris.Value.Target;
        var model = new LogisticRegression().Fit(x, species);

        Assert.Equal(["setosa", "versicolor", "virginica"], model.ClassesAs<string>());
        Assert.Equal(["setosa", "versicolor", "virginica"], model.Classes);
        string[] predicted = model.Predict<string>(x);
        Assert.Equal(c.Predictions.Select(k => model.ClassesAs<string>()[k]), predicted);
        Assert.Equal(c.Score, model.Score(x, species));
        Assert.Equal(c.Predictions, model.PredictClassIndices(x));
    }

    [Fact]
    public void IntegerLabels_AsAnInt32Tensor_OrShiftedValues_GiveTheSameWeights()
    {
        var c = LinearFixture.Value.Classification.Single(c => c.Name == "breast_cancer_C1.0");
        var (x, y) = Data(c);
        var fromArray = new LogisticRegression().Fit(x, y);
        var fromTensor = new LogisticRegression().Fit(Tensor.FromArray(x), Tensor.FromArray(y));
        Assert.Equal(fromArray.Coef.ToDoubleArray(), fromTensor.Coef.ToDoubleArray());

        // Labels 7 and 42 instead of 0 and 1: same model, predictions in the caller's labels.
        var shifted = y.Select(v => v == 0 ? 42 : 7).ToArray();
        var relabelled = new LogisticRegression().Fit(x, shifted);
        Assert.Equal([7, 42], relabelled.ClassesAs<int>());
        Assert.Equal(fromArray.Coef.ToDoubleArray().Select(v => -v), relabelled.Coef.ToDoubleArray(), new Near(1e-6));
        Assert.Equal(fromArray.Predict(x).Select(v => v == 0 ? 42 : 7), relabelled.Predict(x));
    }

    [Fact]
    public void MaxIter_StopsTheSolver_AndNIterSaysSo()
    {
        var c = LinearFixture.Value.Classification.Single(c => c.Name == "breast_cancer_C10.0");
        var (x, y) = Data(c);
        var model = new LogisticRegression(C: 10, maxIter: 5).Fit(x, y);
        Assert.Equal(5, model.NIter);
        Assert.True(model.Score(x, y) > 0.9);
    }

    [Fact]
    public void Fit_IsDeterministic()
    {
        var c = LinearFixture.Value.Classification.Single(c => c.Name == "iris_C10.0");
        var (x, y) = Data(c);
        Assert.Equal(Model(c).Fit(x, y).Coef.ToDoubleArray(), Model(c).Fit(x, y).Coef.ToDoubleArray());
    }

    private static LogisticRegression Model(ClassificationCase c) => new(
        penalty: c.Penalty == "none" ? Penalty.None : Penalty.L2,
        C: c.C,
        fitIntercept: c.Name != "iris_no_intercept",
        classWeight: c.ClassWeight == "balanced" ? ClassWeight.Balanced : ClassWeight.None);

    /// <summary>The case's rows, standardised, and their labels as class indices (iris species in sorted order, breast cancer's 0/1).</summary>
    private static (double[,] X, int[] Y) Data(ClassificationCase c)
    {
        var data = c.Dataset == "iris" ? s_iris.Value : s_breastCancer.Value;
        var names = data.Target.Distinct().Order(StringComparer.Ordinal).ToList();
        var y = data.Target[c.RowStart..c.RowStop].Select(t => c.Dataset == "iris" ? names.IndexOf(t) : int.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (data.Standardised(c.RowStart, c.RowStop), y);
    }

    internal static double[,] FirstRows(double[,] x, int rows)
    {
        var result = new double[rows, x.GetLength(1)];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < x.GetLength(1); j++) result[i, j] = x[i, j];
        return result;
    }

    internal static void AssertNearOptimum(string what, double[] actual, double[] sklearn, double[] optimum)
    {
        Assert.Equal(optimum.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double scale = Math.Max(1, Math.Abs(optimum[i]));
            Assert.True(Math.Abs(actual[i] - optimum[i]) <= Tolerance * scale,
                $"{what}[{i}]: Nabla {actual[i]:R}, optimum {optimum[i]:R} (difference {actual[i] - optimum[i]:E2})");
            double slack = Math.Abs(sklearn[i] - optimum[i]) + Tolerance * scale;
            Assert.True(Math.Abs(actual[i] - sklearn[i]) <= slack,
                $"{what}[{i}]: Nabla {actual[i]:R}, scikit-learn {sklearn[i]:R} (difference {actual[i] - sklearn[i]:E2}, allowed {slack:E2})");
        }
    }

    internal static void AssertClose(string what, double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: Nabla {actual[i]:R}, scikit-learn {expected[i]:R}");
    }

    private sealed class Near(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
