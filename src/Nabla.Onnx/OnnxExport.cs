using System.Text.Json;
using Google.Protobuf;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.IO;
using Nabla.Models;
using Nabla.Onnx.Export;
using Nabla.Onnx.Protobuf;
using Nabla.Text;
using static Nabla.Onnx.Export.OnnxGraphBuilder;

namespace Nabla.Onnx;

/// <summary>
/// Writes a Nabla model as an ONNX model that ONNX Runtime (and any other ONNX server) runs: the network or
/// estimator, and the data preparation its file stores, so a served model takes the raw columns that
/// <c>nabla predict</c> takes and gives the labels it prints.
/// </summary>
/// <remarks>
/// <para>
/// Inputs: a table's feature columns one by one, named after them: a number column Float [N, 1] (NaN for a missing cell),
/// standardised in the graph; a text column String [N, 1] (the empty text, NA, N/A, NaN or null for a missing cell), one-hot
/// encoded over the training categories, an unseen one all zeros. Images: "images", Float [N, channels, height, width] of raw
/// pixel values. Texts: "token_ids", Int64 [N, max length], the vocabulary ids <see cref="TextPreprocessor.TransformTexts"/> gives,
/// each text's ids first and 0 after them; the tokenisation stays outside the graph (ONNX has no operator for Nabla's tokenizer),
/// and an id outside the vocabulary fails the run. A recommender: one input per id column, named after it, the ids as the data
/// writes them, String [N, 1] for labels or Int64 [N, 1] for whole numbers. A model file without preprocessing reads "features",
/// Float [N, ...its input shape].
/// </para>
/// <para>
/// Outputs of a classifier: the label (String [N]), named after the target column ("label" without one), "probabilities"
/// (Float [N, classes], in the order of the metadata's "classes"; absent for a model without probabilities) and "scores"
/// (the logits or decision function). A regressor: its prediction in the target's units, named after the target column
/// ("prediction" without one), Float [N] (or [N, targets]). A recommender: the score of each (user, item) pair, named after the rating
/// column ("score" without one), Float [N]: the predicted rating, clipped to the training ratings' range, or the preference score; a
/// user or item not seen in training falls back to what is known, as in Nabla. A row <c>nabla predict</c> would refuse (a missing cell
/// when the model was trained without imputation, an infinite number, a missing id label or a number id outside Int32) gets NaN
/// outputs and the empty label.
/// </para>
/// <para>
/// The metadata (<c>metadata_props</c>) holds the model file's own entries: Nabla's version, the kind, task, classes, target,
/// architecture, preprocessing, metrics and training summary. The model part computes in the model's own precision (Float64 for the
/// estimators), except the operators ONNX Runtime has no Float64 kernel for (Conv, Erf, the recurrent layers), which run in Float32.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var model = ModelPipeline.Load("model.safetensors");
/// OnnxExport.Save(model, "model.onnx", new OnnxExportOptions { DynamicBatch = true });
/// </code>
/// </example>
public static class OnnxExport
{
    /// <summary>The ONNX IR version written: 8, ONNX 1.12's, which ONNX Runtime 1.12 and later read.</summary>
    public const long IrVersion = 8;

    /// <summary>Writes <paramref name="model"/> with its data preparation to <paramref name="path"/>, atomically (an old file stays whole if anything fails).</summary>
    /// <exception cref="NotSupportedException">A part of the model or its preparation has no ONNX form; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <returns>The model's inputs and outputs, opset and size.</returns>
    public static OnnxSignature Save(ModelPipeline model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Write(Build(model.Model, model.Preprocessor, options ?? new OnnxExportOptions()), path);
    }

