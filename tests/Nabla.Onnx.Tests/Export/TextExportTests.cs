using Microsoft.ML.OnnxRuntime;
using Nabla.Models;
using Nabla.NN;
using Nabla.Tests;
using Nabla.Text;

namespace Nabla.Onnx.Tests.Export;

/// <summary>
/// Text classifiers exported with their preprocessing and run in ONNX Runtime on the token ids <see cref="TextPreprocessor.TransformTexts"/>
/// gives: the labels are Nabla's, the probabilities and logits agree to 1e-5, for texts of every length (a row of padding only
/// included), whether the graph is optimised or not; an id outside the vocabulary fails the run, as Nabla refuses it.
/// </summary>
public sealed class TextExportTests : TemporaryFolder
{
    private static readonly OnnxExportOptions Dynamic = new() { DynamicBatch = true };

    /// <summary>The table of texts the models are fitted on, written afresh for each test.</summary>
    private readonly string _table;

    public TextExportTests()
    {
        _table = PathOf("texts.csv");
        ExportedTextModels.WriteTable(_table);
    }

    public static TheoryData<RecurrentLayerKind, int, bool, SequencePoolingMode> RecurrentSettings()
    {
        var data = new TheoryData<RecurrentLayerKind, int, bool, SequencePoolingMode>();
        foreach (var cell in Enum.GetValues<RecurrentLayerKind>())
            foreach (int layers in new[] { 1, 2 })
                foreach (bool bidirectional in new[] { false, true })
                    foreach (var pooling in Enum.GetValues<SequencePoolingMode>())
                        data.Add(cell, layers, bidirectional, pooling);
        return data;
    }

    [Theory]
    [MemberData(nameof(RecurrentSettings))]
    public void RecurrentClassifierMatchesNabla(RecurrentLayerKind cell, int layers, bool bidirectional, SequencePoolingMode pooling)
    {
        var model = ExportedTextModels.Network(_table, vocabulary =>
            [new SequenceClassifierSpec(cell, vocabulary, 6, 5, layers, bidirectional, pooling, 0.25, 3)]);
        AssertClassifierMatches(model, OnnxExport.ToBytes(model, Dynamic));
    }

    [Fact]
    public void BagOfEmbeddingsMatchesNablaAndReadsTokenIdsOfTheMaxLength()
    {
        var model = ExportedTextModels.Network(_table, vocabulary => [new EmbeddingBagSpec(vocabulary, 6), new DropoutSpec(0.1), new LinearSpec(6, 3)]);
        var bytes = OnnxExport.ToBytes(model, Dynamic);
        AssertClassifierMatches(model, bytes);
        var input = Assert.Single(OnnxRuntimeRun.Inputs(bytes));
        Assert.Equal("token_ids", input.Key);
        Assert.Equal(typeof(long), input.Value.Type);
        Assert.Equal([-1, ExportedTextModels.MaxLength], input.Value.Shape);
        Assert.Equal($"[\"{ExportedTextModels.Target}\",\"probabilities\",\"scores\"]", OnnxRuntimeRun.Metadata(bytes)["outputs"]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void TfidfLinearModelMatchesNabla(bool sublinearTf, bool svm)
    {
        var model = ExportedTextModels.Network(_table, vocabulary => [new TfidfLinearSpec(vocabulary, 3, sublinearTf)], svm);
        AssertClassifierMatches(model, OnnxExport.ToBytes(model, Dynamic));
    }

    [Fact]
    public void ModelFileAloneReadsTheIdsAsFeatures()
    {
        var model = ExportedTextModels.Network(_table, vocabulary =>
            [new SequenceClassifierSpec(RecurrentLayerKind.Gru, vocabulary, 4, 3, 1, true, SequencePoolingMode.Mean, 0, 3)]);
        var ids = ((TextPreprocessor)model.Preprocessor).TransformTexts(ExportedTextModels.Unusual);
        var outputs = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model.Model, Dynamic), [ExportedTextModels.Ids(ids, "features")]);
        Agreement.Close("scores", model.Predict(ids).Outputs.ToDoubleArray(), (float[])outputs["scores"], 3);
    }

