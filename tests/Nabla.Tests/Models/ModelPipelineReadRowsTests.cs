using Nabla.Models;

namespace Nabla.Tests.Models;

public sealed class ModelPipelineReadRowsTests : TemporaryFolder
{
    [Fact]
    public void ReadRows_AreTheRowsPredictionRuns_WithTheTargetsEvaluationScores()
    {
        string model = PathOf("iris.safetensors"), data = SharedData.PathOf("iris.csv");
        TrainedModels.Iris().Save(model);
        var pipeline = ModelPipeline.Load(model);

        var rows = pipeline.ReadRows(data, withTargets: true);

        Assert.Equal([150, 4], rows.Inputs.Shape);
        Assert.Equal(pipeline.Predict(data).Labels, pipeline.Predict(rows.Inputs).Labels);
        Assert.Equal(pipeline.Evaluate(data).Targets.ToArray<int>(), rows.Targets!.ToArray<int>());
        Assert.Null(pipeline.ReadRows(data).Targets);
    }

    [Fact]
    public void ReadRows_OfARecommender_AreRefused()
    {
        string model = PathOf("mf.safetensors");
        var fitted = FittedEstimators.Make("matrix_factorization", Folder);
        fitted.File().Save(model);

        var e = Assert.Throws<InvalidOperationException>(() => ModelPipeline.Load(model).ReadRows(fitted.DataPath));

        Assert.Contains("(user, item) pairs", e.Message, StringComparison.Ordinal);
    }
}
