using Microsoft.ML.OnnxRuntime;
using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Tests;

namespace Nabla.Onnx.Tests.Export;

/// <summary>
/// Networks exported with their preprocessing and run in ONNX Runtime on every row of their table: the labels are Nabla's, the
/// probabilities, logits and regression values agree to 1e-5, whether the graph is optimised or not.
/// </summary>
public sealed class NetworkExportTests : TemporaryFolder
{
    private static readonly OnnxExportOptions Dynamic = new() { DynamicBatch = true };

    [Theory]
    [InlineData(Activation.Relu, false)]
    [InlineData(Activation.LeakyRelu, false)]
    [InlineData(Activation.Sigmoid, true)]
    [InlineData(Activation.Tanh, false)]
    [InlineData(Activation.Gelu, true)]
    [InlineData(Activation.Identity, false)]
    public void MlpOnMixedTableWithImputationMatchesNabla(Activation activation, bool batchNorm)
    {
        var path = PathOf("mixed.csv");
        ExportedModels.WriteMixedTable(path, missing: true);
        var model = ExportedModels.Network(path, "kind", (inputs, outputs) => ModelArchitecture.Mlp(inputs, [12, 8], activation, outputs, dropout: 0.2, batchNorm: batchNorm),
            MissingValuePolicy.ImputeMean);
        AssertClassifierMatches(model, path, OnnxExport.ToBytes(model, Dynamic));
    }

