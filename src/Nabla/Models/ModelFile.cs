using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Nabla.Data;
using Nabla.IO;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Models;

/// <summary>
/// A trained model as one <c>.safetensors</c> file: the network's tensors under their state names,
/// and in the header's <c>__metadata__</c> everything needed to use it: the architecture, the task,
/// the class labels, the data preparation, the metrics and a training summary.
/// </summary>
/// <remarks>
/// <para>
/// The metadata keys are "format" ("nabla-model"), "format_version" ("1"), "nabla_version",
/// "architecture" (<see cref="ModelArchitecture.ToJson"/>), "task" ("classification" or
/// "regression"), "classes" (a JSON array of strings, or "null"), "preprocessing" (a JSON object, or
/// "null"), "metrics" (a JSON object of numbers; "NaN", "Infinity" and "-Infinity" as strings) and
/// "training" (a JSON object of strings). Each value is JSON text inside a string, because safetensors
/// metadata maps strings to strings. Any safetensors reader can open the weights.
/// </para>
/// <para>
/// <see cref="Load"/> trusts nothing and checks, in order: the safetensors layout, the format and its
/// version, the architecture, the task and classes, the other metadata, and that the tensors are
/// exactly those of the architecture, with their shapes and types. Any problem is one
/// <see cref="ModelFileException"/> naming the file; loading never runs code.
/// </para>
/// </remarks>
public sealed class ModelFile
{
    /// <summary>The value of the "format" metadata key.</summary>
    public const string Format = "nabla-model";

    /// <summary>The value of the "format_version" metadata key this library writes and reads.</summary>
    public const string FormatVersion = "1";

    /// <summary>The most rows <see cref="Predict"/> runs through the network at once, so memory stays bounded.</summary>
    public const int PredictBatchSize = 1024;

    private readonly DType _dtype;

    /// <summary>Puts a trained network and what describes it together, ready to <see cref="Save"/>.</summary>
    /// <param name="architecture">The architecture <paramref name="network"/> was built from.</param>
    /// <param name="network">The trained network; its state must be exactly the architecture's.</param>
    /// <param name="task">What the model predicts.</param>
    /// <param name="classes">For classification, the class labels in output order (one per output, distinct, non-empty); null for regression.</param>
    /// <param name="preprocessing">The data preparation as a JSON object (opaque here; the data-preparation code reads it), or null.</param>
    /// <param name="metrics">Evaluation results by name (accuracy, r2, ...), or null for none.</param>
    /// <param name="training">A summary of the training run by name (model, optimizer, epochs, learning rate, seed, ...), or null for none.</param>
    /// <exception cref="ArgumentException">The network does not match the architecture, the classes do not fit the task, or the preprocessing is not a JSON object; the message says which.</exception>
    public ModelFile(ModelArchitecture architecture, Sequential network, ModelTask task, IReadOnlyList<string>? classes = null,
        string? preprocessing = null, IReadOnlyDictionary<string, double>? metrics = null, IReadOnlyDictionary<string, string>? training = null)
        : this(architecture, network, task, classes, preprocessing, metrics, training, CurrentNablaVersion, problem => new ArgumentException($"ModelFile: {problem}."))
    {
    }

    private ModelFile(ModelArchitecture architecture, Sequential network, ModelTask task, IReadOnlyList<string>? classes, string? preprocessing,
        IReadOnlyDictionary<string, double>? metrics, IReadOnlyDictionary<string, string>? training, string nablaVersion, Func<string, Exception> invalid)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(network);
        if (!Enum.IsDefined(task)) throw invalid($"task {(int)task} is neither classification nor regression");
        if (ClassesProblem(task, classes, architecture.OutputSize) is { } classProblem) throw invalid(classProblem);
        if (preprocessing is not null && !IsJsonObject(preprocessing)) throw invalid("the preprocessing is not a JSON object");
        _dtype = CheckNetwork(architecture, network, invalid);
        Architecture = architecture;
        Network = network;
        Task = task;
        Classes = classes is null ? null : [.. classes];
        Preprocessing = preprocessing;
        Metrics = new Dictionary<string, double>(metrics ?? new Dictionary<string, double>(), StringComparer.Ordinal);
        Training = new Dictionary<string, string>(training ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        NablaVersion = nablaVersion;
    }

