using Nabla.Data;
using Nabla.Losses;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Onnx.Tests.Import;

/// <summary>
/// Networks exported by PyTorch (tools/fixtures/onnx_pytorch.py) imported as Nabla modules: their outputs, the
/// gradients through them and one fine-tuning step are PyTorch's, and saved as Nabla model files they predict the same.
/// </summary>
public sealed class PytorchImportTests
{
    public static TheoryData<string> Models => [.. PytorchFixture.Names];

    /// <summary>The classifiers every layer of which has a model-file form.</summary>
    public static TheoryData<string> SavableClassifiers => [.. PytorchFixture.Names.Where(name => name is not ("cnn_avg" or "mlp_regression"))];

    [Theory, MemberData(nameof(Models))]
    public void Outputs_AreTheOnesPyTorchComputed(string name)
    {
        var fixture = PytorchFixture.Load(name);
        var imported = OnnxImport.Load(fixture.OnnxPath);

        var outputs = imported.Network.Forward(fixture.Input);

        Agreement.Close(fixture.Output, outputs, $"{name}'s outputs");
        Assert.Equal(fixture.Input.Shape.Skip(1), imported.InputShape);
        Assert.Equal(fixture.Output.Shape.Skip(1), imported.OutputShape);
        Assert.Equal(("input", "output"), (imported.InputName, imported.OutputName));
        Assert.Equal(PytorchFixture.ReadsTokenIds(name), imported.ReadsTokenIds);
    }

    [Theory, MemberData(nameof(Models))]
    public void Gradients_ThroughTheNetwork_AreTheOnesPyTorchComputed(string name)
    {
        var fixture = PytorchFixture.Load(name);
        var network = OnnxImport.Load(fixture.OnnxPath).Network;

        (network.Forward(fixture.Input) * fixture.OutputWeights).Sum().Backward();

        var state = network.StateDict();
        Assert.NotEmpty(fixture.Gradients);
        foreach (var (parameter, expected) in fixture.Gradients)
            Agreement.Close(expected, state[parameter].Grad!, $"{name}: the gradient of {parameter}");
    }

    [Theory, MemberData(nameof(Models))]
    public void OneSgdStep_ChangesTheLossAsInPyTorch(string name)
    {
        var fixture = PytorchFixture.Load(name);
        var imported = OnnxImport.Load(fixture.OnnxPath);
        var network = imported.Network;
        var optimizer = new Sgd(network.Parameters(), fixture.LearningRate);
        Tensor Loss() => fixture.Targets is { } targets
            ? new MseLoss().Forward(network.Forward(fixture.Input), targets)
            : new NllLoss().Forward(LogProbabilities(network.Forward(fixture.Input), name), fixture.Classes!);

        var before = Loss();
        before.Backward();
        optimizer.Step();
        var after = Loss();

        Agreement.Close(fixture.LossBefore, before.Item(), $"{name}: the loss before the step");
        Agreement.Close(fixture.LossAfter, after.Item(), $"{name}: the loss after the step");
        Assert.True(after.Item() < before.Item(), $"{name}: one step down the gradient lowers the loss");
    }

    [Theory, MemberData(nameof(SavableClassifiers))]
    public void SavedAsAClassifiersModelFile_AndLoaded_PredictsAsPyTorch(string name)
    {
        var fixture = PytorchFixture.Load(name);
        var imported = OnnxImport.Load(fixture.OnnxPath);
        string[] classes = [.. Enumerable.Range(0, imported.OutputShape[0]).Select(i => $"class {i}")];
        string path = Path.Combine(Path.GetTempPath(), $"nabla-onnx-{Guid.NewGuid():N}.safetensors");
        try
        {
            imported.ToModelFile(ModelTask.Classification, classes).Save(path);
            var loaded = ModelFile.Load(path);

            var probabilities = loaded.PredictProbabilities(fixture.Input)!;

            var expected = imported.EndsInSoftmax ? fixture.Output : fixture.Output.Softmax(axis: 1);
            Agreement.Close(expected, probabilities, $"{name}'s probabilities from its model file");
            Assert.Equal(classes, loaded.Classes);
            Assert.Equal(Path.GetFileName(fixture.OnnxPath), loaded.Training["imported_from"]);
            Assert.StartsWith("pytorch", loaded.Training["producer"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SavedAsARegressionsModelFile_AndLoaded_PredictsAsPyTorch()
    {
        var fixture = PytorchFixture.Load("mlp_regression");
        string path = Path.Combine(Path.GetTempPath(), $"nabla-onnx-{Guid.NewGuid():N}.safetensors");
        try
        {
            OnnxImport.Load(fixture.OnnxPath).ToModelFile(ModelTask.Regression).Save(path);
            var loaded = ModelFile.Load(path);

            Agreement.Close(fixture.Output, loaded.Predict(fixture.Input), "the regression's values from its model file");
            Assert.Equal(ModelTask.Regression, loaded.Task);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void ATextEndingInPadding_GivesWhatPyTorchGivesForTheTextWithoutIt(string name)
    {
        // Nabla's text classifier stops at each text's last non-zero id; PyTorch's layer would run over the zeros too.
        var fixture = PytorchFixture.Load(name);
        var network = OnnxImport.Load(fixture.OnnxPath).Network;
        int rows = fixture.Input.Shape[0], steps = fixture.Input.Shape[1], padding = 3;
        int[] ids = fixture.Input.ToArray<int>(), padded = new int[rows * (steps + padding)];
        for (int row = 0; row < rows; row++) Array.Copy(ids, row * steps, padded, row * (steps + padding), steps);

        var outputs = network.Forward(Tensor.FromArray(padded, rows, steps + padding));

        Assert.IsType<SequenceClassifier>(Assert.Single(network));
        Agreement.Close(fixture.Output, outputs, $"{name}'s outputs for texts padded with id 0");
    }

    [Fact]
    public void ANetworkWithAveragePooling_RunsButHasNoModelFileForm()
    {
        var imported = OnnxImport.Load(PytorchFixture.PathOf("cnn_avg.onnx"));

        Assert.Null(imported.Architecture);
        Assert.Contains("AvgPool2d", imported.ArchitectureProblem);
        var refused = Assert.Throws<InvalidOperationException>(() => imported.ToModelFile(ModelTask.Classification, ["a", "b", "c"]));
        Assert.Contains("AvgPool2d", refused.Message);
    }

    [Fact]
    public void ASoftmaxNetwork_IsRefusedAsARegression()
    {
        var imported = OnnxImport.Load(PytorchFixture.PathOf("mlp_softmax.onnx"));

        var refused = Assert.Throws<ArgumentException>(() => imported.ToModelFile(ModelTask.Regression));

        Assert.Contains("ends in Softmax", refused.Message);
    }

    /// <summary>The network's outputs as log-probabilities, as the fixture's loss reads them.</summary>
    private static Tensor LogProbabilities(Tensor outputs, string name) => name switch
    {
        "cnn_avg" => outputs,
        "mlp_softmax" => outputs.Log(),
        _ => outputs.LogSoftmax(1),
    };
}
