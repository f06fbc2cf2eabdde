using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Onnx.Tests.Export;
using Nabla.Tests;

namespace Nabla.Onnx.Tests;

/// <summary>
/// A network exported by Nabla and imported again: the imported network's outputs are the file's own, to 1e-5, and so are those
/// of the model file it makes (the ONNX graph holds Float32 weights, folded batch normalisation, GELU in its erf form).
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, Activation, bool, bool> Networks => new()
    {
        { "mlp", Activation.Relu, false, true },
        { "mlp", Activation.Tanh, true, true },
        { "mlp", Activation.Tanh, true, false },
        { "mlp", Activation.Sigmoid, false, true },
        { "mlp", Activation.LeakyRelu, false, true },
        { "mlp", Activation.Gelu, false, true },
        { "mlp", Activation.Identity, false, true },
        { "cnn", Activation.Relu, false, true },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ExportThenImport_PredictsAsTheModelFile(string kind, Activation activation, bool batchNorm, bool fold)
    {
        var path = SharedData.PathOf("digits.csv");
        var pipeline = ExportedModels.Network(path, "digit", (inputs, outputs) => kind == "cnn"
            ? ModelArchitecture.Cnn(1, 8, 8, outputs)
            : ModelArchitecture.Mlp(inputs, [32, 16], activation, outputs, dropout: 0.1, batchNorm: batchNorm));
        var model = pipeline.Model;
        var rows = ((TabularPreprocessor)pipeline.Preprocessor).TransformFeatures(Csv.Read(path));
        var features = model.Architecture!.ViewAsInput(rows);
        var bytes = OnnxExport.ToBytes(model, new OnnxExportOptions { DynamicBatch = true, FoldBatchNorm = fold });

        var imported = OnnxImport.Load(new MemoryStream(bytes), "the exported network");

        Assert.Equal("scores", imported.OutputName);
        var expected = model.Predict(features);
        Agreement.Close(expected, imported.Network.Forward(features), "the imported network's logits");
        var file = imported.ToModelFile(ModelTask.Classification, model.Classes);
        Agreement.Close(expected.Softmax(axis: 1), file.PredictProbabilities(features)!, "the imported model file's probabilities");
        Assert.Equal(model.PredictClassIndices(features).ToArray<int>(), file.PredictClassIndices(features).ToArray<int>());
    }

    [Fact]
    public void AnOutputNamedByTheCallerIsImportedAndAnUnknownOneIsRefused()
    {
        var pipeline = ExportedModels.Network(SharedData.PathOf("iris.csv"), "species", (inputs, outputs) => ModelArchitecture.Mlp(inputs, [8], Activation.Relu, outputs));
        var bytes = OnnxExport.ToBytes(pipeline.Model, new OnnxExportOptions { DynamicBatch = true });

        Assert.Equal("scores", OnnxImport.Load(new MemoryStream(bytes), "iris", "scores").OutputName);
        var unknown = Assert.Throws<InvalidDataException>(() => OnnxImport.Load(new MemoryStream(bytes), "iris", "logits"));
        Assert.Equal("iris: the graph has no output 'logits'; its outputs are 'label', 'probabilities', 'scores'.", unknown.Message);
        var label = Assert.Throws<InvalidDataException>(() => OnnxImport.Load(new MemoryStream(bytes), "iris", "label"));
        Assert.Contains("(ArgMax)", label.Message);
    }
}
