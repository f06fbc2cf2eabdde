using System.Globalization;
using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Onnx.Import;

namespace Nabla.Onnx;

/// <summary>
/// A network read from an ONNX file by <see cref="OnnxImport"/>: a Nabla <see cref="Sequential"/> with the file's
/// weights, which runs (<see cref="Module.Forward"/>), trains (gradients flow through Nabla's autograd into its
/// parameters) and saves (<see cref="Module.StateDict"/>, or as a model file with <see cref="ToModelFile"/>), with
/// what the graph declares about its input and output.
/// </summary>
/// <remarks>
/// <para>
/// The network is in evaluation mode, as the exported graph computes: batch norms use their running statistics.
/// Dropout nodes are not kept (they do nothing at inference), so fine-tuning trains without dropout.
/// </para>
/// <para>
/// A text classifier (PyTorch's <c>Embedding(padding_idx=0)</c> → <c>LSTM</c> or <c>GRU</c> → final hidden state →
/// <c>Linear</c>) becomes one <see cref="SequenceClassifier"/>, which takes id 0 as padding: it runs each text up to its
/// last non-zero id, where PyTorch's layer runs over every id it is given. The two agree on texts that do not end in
/// id 0; for a text padded at its end, Nabla gives what PyTorch gives for the text without its padding.
/// </para>
/// </remarks>
public sealed class OnnxImportedModel
{
    private readonly string _source;
    private readonly string _producer;

    internal OnnxImportedModel(Sequential network, int[] inputShape, int[] outputShape, string inputName, string outputName, bool readsTokenIds,
        string source, string producer)
    {
        Network = network;
        InputShape = inputShape;
        OutputShape = outputShape;
        InputName = inputName;
        OutputName = outputName;
        ReadsTokenIds = readsTokenIds;
        _source = source;
        _producer = producer;
        var modules = network.ToList();
        EndsInSoftmax = ImportedArchitecture.EndsInSoftmax(modules);
        (Architecture, ArchitectureProblem) = ImportedArchitecture.Of(modules, inputShape);
    }

    /// <summary>The network, one module per layer of the graph, in evaluation mode.</summary>
    public Sequential Network { get; }

    /// <summary>The shape of one sample (the graph input's dimensions after the batch's), e.g. [30] or [1, 28, 28].</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>The shape of one sample's output, e.g. [10].</summary>
    public IReadOnlyList<int> OutputShape { get; }

    /// <summary>The name of the graph's input.</summary>
    public string InputName { get; }

    /// <summary>The name of the graph's output.</summary>
    public string OutputName { get; }

    /// <summary>Whether the network reads token ids (give it Int32 ids; the graph's Int64 ids are read as Int32) rather than Float32 numbers.</summary>
    public bool ReadsTokenIds { get; }

    /// <summary>Whether the last layer is a Softmax or LogSoftmax, so the outputs are class probabilities or their logarithms.</summary>
    public bool EndsInSoftmax { get; }

    /// <summary>
    /// The network as a Nabla model file describes it, when each layer has a model-file form; null otherwise (see
    /// <see cref="ArchitectureProblem"/>). A last Softmax or LogSoftmax is left out (a classifier's file gives the softmax
    /// of its outputs, the same with or without it), and a linear layer or convolution without bias gets a zero one.
    /// </summary>
    public ModelArchitecture? Architecture { get; }

    /// <summary>Why <see cref="Architecture"/> is null (the layer and what its model-file form lacks), or null when there is one.</summary>
    public string? ArchitectureProblem { get; }

    /// <summary>
    /// The network as a Nabla model file, ready to <see cref="ModelFile.Save(string)"/>: the <see cref="Architecture"/> with
    /// the network's current weights (after any fine-tuning), and the task and classes the caller gives, which the ONNX
    /// graph does not hold. The file's training summary names the ONNX file and the program that wrote it.
    /// </summary>
    /// <param name="task">What the network predicts.</param>
    /// <param name="classes">For classification, the class labels in output order, one per output; null for regression.</param>
    /// <param name="preprocessing">The data preparation as a JSON object (see <see cref="Preprocessor"/>; what <c>nabla predict</c> needs to read data files), or null.</param>
    /// <exception cref="InvalidOperationException">The network has no model-file form (<see cref="ArchitectureProblem"/> says why).</exception>
    /// <exception cref="ArgumentException">Regression is asked of a network that ends in a softmax, or the classes do not fit the outputs, or the preprocessing is not a JSON object.</exception>
    public ModelFile ToModelFile(ModelTask task, IReadOnlyList<string>? classes = null, string? preprocessing = null)
    {
        if (Architecture is null) throw new InvalidOperationException($"{_source}: the network cannot be saved as a Nabla model file: {ArchitectureProblem}.");
        if (task == ModelTask.Regression && EndsInSoftmax)
            throw new ArgumentException($"{_source}: the network ends in {Network[^1].GetType().Name}, so its outputs are class probabilities: save it as a classifier, with its classes.", nameof(task));
        var file = Architecture.Build(DType.Float32, ModuleWeights.Discarded);
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in file.StateDict())
        {
            int dot = name.IndexOf('.', StringComparison.Ordinal);
            var layer = Network[int.Parse(name[..dot], CultureInfo.InvariantCulture)].StateDict();
            state[name] = layer.TryGetValue(name[(dot + 1)..], out var weights) ? weights : Tensor.Zeros([.. tensor.Shape]);
        }
        file.LoadStateDict(state);
        var training = new Dictionary<string, string>(StringComparer.Ordinal) { ["imported_from"] = Path.GetFileName(_source), ["producer"] = _producer };
        return new ModelFile(Architecture, file, task, classes, preprocessing, training: training);
    }
}
