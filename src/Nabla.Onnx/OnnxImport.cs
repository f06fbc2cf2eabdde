using Nabla.IO;
using Nabla.NN;
using Nabla.Onnx.Import;

namespace Nabla.Onnx;

/// <summary>
/// Reads networks trained elsewhere (PyTorch first) from ONNX files into Nabla modules: a chain of layers from one
/// input to one output becomes a <see cref="Sequential"/> that runs, fine-tunes and saves as a Nabla model file.
/// </summary>
/// <remarks>
/// <para>
/// Operators read: Gemm, and MatMul by a constant matrix with or without an Add of a constant bias (<see cref="Linear"/>);
/// Relu, Sigmoid, Tanh, LeakyRelu; Gelu (opset 20) and the form x·0.5·(1 + erf(x/√2)) that exporters write below it
/// (<see cref="GELU"/>); Softmax and LogSoftmax over the features; Conv (<see cref="Conv2d"/>); MaxPool and AveragePool
/// (square windows; PyTorch's Pad of zeros before an AveragePool too); BatchNormalization at inference
/// (<see cref="BatchNorm1d"/>, <see cref="BatchNorm2d"/>); Flatten and Reshape to [batch, -1], with the shape constant or
/// computed from the input's (Shape, Gather, Unsqueeze, Concat, ...); Dropout and Identity (left out); Gather of a constant
/// table by the input's token ids (<see cref="Embedding"/>); and LSTM and GRU as PyTorch exports a batch-first layer read
/// for its final hidden state, with the weights reordered from ONNX's gate order into PyTorch's. PyTorch folds a batch
/// norm into the convolution before it when exporting for inference, so such a pair arrives as one convolution.
/// </para>
/// <para>
/// Anything else is refused with an <see cref="InvalidDataException"/> naming the file, the node and the operator or
/// attribute: another operator; a graph that is not one chain (several inputs, several outputs with none chosen, a branch, a skip connection);
/// settings Nabla's layers do not have (dilations, groups, ceil_mode, auto_pad other than NOTSET, asymmetric pads, a
/// bidirectional recurrent layer). So is a damaged or hostile file: bytes that are not protobuf, a file cut short, a
/// dimension too large to hold, an initializer whose data does not fill its shape, weights in an external file, a
/// cycle, a node reading a value nothing defines. Allocation is bounded by the file's own size.
/// </para>
/// <para>
/// Text classifiers (embedding → LSTM or GRU → linear) become a <see cref="SequenceClassifier"/>, which takes id 0 as
/// padding; see <see cref="OnnxImportedModel"/> for how that differs from PyTorch on texts that end in id 0.
/// </para>
/// <code>
/// var imported = OnnxImport.Load("mlp.onnx");              // exported by torch.onnx.export
/// Tensor outputs = imported.Network.Forward(x);            // x: [rows, ..imported.InputShape]
/// imported.ToModelFile(ModelTask.Classification, ["no", "yes"]).Save("mlp.safetensors");
/// </code>
/// </remarks>
public static class OnnxImport
{
    /// <summary>Reads the ONNX model file at <paramref name="path"/>.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="output">
    /// The graph output to import, with the nodes it depends on (the others are left out); null for the graph's only output,
    /// or, for a classifier Nabla exported, its scores (the logits before the label lookup and the probabilities).
    /// </param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model Nabla can import; the message names the file, and the node and what is not supported.</exception>
    public static OnnxImportedModel Load(string path, string? output = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The ONNX file {path} does not exist.", path);
        // A device or a pipe may never end (/dev/zero); a model is a regular file.
        if (SpecialFile.Is(path)) throw new InvalidDataException($"{path}: not a regular file (a device, pipe or socket); an ONNX model is a file.");
        if (new FileInfo(path).Length > OnnxModelReader.MostBytes)
            throw new InvalidDataException($"{path}: larger than {OnnxModelReader.MostBytes} bytes, the most an ONNX model holds (weights over 2 GB go to external files, which Nabla does not read).");
        using var stream = File.OpenRead(path);
        return Load(stream, path, output);
    }

    /// <summary>Reads an ONNX model from <paramref name="stream"/> to its end.</summary>
    /// <param name="stream">The model's bytes.</param>
    /// <param name="name">What the error messages call the model, such as its file name.</param>
    /// <param name="output">The graph output to import, as <see cref="Load(string, string?)"/> takes it.</param>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model Nabla can import; the message names the node and what is not supported.</exception>
    public static OnnxImportedModel Load(Stream stream, string name = "the ONNX model", string? output = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var (model, graph) = OnnxModelReader.Read(OnnxModelReader.ReadAll(stream, name), name, output);
        var layers = LayerChain.Read(graph);
        var (modules, inputShape, outputShape, readsTokenIds) = NetworkAssembly.Build(graph, layers);
        var network = new Sequential(modules);
        network.Eval();
        string producer = $"{model.ProducerName} {model.ProducerVersion}".Trim();
        return new OnnxImportedModel(network, inputShape, outputShape, graph.Input.Name, graph.Output.Name, readsTokenIds, name, producer.Length == 0 ? "unknown" : producer);
    }
}
