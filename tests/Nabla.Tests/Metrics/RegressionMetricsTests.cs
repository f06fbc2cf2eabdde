using Nabla.Metrics;

namespace Nabla.Tests.Metrics;

/// <summary>
/// Every regression metric against scikit-learn 1.2, per output, uniformly averaged and (R²,
/// explained variance) variance-weighted, including constant true outputs; then bad inputs.
/// </summary>
public class RegressionMetricsTests
{
    public static TheoryData<string> CaseNames() => [.. SklearnFixture.Value.Regression.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Metrics_MatchScikitLearn(string name)
    {
        var c = SklearnFixture.Value.Regression.Single(c => c.Name == name);
        double[,] yTrue = SklearnFixture.Matrix(c.YTrue), yPred = SklearnFixture.Matrix(c.YPred);
        SklearnFixture.AssertClose(c.Mse, RegressionMetrics.MeanSquaredError(yTrue, yPred), "MSE");
        SklearnFixture.AssertClose(c.MseRaw, RegressionMetrics.MeanSquaredErrorPerOutput(yTrue, yPred), "MSE per output");
        SklearnFixture.AssertClose(c.Rmse, RegressionMetrics.RootMeanSquaredError(yTrue, yPred), "RMSE");
        SklearnFixture.AssertClose(c.RmseRaw, RegressionMetrics.RootMeanSquaredErrorPerOutput(yTrue, yPred), "RMSE per output");
        SklearnFixture.AssertClose(c.Mae, RegressionMetrics.MeanAbsoluteError(yTrue, yPred), "MAE");
        SklearnFixture.AssertClose(c.MaeRaw, RegressionMetrics.MeanAbsoluteErrorPerOutput(yTrue, yPred), "MAE per output");
        SklearnFixture.AssertClose(c.Medae, RegressionMetrics.MedianAbsoluteError(yTrue, yPred), "median absolute error");
        SklearnFixture.AssertClose(c.MedaeRaw, RegressionMetrics.MedianAbsoluteErrorPerOutput(yTrue, yPred), "median absolute error per output");
        SklearnFixture.AssertClose(c.R2, RegressionMetrics.R2(yTrue, yPred), "R²");
        SklearnFixture.AssertClose(c.R2Raw, RegressionMetrics.R2PerOutput(yTrue, yPred), "R² per output");
        SklearnFixture.AssertClose(c.R2VarianceWeighted, RegressionMetrics.R2(yTrue, yPred, MultiOutput.VarianceWeighted), "R² variance-weighted");
        SklearnFixture.AssertClose(c.Ev, RegressionMetrics.ExplainedVariance(yTrue, yPred), "explained variance");
        SklearnFixture.AssertClose(c.EvRaw, RegressionMetrics.ExplainedVariancePerOutput(yTrue, yPred), "explained variance per output");
        SklearnFixture.AssertClose(c.EvVarianceWeighted, RegressionMetrics.ExplainedVariance(yTrue, yPred, MultiOutput.VarianceWeighted), "explained variance variance-weighted");

        var (tTrue, tPred) = (Tensor.FromArray(yTrue), Tensor.FromArray(yPred));
        SklearnFixture.AssertClose(c.R2, RegressionMetrics.R2(tTrue, tPred), "R² of tensors");
        SklearnFixture.AssertClose(c.Rmse, RegressionMetrics.RootMeanSquaredError(tTrue, tPred), "RMSE of tensors");
        if (c.YTrue[0].Count == 1)
        {
            double[] a = [.. c.YTrue.Select(r => r[0])], b = [.. c.YPred.Select(r => r[0])];
            SklearnFixture.AssertClose(c.Mse, RegressionMetrics.MeanSquaredError(a, b), "MSE of arrays");
            SklearnFixture.AssertClose(c.Mae, RegressionMetrics.MeanAbsoluteError(a, b), "MAE of arrays");
            SklearnFixture.AssertClose(c.Medae, RegressionMetrics.MedianAbsoluteError(a, b), "median of arrays");
            SklearnFixture.AssertClose(c.Ev, RegressionMetrics.ExplainedVariance(a, b), "explained variance of arrays");
            SklearnFixture.AssertClose(c.R2, RegressionMetrics.R2(Tensor.FromArray(a), Tensor.FromArray(b)), "R² of 1-D tensors");
        }
    }

    [Fact]
    public void LengthMismatch_NamesBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => RegressionMetrics.MeanSquaredError(new double[] { 1, 2, 3 }, new double[] { 1, 2 }));
        Assert.Contains("3", e.Message);
        Assert.Contains("2", e.Message);
    }

    [Fact]
    public void OutputCountMismatch_NamesBothShapes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => RegressionMetrics.R2(new double[2, 3], new double[2, 2]));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[2, 2]", e.Message);
    }

    [Fact]
    public void EmptyInputs_AreRejected() =>
        Assert.Throws<ArgumentException>(() => RegressionMetrics.MeanAbsoluteError(Array.Empty<double>(), Array.Empty<double>()));

    [Fact]
    public void R2_OfOneSample_IsNaN_AsScikitLearn() => Assert.True(double.IsNaN(RegressionMetrics.R2(new double[] { 1 }, new double[] { 2 })));

    [Fact]
    public void TensorOfRankThree_IsRejected() =>
        Assert.Throws<ShapeMismatchException>(() => RegressionMetrics.MeanSquaredError(Tensor.Zeros(2, 2, 2), Tensor.Zeros(2, 2, 2)));
}
