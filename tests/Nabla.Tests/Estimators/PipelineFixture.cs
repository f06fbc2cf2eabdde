namespace Nabla.Tests.Estimators;

/// <summary>
/// Fixtures/sklearn_pipeline.json, written by tools/fixtures/sklearn_pipeline.py: scikit-learn 1.2's
/// Pipeline of a scaler and a linear model on the shared iris and diabetes data, which the tests
/// load themselves.
/// </summary>
internal sealed record PipelineFixture(string SklearnVersion, List<PipelineClassificationCase> Classification, List<PipelineRegressionCase> Regression)
{
    private static readonly Lazy<PipelineFixture> s_value = new(() => FixtureFile.Load<PipelineFixture>("sklearn_pipeline.json"));

    public static PipelineFixture Value => s_value.Value;
}

/// <summary>StandardScaler then LogisticRegression(C) on raw iris with species names; ScalerFirst/Second are mean_ and scale_.</summary>
internal sealed record PipelineClassificationCase(string Name, double C, double[] ScalerFirst, double[] ScalerSecond, string[] Classes,
    double[] Coef, int[] CoefShape, double[] Intercept, double[] TightCoef, double[] TightIntercept, string[] Predictions, double[] Proba, double Score);

/// <summary>A scaler then a regressor on raw diabetes; ScalerFirst/Second are mean_ and scale_ (StandardScaler) or data_min_ and data_max_ (MinMaxScaler).</summary>
internal sealed record PipelineRegressionCase(string Name, string Scaler, string Model, double[] ScalerFirst, double[] ScalerSecond,
    double[] Coef, double Intercept, double[] Predictions, double Score);