    /// <summary>
    /// Writes a model file alone to <paramref name="path"/>, atomically: the graph reads "features", prepared as the model was trained
    /// on (see <see cref="ToBytes(ModelFile, OnnxExportOptions?)"/>); a file with its data preparation is better exported by
    /// <see cref="Save(ModelPipeline, string, OnnxExportOptions?)"/>.
    /// </summary>
    /// <returns>The model's inputs and outputs, opset and size.</returns>
    /// <exception cref="NotSupportedException">A part of the model has no ONNX form; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static OnnxSignature Save(ModelFile model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Write(Build(model, null, options ?? new OnnxExportOptions()), path);
    }

    private static OnnxSignature Write(ModelProto proto, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = proto.ToByteArray();
        AtomicFile.Write(path, stream => stream.Write(bytes));
        return new OnnxSignature([.. proto.Graph.Input.Select(OnnxValue.Of)], [.. proto.Graph.Output.Select(OnnxValue.Of)],
            (int)proto.OpsetImport.First(o => o.Domain == OnnxDomains.Default).Version, bytes.Length);
    }

    /// <summary>The ONNX model of <paramref name="model"/> with its data preparation, serialised.</summary>
    /// <exception cref="NotSupportedException">A part of the model or its preparation has no ONNX form; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static byte[] ToBytes(ModelPipeline model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Build(model.Model, model.Preprocessor, options ?? new OnnxExportOptions()).ToByteArray();
    }

    /// <summary>
    /// The ONNX model of a model file alone, serialised: it reads "features", Float [N, ...<see cref="ModelFile.InputShape"/>] (a text
    /// model's token ids, Int64; a recommender's (user id, item id) pairs, Int64 [N, 2]), prepared as the model was trained on; use <see cref="ToBytes(ModelPipeline, OnnxExportOptions?)"/> for raw columns.
    /// </summary>
    /// <exception cref="NotSupportedException">A part of the model has no ONNX form; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static byte[] ToBytes(ModelFile model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Build(model, null, options ?? new OnnxExportOptions()).ToByteArray();
    }

    private static ModelProto Build(ModelFile model, Preprocessor? preprocessor, OnnxExportOptions options)
    {
        options.Validate();
        long? batch = options.DynamicBatch ? null : options.BatchSize;
        var graph = new OnnxGraphBuilder($"nabla_{model.Kind}");
        if (model.Estimator is IRecommender recommender)
            return Model(graph, model, preprocessor, options, RecommenderGraph.Build(graph, recommender, preprocessor, batch));
        var inputs = Inputs(graph, model, preprocessor, batch);
        string target = preprocessor switch
        {
            TabularPreprocessor tabular => tabular.Target,
            TextPreprocessor text => text.Target,
            _ => model.Task == ModelTask.Classification ? "label" : "prediction",
        };
        var names = OutputNames.Reserve(graph, target);
        var features = AsModelInput(graph, model, preprocessor, inputs.Features);
        graph.Precision = PrecisionOf(model);
        if (graph.Precision != DType.Float32 && model.Architecture?.ReadsTokenIds != true)
            features = graph.Node("Cast", [features], "model_input_in_model_precision", [Int("to", (long)graph.PrecisionType)]);
        var outputs = model.Network is { } network
            ? NetworkOutputs(graph, model, NetworkLayers.Build(graph, model.Architecture!, network, features, options))
            : EstimatorGraph.Build(graph, model.Estimator!, features);
        outputs = InFloat32(graph, outputs);
        var named = model.Task == ModelTask.Classification
            ? ClassifierOutputs.Add(graph, model.Classes!, outputs, inputs.Refused, names, batch)
            : RegressionOutputs.Add(graph, outputs.Scores, model.Outputs, preprocessor as TabularPreprocessor, inputs.Refused, names.Target, batch);
        return Model(graph, model, preprocessor, options, named);
    }

    /// <summary>The graph inputs and the nodes that prepare them.</summary>
    private static ExportedInputs Inputs(OnnxGraphBuilder graph, ModelFile model, Preprocessor? preprocessor, long? batch)
    {
        switch (preprocessor)
        {
            case TabularPreprocessor tabular:
                return TabularInputs.Build(graph, tabular, batch);
            case TextPreprocessor text:
                return new ExportedInputs(graph.Input("token_ids", TensorProto.Types.DataType.Int64, batch, text.Options.MaxLength), null);
            case ImagePreprocessor images:
                var pixels = graph.Input("images", TensorProto.Types.DataType.Float, batch, images.Channels, images.Height, images.Width);
                return new ExportedInputs(graph.Node("Mul", [pixels, graph.Floats("pixel_scale", [(float)images.Scale])], "scaled_images"), null);
            case null:
                if (model.Architecture?.ReadsTokenIds == true)
                    return new ExportedInputs(graph.Input("features", TensorProto.Types.DataType.Int64, [batch, .. model.InputShape.Select(d => (long?)d)]), null);
                return new ExportedInputs(graph.Input("features", TensorProto.Types.DataType.Float, [batch, .. model.InputShape.Select(d => (long?)d)]), null);
            default:
                throw new NotSupportedException($"OnnxExport: a model prepared by the {preprocessor.Kind} preprocessor has no ONNX form in this version.");
        }
    }

    /// <summary>The prepared rows viewed in the model's input shape when it differs from the preparation's (64 table columns for a 1×8×8 network).</summary>
    private static string AsModelInput(OnnxGraphBuilder graph, ModelFile model, Preprocessor? preprocessor, string features)
    {
        if (preprocessor is null || preprocessor.SampleShape.SequenceEqual(model.InputShape)) return features;
        return graph.Node("Reshape", [features, graph.Int64s("input_shape", [-1, .. model.InputShape.Select(d => (long)d)])], "model_input");
    }

    /// <summary>The element type of the model's weights: a network's parameters', Float64 for the linear estimators, an MLP estimator's own.</summary>
    private static DType PrecisionOf(ModelFile model) => model.Network is { } network
        ? network.Parameters().FirstOrDefault()?.DType ?? DType.Float32
        : model.Estimator switch
        {
            Nabla.Estimators.MlpClassifier mlp => mlp.Coefs[0].DType,
            Nabla.Estimators.MlpRegressor mlp => mlp.Coefs[0].DType,
            _ => DType.Float64,
        };

    /// <summary>The model part's outputs as Float32, the type every served output has.</summary>
    private static ModelOutputs InFloat32(OnnxGraphBuilder graph, ModelOutputs outputs)
    {
        if (graph.Precision == DType.Float32) return outputs;
        string Cast(string value) => graph.Node("Cast", [value], $"{value}_float", [Int("to", (long)TensorProto.Types.DataType.Float)]);
        var scores = Cast(outputs.Scores);
        var probabilities = outputs.Probabilities is null ? null : outputs.Probabilities == outputs.Scores ? scores : Cast(outputs.Probabilities);
        return outputs with { Scores = scores, Probabilities = probabilities };
    }

    /// <summary>A network's raw outputs as a classifier's (logits, softmax, argmax) or a regressor's values.</summary>
    private static ModelOutputs NetworkOutputs(OnnxGraphBuilder graph, ModelFile model, string outputs)
    {
        int width = model.Architecture!.OutputSize;
        if (model.Task != ModelTask.Classification) return new ModelOutputs(outputs, width, null, null);
        var probabilities = graph.Node("Softmax", [outputs], "probabilities", [Int("axis", 1)]);
        return new ModelOutputs(outputs, width, probabilities, graph.Node("ArgMax", [outputs], "class_index", [Int("axis", 1), Int("keepdims", 0)]));
    }

    private static ModelProto Model(OnnxGraphBuilder graph, ModelFile model, Preprocessor? preprocessor, OnnxExportOptions options, IReadOnlyList<string> outputs)
    {
        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Nabla",
            ProducerVersion = ModelFile.CurrentNablaVersion,
            Domain = "org.nabla",
            ModelVersion = 1,
            DocString = model.Architecture is { } architecture
                ? $"Nabla network: {string.Join(" → ", architecture.Layers.Select(l => l.Description))}"
                : $"Nabla {model.Kind}",
            Graph = graph.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxDomains.Default, Version = options.Opset });
        if (graph.Domains.Contains(OnnxDomains.MachineLearning))
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxDomains.MachineLearning, Version = OnnxDomains.MachineLearningOpset });
        foreach (var (key, value) in Metadata(model, preprocessor, outputs))
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    /// <summary>The model file's own metadata entries, and the names of the graph's outputs.</summary>
    private static IEnumerable<(string Key, string Value)> Metadata(ModelFile model, Preprocessor? preprocessor, IReadOnlyList<string> outputs)
    {
        yield return ("format", ModelFile.Format);
        yield return ("format_version", ModelFile.FormatVersion);
        yield return ("nabla_version", model.NablaVersion);
        yield return ("model", model.Kind);
        yield return ("task", model.Task == ModelTask.Classification ? "classification" : "regression");
        yield return ("classes", model.Classes is null ? "null" : JsonSerializer.Serialize(model.Classes));
        yield return ("class_type", model.ClassType ?? "null");
        if (model.Architecture is { } architecture) yield return ("architecture", architecture.ToJson());
        if (model.Settings is { } settings) yield return ("settings", settings);
        yield return ("preprocessing", preprocessor?.ToJson() ?? "null");
        yield return ("metrics", JsonSerializer.Serialize(model.Metrics));
        yield return ("training", JsonSerializer.Serialize(model.Training));
        yield return ("outputs", JsonSerializer.Serialize(outputs));
    }
}
