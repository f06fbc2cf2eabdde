using Nabla.Data;
using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.Models;

public sealed class DifferentiableModelTests : TemporaryFolder
{
    [Theory]
    [InlineData("linear_regression")]
    [InlineData("ridge")]
    [InlineData("sgd_regressor")]
    [InlineData("logistic_regression")]
    [InlineData("linear_svc")]
    public void LinearEstimator_GivesItsPredictions_AsAFunctionOfTheRows(string kind)
    {
        var fitted = FittedEstimators.Make(kind, Folder);
        var file = fitted.File();

        var outputs = DifferentiableModel.Of(file)!(fitted.Features).ToDoubleArray();

        // A regressor's prediction, or a classifier's decision function (the file's raw outputs).
        var expected = file.Predict(fitted.Features).ToDoubleArray();
        Assert.Equal(expected.Length, outputs.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], outputs[i], 1e-12);
    }

    [Fact]
    public void TwoClassLinearClassifier_ScoresTheSecondClassByItsDecisionFunction_AndTheFirstByItsNegation()
    {
        var fitted = FittedEstimators.Make("sgd_classifier", Folder);
        var file = fitted.File();

        var outputs = DifferentiableModel.Of(file)!(fitted.Features);

        var decision = file.Predict(fitted.Features).ToDoubleArray();
        Assert.Equal([decision.Length, 2], outputs.Shape);
        var scores = outputs.ToDoubleArray();
        for (int r = 0; r < decision.Length; r++)
        {
            Assert.Equal(-decision[r], scores[2 * r], 1e-12);
            Assert.Equal(decision[r], scores[2 * r + 1], 1e-12);
        }
    }

    [Fact]
    public void Network_GivesItsOutputsInFloat64_AndLeavesTheFilesNetworkAsItWas()
    {
        var file = TrainedModels.Iris();
        file.Network!.Train();
        var prep = (TabularPreprocessor)Preprocessor.FromJson(file.Preprocessing!);
        var rows = prep.TransformFeatures(Csv.Read(SharedData.PathOf("iris.csv")));

        var outputs = DifferentiableModel.Of(file)!(rows);

        Assert.Equal(DType.Float64, outputs.DType);
        var expected = file.Predict(rows).ToArray<float>();
        var actual = outputs.ToDoubleArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5);
        Assert.True(file.Network.IsTraining);
        Assert.All(file.Network.Parameters(), p => Assert.Equal(DType.Float32, p.DType));
    }

    [Fact]
    public void NetworkWithBatchNormalization_KeepsItsCounterAndGivesTheFilesOutputs()
    {
        var architecture = ModelArchitecture.Mlp(4, [8], Activation.Relu, 3, batchNorm: true);
        var network = architecture.Build(DType.Float32, new Generator(3));
        network.Train();
        var rows = Tensor.FromArray([.. Enumerable.Range(0, 40).Select(i => (float)Math.Sin(i))], 10, 4);
        network.Forward(rows);
        network.Eval();
        var file = new ModelFile(architecture, network, ModelTask.Classification, ["a", "b", "c"]);

        var outputs = DifferentiableModel.Of(file)!(rows).ToDoubleArray();

        var expected = file.Predict(rows).ToArray<float>();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], outputs[i], 1e-5);
    }

    [Theory]
    [InlineData("mlp_classifier")]
    [InlineData("mlp_regressor")]
    [InlineData("matrix_factorization")]
    public void ModelsWithoutAGradientOfTheirInputs_HaveNone(string kind) =>
        Assert.Null(DifferentiableModel.Of(FittedEstimators.Make(kind, Folder).File()));
}