    public static TheoryData<string> Kinds => new() { "lstm", "bow", "tfidf" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryTextLayerRunsAtTheOldestSupportedOpset(string kind)
    {
        var model = Small(kind);
        AssertClassifierMatches(model, OnnxExport.ToBytes(model, Dynamic with { Opset = OnnxExportOptions.MinOpset }));
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    [InlineData("bow")]
    [InlineData("tfidf")]
    public void Float64ModelsMatchNabla(string kind)
    {
        var model = Small(kind, DType.Float64);
        AssertClassifierMatches(model, OnnxExport.ToBytes(model, Dynamic));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void IdOutsideTheVocabularyFailsTheRunAsNablaRefusesIt(string kind)
    {
        var model = Small(kind);
        var bytes = OnnxExport.ToBytes(model, Dynamic);
        int vocabularySize = ((TextPreprocessor)model.Preprocessor).Vocabulary.Count;
        foreach (int id in new[] { vocabularySize, -1 })
        {
            var ids = Tensor.FromArray([2, id, 3, 0, 0, 0, 0, 0], 1, ExportedTextModels.MaxLength);
            var error = Assert.Throws<OnnxRuntimeException>(() => OnnxRuntimeRun.Run(bytes, [ExportedTextModels.Ids(ids)]));
            Assert.Contains("Gather", error.Message);
            Assert.ThrowsAny<ArgumentException>(() => model.Predict(ids));
        }
    }

    [Fact]
    public void EmbeddingBagOtherThanTheMeanIsRefusedNamingIt()
    {
        var graph = new Nabla.Onnx.Export.OnnxGraphBuilder("bag");
        var bag = new EmbeddingBag(10, 4, EmbeddingBagMode.Sum, paddingIndex: 0);
        var error = Assert.Throws<NotSupportedException>(() => Nabla.Onnx.Export.TextLayers.EmbeddingBag(graph, bag, "ids", "layer0"));
        Assert.Contains("layer0, an EmbeddingBag of mode Sum", error.Message);
    }

    /// <summary>A small model of each kind of text layer: a recurrent classifier (lstm, gru, rnn), a bag of embeddings (bow), a TF-IDF linear model (tfidf).</summary>
    private ModelPipeline Small(string kind, DType dtype = DType.Float32) => ExportedTextModels.Network(_table, vocabulary => kind switch
    {
        "lstm" => [new SequenceClassifierSpec(RecurrentLayerKind.Lstm, vocabulary, 4, 3, 1, false, SequencePoolingMode.Last, 0, 3)],
        "gru" => [new SequenceClassifierSpec(RecurrentLayerKind.Gru, vocabulary, 4, 3, 2, true, SequencePoolingMode.Mean, 0, 3)],
        "rnn" => [new SequenceClassifierSpec(RecurrentLayerKind.Rnn, vocabulary, 4, 3, 1, true, SequencePoolingMode.Max, 0, 3)],
        "bow" => [new EmbeddingBagSpec(vocabulary, 4), new LinearSpec(4, 3)],
        _ => [new TfidfLinearSpec(vocabulary, 3, SublinearTf: true)],
    }, dtype: dtype);

    /// <summary>
    /// The table's texts and <see cref="ExportedTextModels.Unusual"/> ones, and a row of padding only, through Nabla and through ONNX
    /// Runtime, unoptimised and optimised.
    /// </summary>
    private void AssertClassifierMatches(ModelPipeline model, byte[] bytes)
    {
        var texts = ExportedTextModels.Texts(_table);
        var ids = ((TextPreprocessor)model.Preprocessor).TransformTexts(texts);
        var padding = Tensor.Zeros([1, ExportedTextModels.MaxLength], DType.Int32);
        var rows = Tensor.Concat([ids, padding], 0);
        var expected = model.Predict(rows);
        Assert.Equal(model.PredictTexts(texts).Labels, expected.Labels.Take(texts.Length));
        int classes = model.Model.Classes!.Count;
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            var outputs = OnnxRuntimeRun.Run(bytes, [ExportedTextModels.Ids(rows)], level);
            Assert.Equal(expected.Labels, (string[])outputs[ExportedTextModels.Target]);
            Agreement.Close("probabilities", expected.Probabilities!.ToDoubleArray(), (float[])outputs["probabilities"], classes);
            Agreement.Close("scores", expected.Outputs.ToDoubleArray(), (float[])outputs["scores"], classes);
        }
    }
}