    /// <summary>The version of this Nabla library (its informational version without build metadata), written into every saved file.</summary>
    public static string CurrentNablaVersion { get; } =
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ModelFile).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The network's architecture.</summary>
    public ModelArchitecture Architecture { get; }

    /// <summary>The network, built from <see cref="Architecture"/>, with the trained weights.</summary>
    public Sequential Network { get; }

    /// <summary>What the model predicts.</summary>
    public ModelTask Task { get; }

    /// <summary>The class labels in output order, for classification; null for regression.</summary>
    public IReadOnlyList<string>? Classes { get; }

    /// <summary>The data preparation as a JSON object, written and read by the data-preparation code; null when there is none.</summary>
    public string? Preprocessing { get; }

    /// <summary>Evaluation results by name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>A summary of the training run by name: model, optimizer, epochs, learning rate, batch size, seed, samples, seconds, data.</summary>
    public IReadOnlyDictionary<string, string> Training { get; }

    /// <summary>The version of the Nabla library that made the model: <see cref="CurrentNablaVersion"/> for a new one, the file's for a loaded one.</summary>
    public string NablaVersion { get; }

    /// <summary>Writes the model to <paramref name="path"/> as one safetensors file, atomically (the old file stays whole if anything fails).</summary>
    /// <exception cref="InvalidOperationException">The network was changed since and no longer matches the architecture.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckNetwork(Architecture, Network, problem => new InvalidOperationException($"ModelFile.Save: {problem}."));
        var state = Network.StateDict();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["format_version"] = FormatVersion,
            ["nabla_version"] = NablaVersion,
            ["architecture"] = Architecture.ToJson(),
            ["task"] = TaskNames[Task],
            ["classes"] = Classes is null ? "null" : JsonSerializer.Serialize(Classes),
            ["preprocessing"] = Preprocessing ?? "null",
            ["metrics"] = MetricsJson(Metrics),
            ["training"] = JsonSerializer.Serialize(Training),
        };
        Safetensors.Write(path, state, metadata);
    }

    /// <summary>Reads and checks a model file, and builds its network with the saved weights.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileException">The file is not a valid Nabla model file; the message names the file and the problem.</exception>
    public static ModelFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafetensorsContent content;
        try
        {
            content = Safetensors.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException(e.Message, e);
        }
        var metadata = content.Metadata;
        ModelFileException Invalid(string problem) => new($"{path}: not a valid Nabla model file: {problem}.");
        string Entry(string key) => metadata.TryGetValue(key, out var value) ? value : throw Invalid($"its metadata has no \"{key}\"");

        string format = metadata.TryGetValue("format", out var f) ? f : throw Invalid("its metadata has no \"format\": it is a safetensors file but not a Nabla model");
        if (format == TrainingCheckpointFormat.FormatName)
            throw Invalid($"it is a training checkpoint (format \"{format}\"); load it with TrainingCheckpoint.Load, or continue its run with nabla train --resume");
        if (format != Format) throw Invalid($"its format is \"{format}\", expected \"{Format}\"");
        string version = Entry("format_version");
        if (version != FormatVersion) throw Invalid($"its format version is \"{version}\"; this Nabla reads version {FormatVersion}");
        string nablaVersion = Entry("nabla_version");
        ModelArchitecture architecture;
        try
        {
            architecture = ModelArchitecture.FromJson(Entry("architecture"));
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException($"{path}: not a valid Nabla model file: {e.Message}", e);
        }
        string taskName = Entry("task");
        var task = TaskNames.FirstOrDefault(t => t.Value == taskName) is { Value: not null } named
            ? named.Key
            : throw Invalid($"its task is \"{taskName}\", expected \"classification\" or \"regression\"");
        var classes = ReadClasses(Entry("classes"), Invalid);
        string preprocessingText = Entry("preprocessing");
        string? preprocessing = preprocessingText == "null" ? null : preprocessingText;
        var metrics = ReadMetrics(Entry("metrics"), Invalid);
        var training = ReadTraining(Entry("training"), Invalid);

        var dtype = CheckState(architecture, content.Tensors, Invalid);
        // The initial weights are overwritten at once; a generator of its own keeps loading a model
        // from advancing Init.DefaultGenerator, which would change what the caller's code draws next.
        var network = architecture.Build(dtype, new Generator(0));
        network.LoadStateDict(content.Tensors);
        return new ModelFile(architecture, network, task, classes, preprocessing, metrics, training, nablaVersion, Invalid);
    }

    /// <summary>
    /// Runs the network on <paramref name="features"/>, in evaluation mode (no dropout, BatchNorm's
    /// running statistics) and without recording gradients, <see cref="PredictBatchSize"/> rows at a time.
    /// </summary>
    /// <param name="features">Rows of shape [rows, ...<see cref="ModelArchitecture.InputShape"/>]; converted to the model's element type.</param>
    /// <returns>The raw outputs, of shape [rows, ...<see cref="ModelArchitecture.OutputShape"/>]: logits for classification, values for regression.</returns>
    /// <exception cref="ShapeMismatchException">The features do not have the architecture's per-sample shape.</exception>
    /// <remarks>Not for concurrent use with training or another prediction on the same model: it switches the network to evaluation mode for the call.</remarks>
    public Tensor Predict(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var shape = features.ShapeArray;
        if (shape.Length != Architecture.InputShape.Count + 1 || !shape.AsSpan(1).SequenceEqual([.. Architecture.InputShape]))
            throw new ShapeMismatchException($"ModelFile.Predict: expects features of shape [rows, {string.Join(", ", Architecture.InputShape)}], got {Shapes.Format(shape)}.");
        int rows = shape[0];
        var output = Tensor.Zeros([rows, .. Architecture.OutputShape], _dtype);
        bool wasTraining = Network.IsTraining;
        Network.Eval();
        try
        {
            using var noGrad = Autograd.NoGrad();
            for (int start = 0; start < rows; start += PredictBatchSize)
            {
                int count = Math.Min(PredictBatchSize, rows - start);
                var batch = (count == rows ? features : features.Slice(0, start, count)).To(_dtype);
                var result = Network.Forward(batch);
                Array.Copy(result.Storage, 0, output.Storage, (long)start * Architecture.OutputSize, (long)count * Architecture.OutputSize);
            }
        }
        finally
        {
            if (wasTraining) Network.Train();
        }
        return output;
    }

    private static readonly IReadOnlyDictionary<ModelTask, string> TaskNames = new Dictionary<ModelTask, string>
    {
        [ModelTask.Classification] = "classification",
        [ModelTask.Regression] = "regression",
    };

    private static string? ClassesProblem(ModelTask task, IReadOnlyList<string>? classes, int outputs)
    {
        if (task == ModelTask.Regression)
            return classes is null ? null : "a regression model has no classes, but classes were given";
        if (classes is null) return "a classification model needs its class labels";
        if (classes.Count != outputs) return $"there are {classes.Count} class labels but the network has {outputs} outputs";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Count; i++)
        {
            if (string.IsNullOrEmpty(classes[i])) return $"class label {i} is empty";
            if (!seen.Add(classes[i])) return $"the class label \"{classes[i]}\" appears twice";
        }
        return null;
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Checks that <paramref name="network"/> is what the architecture builds, module by module with
    /// the same settings, and holds its tensors; returns the weights' type.
    /// </summary>
    private static DType CheckNetwork(ModelArchitecture architecture, Sequential network, Func<string, Exception> invalid)
    {
        if (network.Count != architecture.Layers.Count)
            throw invalid($"the network has {network.Count} modules but the architecture has {architecture.Layers.Count} layers");
        for (int i = 0; i < network.Count; i++)
            if (!architecture.Layers[i].Matches(network[i]))
                throw invalid($"module {i} of the network ({network[i].GetType().Name}) is not the architecture's layer {i}, {architecture.Layers[i].Description}");
        return CheckState(architecture, network.StateDict(), invalid);
    }

    /// <summary>
    /// Checks that <paramref name="state"/> holds exactly the architecture's tensors, with their
    /// shapes, the weights sharing one floating-point type; returns that type.
    /// </summary>
    private static DType CheckState(ModelArchitecture architecture, IReadOnlyDictionary<string, Tensor> state, Func<string, Exception> invalid)
    {
        var expected = architecture.State.ToList();
        var names = expected.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        var missing = expected.Where(t => !state.ContainsKey(t.Name)).Select(t => t.Name).ToList();
        var unexpected = state.Keys.Where(name => !names.Contains(name)).ToList();
        if (missing.Count > 0) problems.Add($"tensors missing for the architecture: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) problems.Add($"tensors the architecture does not have: {string.Join(", ", unexpected)}");
        (string Name, DType DType)? weights = null;
        foreach (var tensor in expected)
        {
            if (!state.TryGetValue(tensor.Name, out var actual)) continue;
            if (!actual.Shape.SequenceEqual(tensor.Shape))
                problems.Add($"tensor \"{tensor.Name}\" has shape {Shapes.Format(actual.ShapeArray)}, the architecture expects {Shapes.Format(tensor.Shape)}");
            if (tensor.IsCounter)
            {
                if (actual.DType != DType.Int32) problems.Add($"tensor \"{tensor.Name}\" is {SafetensorsDType.NameOf(actual.DType)}, expected I32");
            }
            else if (actual.DType == DType.Int32)
                problems.Add($"tensor \"{tensor.Name}\" is I32, expected F32 or F64");
            else if (weights is null)
                weights = (tensor.Name, actual.DType);
            else if (actual.DType != weights.Value.DType)
                problems.Add($"tensor \"{tensor.Name}\" is {SafetensorsDType.NameOf(actual.DType)} but \"{weights.Value.Name}\" is {SafetensorsDType.NameOf(weights.Value.DType)}: a model's weights share one type");
        }
        if (problems.Count > 0) throw invalid(string.Join("; ", problems));
        return weights?.DType ?? DType.Float32;
    }

    private static List<string>? ReadClasses(string text, Func<string, Exception> invalid)
    {
        if (text == "null") return null;
        using var document = ParseMetadataJson("classes", text, JsonValueKind.Array, invalid);
        var classes = new List<string>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw invalid($"its \"classes\" must hold strings, but item {classes.Count} is {item.GetRawText()}");
            classes.Add(item.GetString()!);
        }
        return classes;
    }

    private static Dictionary<string, double> ReadMetrics(string text, Func<string, Exception> invalid)
    {
        using var document = ParseMetadataJson("metrics", text, JsonValueKind.Object, invalid);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var item in document.RootElement.EnumerateObject())
        {
            double value = item.Value.ValueKind switch
            {
                JsonValueKind.Number => item.Value.GetDouble(),
                JsonValueKind.String when item.Value.GetString() is "NaN" or "Infinity" or "-Infinity" => double.Parse(item.Value.GetString()!, CultureInfo.InvariantCulture),
                _ => throw invalid($"its metric \"{item.Name}\" is {item.Value.GetRawText()}, not a number"),
            };
            if (!metrics.TryAdd(item.Name, value)) throw invalid($"its \"metrics\" names \"{item.Name}\" twice");
        }
        return metrics;
    }

    private static Dictionary<string, string> ReadTraining(string text, Func<string, Exception> invalid)
    {
        using var document = ParseMetadataJson("training", text, JsonValueKind.Object, invalid);
        var training = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in document.RootElement.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String) throw invalid($"its training entry \"{item.Name}\" is {item.Value.GetRawText()}, not a string");
            if (!training.TryAdd(item.Name, item.Value.GetString()!)) throw invalid($"its \"training\" names \"{item.Name}\" twice");
        }
        return training;
    }

    private static JsonDocument ParseMetadataJson(string key, string text, JsonValueKind kind, Func<string, Exception> invalid)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw invalid($"its \"{key}\" is not valid JSON ({e.Message})");
        }
        var actual = document.RootElement.ValueKind;
        if (actual == kind) return document;
        document.Dispose();
        throw invalid($"its \"{key}\" is a JSON {actual}, expected {(kind == JsonValueKind.Array ? "an array" : "an object")}");
    }

    private static string MetricsJson(IReadOnlyDictionary<string, double> metrics)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in metrics)
            {
                // JSON has no NaN or infinity; an undefined metric (R² of one sample) is still worth keeping.
                if (double.IsFinite(value)) json.WriteNumber(name, value);
                else json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
