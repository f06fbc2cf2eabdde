using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// LinearRegression and Ridge on diabetes against scikit-learn 1.2 (Fixtures/sklearn_linear.json):
/// coefficients and intercepts to 1e-8 relative, with and without intercept, one and two targets,
/// several alphas, and a duplicated column (minimum-norm answer).
/// </summary>
public class LinearRegressionTests
{
    private const double Relative = 1e-8;

    private static readonly Lazy<Csv> s_diabetes = new(() => Csv.Load("diabetes.csv"));

    public static TheoryData<string> CaseNames() => [.. LinearFixture.Value.Regression.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void CoefficientsInterceptAndPredictions_MatchScikitLearn(string name)
    {
        var c = LinearFixture.Value.Regression.Single(c => c.Name == name);
        var (x, y) = Data(c);
        var expectedCoef = new TensorData(c.CoefShape, c.Coef);
        // scikit-learn stores a plain 0.0 without an intercept even for two targets; Nabla keeps one per target.
        var expectedIntercept = c.TwoTargets
            ? new TensorData([2], c.Intercept.Length == 2 ? c.Intercept : [c.Intercept[0], c.Intercept[0]])
            : new TensorData([], c.Intercept);

        var (coef, intercept, predictions, score) = c.Model switch
        {
            "LinearRegression" => Fitted(new LinearRegression(fitIntercept: c.FitIntercept).Fit(x, y), x, y),
            "Ridge" => Fitted(new Ridge(alpha: c.Alpha, fitIntercept: c.FitIntercept).Fit(x, y), x, y),
            _ => throw new InvalidDataException($"Unknown model {c.Model} in the fixture."),
        };

        expectedCoef.AssertClose($"{name}: coef", coef, Relative, 1e-10, "scikit-learn");
        expectedIntercept.AssertClose($"{name}: intercept", intercept, Relative, 1e-8, "scikit-learn");
        var firstRows = predictions.ToDoubleArray().Take(c.Predictions.Length).ToArray();
        new TensorData([c.Predictions.Length], c.Predictions).AssertClose($"{name}: predictions", Tensor.FromArray(firstRows), Relative, 1e-8, "scikit-learn");
        Assert.Equal(c.Score, score, 1e-10);
    }

    [Fact]
    public void DuplicatedColumn_SharesItsWeightEquallyWithItsCopy()
    {
        var c = LinearFixture.Value.Regression.Single(c => c.Name == "linear_intercept_duplicate_bmi");
        var (x, y) = Data(c);
        var coef = new LinearRegression().Fit(x, y).Coef;
        Assert.Equal(coef[2], coef[10], 1e-9);
        var plain = LinearFixture.Value.Regression.Single(c => c.Name == "linear_intercept");
        Assert.Equal(plain.Coef[2], coef[2] + coef[10], 1e-8);
    }

    [Fact]
    public void EveryInputForm_GivesTheSameModel()
    {
        var (x, _) = Data(LinearFixture.Value.Regression.Single(c => c.Name == "linear_intercept"));
        var y = s_diabetes.Value.Target.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var fromArray = new LinearRegression().Fit(x, y);
        var fromTensor = new LinearRegression().Fit(Tensor.FromArray(x), Tensor.FromArray(y));
        Assert.Equal(fromArray.Coef.ToDoubleArray(), fromTensor.Coef.ToDoubleArray());
        Assert.Equal(fromArray.Intercept.Item(), fromTensor.Intercept.Item());

        // Float32 data is computed in Float64, so only the rounding of the inputs separates the answers.
        int rows = x.GetLength(0), columns = x.GetLength(1);
        var jagged = new float[rows][];
        for (int i = 0; i < rows; i++) jagged[i] = [.. Enumerable.Range(0, columns).Select(j => (float)x[i, j])];
        var fromJagged = new LinearRegression().Fit(jagged, y);
        var fromFloatTensor = new LinearRegression().Fit(Tensor.FromArray(jagged.SelectMany(r => r).ToArray(), rows, columns), y);
        Assert.Equal(fromJagged.Coef.ToDoubleArray(), fromFloatTensor.Coef.ToDoubleArray());
        var expected = fromArray.Coef.ToDoubleArray();
        var actual = fromJagged.Coef.ToDoubleArray();
        for (int j = 0; j < columns; j++) Assert.Equal(expected[j], actual[j], 1e-3 * Math.Abs(expected[j]) + 1e-3);
        Assert.Equal(10, fromJagged.NFeaturesIn);
    }

    [Fact]
    public void Ridge_WithAlphaZero_IsLinearRegression()
    {
        var (x, y) = Data(LinearFixture.Value.Regression.Single(c => c.Name == "linear_intercept"));
        var ols = new LinearRegression().Fit(x, y).Coef.ToDoubleArray();
        var ridge = new Ridge(alpha: 0).Fit(x, y).Coef.ToDoubleArray();
        for (int j = 0; j < ols.Length; j++) Assert.Equal(ols[j], ridge[j], 1e-9 * Math.Abs(ols[j]));
    }

    private static (Tensor Coef, Tensor Intercept, Tensor Predictions, double Score) Fitted<T>(LinearRegressor<T> model, double[,] x, RegressionTargets y)
        where T : LinearRegressor<T> => (model.Coef, model.Intercept, model.Predict(x), model.Score(x, y));

    /// <summary>Diabetes as the case uses it: raw features (bmi appended again for the rank-deficient case) and progression, or progression and its log.</summary>
    private static (double[,] X, RegressionTargets Y) Data(RegressionCase c)
    {
        var data = s_diabetes.Value;
        int rows = data.Features.GetLength(0), columns = data.Features.GetLength(1);
        var x = new double[rows, columns + (c.DuplicateBmi ? 1 : 0)];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++) x[i, j] = data.Features[i, j];
            if (c.DuplicateBmi) x[i, columns] = data.Features[i, 2];
        }
        var y = data.Target.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (!c.TwoTargets) return (x, y);
        var two = new double[rows, 2];
        for (int i = 0; i < rows; i++) (two[i, 0], two[i, 1]) = (y[i], Math.Log(y[i]));
        return (x, two);
    }
}