    [Theory]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Gelu)]
    [InlineData(Activation.Sigmoid)]
    public void Float64NetworkComputesInFloat64(Activation activation)
    {
        var path = SharedData.PathOf("breast_cancer.csv");
        var model = ExportedModels.Network(path, "malignant_is_0", (inputs, outputs) => ModelArchitecture.Mlp(inputs, [16, 8], activation, outputs, batchNorm: true),
            dtype: DType.Float64);
        AssertClassifierMatches(model, path, OnnxExport.ToBytes(model, Dynamic with { FoldBatchNorm = false }));
        AssertClassifierMatches(model, path, OnnxExport.ToBytes(model, Dynamic));
    }

    [Fact]
    public void Float64CnnMatchesNabla()
    {
        var path = SharedData.PathOf("digits.csv");
        var model = ExportedModels.Network(path, "digit", (inputs, outputs) => ModelArchitecture.Cnn(1, 8, 8, outputs), dtype: DType.Float64);
        AssertClassifierMatches(model, path, OnnxExport.ToBytes(model, Dynamic));
    }

    [Fact]
    public void BatchNormalizationUnfoldedMatchesNabla()
    {
        var path = SharedData.PathOf("breast_cancer.csv");
        var model = ExportedModels.Network(path, "malignant_is_0", (inputs, outputs) => ModelArchitecture.Mlp(inputs, [16], Activation.Relu, outputs, batchNorm: true));
        var folded = OnnxExport.ToBytes(model, Dynamic);
        var unfolded = OnnxExport.ToBytes(model, Dynamic with { FoldBatchNorm = false });
        AssertClassifierMatches(model, path, unfolded);
        AssertClassifierMatches(model, path, folded);
        Assert.True(folded.Length < unfolded.Length, "folding removes the batch normalisation's four vectors");
    }

    [Fact]
    public void RegressionGivesTheTargetInItsUnits()
    {
        var path = SharedData.PathOf("diabetes.csv");
        var model = ExportedModels.Network(path, "progression", (inputs, outputs) => ModelArchitecture.Mlp(inputs, [10], Activation.Tanh, outputs, batchNorm: true));
        var bytes = OnnxExport.ToBytes(model, Dynamic);
        var table = Csv.Read(path);
        var expected = model.Predict(path).Values!.ToDoubleArray();
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            var outputs = OnnxRuntimeRun.Run(bytes, OnnxRuntimeRun.Columns(table, (TabularPreprocessor)model.Preprocessor), level);
            Agreement.Close("progression", expected, (float[])outputs["progression"]);
        }
        Assert.True(expected.Max() - expected.Min() > 10, "the predictions are in the target's units, not standardised");
    }

    [Fact]
    public void CnnReadsTheTableOfPixelsAsImages()
    {
        var path = SharedData.PathOf("digits.csv");
        var model = ExportedModels.Network(path, "digit", (inputs, outputs) => ModelArchitecture.Cnn(1, 8, 8, outputs));
        AssertClassifierMatches(model, path, OnnxExport.ToBytes(model, Dynamic));
    }

    [Fact]
    public void RowsNablaRefusesGiveNaNAndNoLabel()
    {
        var path = PathOf("mixed.csv");
        ExportedModels.WriteMixedTable(path, missing: false);
        var model = ExportedModels.Network(path, "kind", (inputs, outputs) => ModelArchitecture.Mlp(inputs, [8], Activation.Relu, outputs));
        var withMissing = PathOf("missing.csv");
        ExportedModels.WriteMixedTable(withMissing, missing: true);
        var table = Csv.Read(withMissing);
        var outputs = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model, Dynamic), OnnxRuntimeRun.Columns(table, (TabularPreprocessor)model.Preprocessor));
        var labels = (string[])outputs["kind"];
        var probabilities = (float[])outputs["probabilities"];
        int refused = 0;
        for (int row = 0; row < table.RowCount; row++)
        {
            bool missing = row % 11 == 3 || row % 13 == 3 || row % 17 == 3 || row % 19 == 3;
            Assert.Equal(missing, labels[row].Length == 0);
            Assert.Equal(missing, float.IsNaN(probabilities[row * 3]));
            refused += missing ? 1 : 0;
        }
        Assert.True(refused > 10);
        Assert.Throws<InvalidDataException>(() => model.Predict(withMissing));
    }

    [Fact]
    public void FixedBatchIsDeclaredAndMetadataIsTheModelFiles()
    {
        var path = SharedData.PathOf("iris.csv");
        var model = ExportedModels.Network(path, "species", (inputs, outputs) => ModelArchitecture.Mlp(inputs, [8], Activation.Relu, outputs));
        var bytes = OnnxExport.ToBytes(model);
        var inputs = OnnxRuntimeRun.Inputs(bytes);
        Assert.Equal(["petal_length", "petal_width", "sepal_length", "sepal_width"], inputs.Keys.Order().ToArray());
        Assert.All(inputs.Values, input => Assert.Equal([1, 1], input.Shape));
        var dynamic = OnnxRuntimeRun.Inputs(OnnxExport.ToBytes(model, Dynamic));
        Assert.All(dynamic.Values, input => Assert.Equal([-1, 1], input.Shape));
        var metadata = OnnxRuntimeRun.Metadata(bytes);
        Assert.Equal("network", metadata["model"]);
        Assert.Equal("[\"setosa\",\"versicolor\",\"virginica\"]", metadata["classes"]);
        Assert.Equal(model.Model.Architecture!.ToJson(), metadata["architecture"]);
        Assert.Equal(model.Preprocessor.ToJson(), metadata["preprocessing"]);
        Assert.Equal(ModelFile.CurrentNablaVersion, metadata["nabla_version"]);
        Assert.Equal("[\"species\",\"probabilities\",\"scores\"]", metadata["outputs"]);
        var outputs = Nabla.Onnx.Protobuf.ModelProto.Parser.ParseFrom(bytes).Graph.Output.ToDictionary(o => o.Name, o => o.DocString);
        Assert.Equal("each class's probability, in the order setosa, versicolor, virginica", outputs["probabilities"]);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(18)]
    public void OpsetOutsideTheSupportedRangeIsRefused(int opset)
    {
        var model = ExportedModels.Network(SharedData.PathOf("iris.csv"), "species", (inputs, outputs) => ModelArchitecture.Linear(inputs, outputs));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExport.ToBytes(model, new OnnxExportOptions { Opset = opset }));
        Assert.Contains("opset must be 13 to 17", error.Message);
    }

    /// <summary>Every row of <paramref name="path"/> through Nabla and through ONNX Runtime, unoptimised and optimised.</summary>
    private static void AssertClassifierMatches(ModelPipeline model, string path, byte[] bytes)
    {
        var table = Csv.Read(path);
        var expected = model.Predict(path);
        var preprocessor = (TabularPreprocessor)model.Preprocessor;
        int classes = model.Model.Classes!.Count;
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            var outputs = OnnxRuntimeRun.Run(bytes, OnnxRuntimeRun.Columns(table, preprocessor), level);
            Assert.Equal(expected.Labels, (string[])outputs[preprocessor.Target]);
            Agreement.Close("probabilities", expected.Probabilities!.ToDoubleArray(), (float[])outputs["probabilities"], classes);
            Agreement.Close("scores", expected.Outputs.ToDoubleArray(), (float[])outputs["scores"], classes);
        }
    }
}
