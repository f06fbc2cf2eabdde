using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.IO;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Models;

/// <summary>
/// A trained model as one <c>.safetensors</c> file, whatever the model: a network (its tensors under
/// their state names, its architecture in the metadata) or a fitted estimator (its learnt arrays
/// such as "coef" and "intercept" as tensors, its settings in the metadata). The header's
/// <c>__metadata__</c> also holds what is needed to use it: the task, the class labels and their
/// type, the data preparation, the metrics and a training summary. Any safetensors reader can open
/// the tensors; a loaded file of any kind predicts (<see cref="Predict"/>).
/// </summary>
/// <remarks>
/// <para>
/// The metadata keys of format version 2 are "format" ("nabla-model"), "format_version" ("2"),
/// "nabla_version", "model" (<see cref="Kind"/>: "network", or the estimator's kind, one of
/// <see cref="Kinds"/>), then for a network "architecture" (<see cref="ModelArchitecture.ToJson"/>),
/// for an estimator "settings" (its constructor's arguments by scikit-learn's names, enums in
/// snake_case) and "fitted" (what the fit learnt besides the arrays: "n_features_in", and counters
/// such as "n_iter"), then for every model "task" ("classification" or "regression"), "classes" (a
/// JSON array of strings, or "null"), "class_type" (the labels' C# type, "string", "int", "long",
/// "bool", "double", …, or "null"), "preprocessing" (a JSON object, or "null"), "metrics" (a JSON
/// object of numbers; "NaN", "Infinity" and "-Infinity" as strings) and "training" (a JSON object of
/// strings). Each value is JSON text inside a string, because safetensors metadata maps strings to
/// strings. Files of format version 1 (networks, without "model" and "class_type") still load.
/// </para>
/// <para>
/// <see cref="Load"/> trusts nothing and checks, in order: the safetensors layout, the format and its
/// version, the kind, the task and classes, the other metadata, then for a network the architecture
/// and that the tensors are exactly its own, with their shapes and types; for an estimator every
/// setting (its type, and its range as the estimator's constructor checks it; an unknown one is
/// refused), every fitted value, and that the tensors are exactly the estimator's, each with the
/// type and the shape the settings, the number of features and the classes give. Any problem is one
/// <see cref="ModelFileException"/> naming the file; loading never runs code, and allocates no more
/// than the file holds.
/// </para>
/// <code>
/// var model = new LogisticRegression().Fit(X, species);       // species: string[]
/// ModelFile.Save(model, "iris.safetensors");
/// var loaded = ModelFile.Load("iris.safetensors");
/// string[] predicted = loaded.PredictLabels&lt;string&gt;(X);   // loaded.Estimator is a LogisticRegression
/// Tensor? probabilities = loaded.PredictProbabilities(X);
/// </code>
/// </remarks>
public sealed class ModelFile
{
    /// <summary>The value of the "format" metadata key.</summary>
    public const string Format = "nabla-model";

    /// <summary>The value of the "format_version" metadata key this library writes; it reads this one and version 1 (networks).</summary>
    public const string FormatVersion = "2";

    /// <summary>The value of the "model" metadata key, <see cref="Kind"/>, for a network.</summary>
    public const string NetworkKind = NetworkContent.KindName;

    /// <summary>The most rows <see cref="Predict"/> runs through a network at once, so memory stays bounded; fewer when <see cref="MemoryLimit"/> allows fewer.</summary>
    public const int PredictBatchSize = 1024;

    private const string FirstFormatVersion = "1";

    private readonly ModelContent _content;

    /// <summary>Puts a trained network and what describes it together, ready to <see cref="Save(string)"/>.</summary>
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
        : this(NetworkOf(architecture, network, task), classes, classes is null ? null : "string", preprocessing, metrics, training, CurrentNablaVersion, Invalid)
    {
    }

    /// <summary>
    /// Puts a copy of a fitted estimator's state and what describes it together, ready to
    /// <see cref="Save(string)"/>: <see cref="LinearRegression"/>, <see cref="Ridge"/>,
    /// <see cref="LogisticRegression"/>, <see cref="SgdRegressor"/>, <see cref="SgdClassifier"/>,
    /// <see cref="LinearSvc"/>, <see cref="MlpRegressor"/> or <see cref="MlpClassifier"/>. The task and
    /// classes are the estimator's; later fits of the estimator do not change this file.
    /// </summary>
    /// <param name="estimator">The fitted estimator.</param>
    /// <param name="preprocessing">The data preparation as a JSON object (a <see cref="Preprocessor"/>'s, for the command line to read data files), or null.</param>
    /// <param name="metrics">Evaluation results by name (accuracy, r2, ...), or null for none.</param>
    /// <param name="training">A summary of the training run by name, or null for none.</param>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ArgumentException">The estimator cannot be saved: its labels are of a type a file cannot hold (an enum, ...), or an MLP normalises batches; or the preprocessing is not a JSON object.</exception>
    public ModelFile(Estimator estimator, string? preprocessing = null, IReadOnlyDictionary<string, double>? metrics = null,
        IReadOnlyDictionary<string, string>? training = null)
        : this(EstimatorContent.Of(estimator ?? throw new ArgumentNullException(nameof(estimator))), preprocessing, metrics, training)
    {
    }

    /// <summary>
    /// Puts a copy of a fitted recommender's state (<see cref="MatrixFactorization"/> or
    /// <see cref="ImplicitMatrixFactorization"/>) and what describes it together, ready to
    /// <see cref="Save(string)"/>; a regression model of (user, item) pairs, predicting their scores.
    /// </summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="preprocessing">The data preparation as a JSON object, or null.</param>
    /// <param name="metrics">Evaluation results by name (rmse, ndcg@10, ...), or null for none.</param>
    /// <param name="training">A summary of the training run by name, or null for none.</param>
    /// <exception cref="InvalidOperationException">The model is not fitted yet.</exception>
    /// <exception cref="ArgumentException">The preprocessing is not a JSON object, or the recommender is of a class of one's own, which a file cannot hold.</exception>
    public ModelFile(IRecommender model, string? preprocessing = null, IReadOnlyDictionary<string, double>? metrics = null,
        IReadOnlyDictionary<string, string>? training = null)
        : this(EstimatorContent.Of(model ?? throw new ArgumentNullException(nameof(model))), preprocessing, metrics, training)
    {
    }

    private ModelFile(EstimatorContent content, string? preprocessing, IReadOnlyDictionary<string, double>? metrics, IReadOnlyDictionary<string, string>? training)
        : this(content, content.State.Classes?.Labels, content.State.Classes?.Type, preprocessing, metrics, training, CurrentNablaVersion, Invalid)
    {
    }

    private ModelFile(ModelContent content, IReadOnlyList<string>? classes, string? classType, string? preprocessing,
        IReadOnlyDictionary<string, double>? metrics, IReadOnlyDictionary<string, string>? training, string nablaVersion, Func<string, Exception> invalid)
    {
        if (content is NetworkContent && ClassesProblem(content.Task, classes, content.Outputs) is { } classProblem) throw invalid(classProblem);
        if (preprocessing is not null && !ModelMetadata.IsJsonObject(preprocessing)) throw invalid("the preprocessing is not a JSON object");
        _content = content;
        Classes = classes is null ? null : [.. classes];
        ClassType = classType;
        Preprocessing = preprocessing;
        Metrics = new Dictionary<string, double>(metrics ?? new Dictionary<string, double>(), StringComparer.Ordinal);
        Training = new Dictionary<string, string>(training ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        NablaVersion = nablaVersion;
    }

    /// <summary>The version of this Nabla library (its informational version without build metadata), written into every saved file.</summary>
    public static string CurrentNablaVersion => LibraryVersion.Current;

    /// <summary>Every value of the "model" metadata key: "network", then the estimators' kinds.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [NetworkKind, .. EstimatorKinds.Names];

    /// <summary>
    /// What the file holds: "network", or an estimator's kind: "linear_regression", "ridge",
    /// "logistic_regression", "sgd_regressor", "sgd_classifier", "linear_svc", "mlp_regressor",
    /// "mlp_classifier", "matrix_factorization" or "implicit_matrix_factorization".
    /// </summary>
    public string Kind => _content.Kind;

    /// <summary>The network's architecture; null for an estimator.</summary>
    public ModelArchitecture? Architecture => (_content as NetworkContent)?.Architecture;

    /// <summary>The network, built from <see cref="Architecture"/>, with the trained weights; null for an estimator.</summary>
    public Sequential? Network => (_content as NetworkContent)?.Network;

    /// <summary>
    /// The fitted estimator (a <see cref="LinearRegression"/>, ..., <see cref="MatrixFactorization"/>, <see cref="ImplicitMatrixFactorization"/>,
    /// as <see cref="Kind"/> says), rebuilt from the file's state; null for a network. A classifier's
    /// labels are of the type it was fitted with: <c>((LogisticRegression)file.Estimator!).Predict&lt;int&gt;(X)</c>.
    /// </summary>
    public object? Estimator => (_content as EstimatorContent)?.Estimator;

    /// <summary>An estimator's settings, its constructor's arguments by scikit-learn's names, as a JSON object; null for a network.</summary>
    public string? Settings => (_content as EstimatorContent)?.State.Settings;

    /// <summary>What the model predicts.</summary>
    public ModelTask Task => _content.Task;

    /// <summary>The class labels in output order as text, for classification; null for regression.</summary>
    public IReadOnlyList<string>? Classes { get; }

    /// <summary>The labels' type by its C# name ("string" for a network; "int", "long", "bool", "double", ... as an estimator was fitted with), for classification; null for regression.</summary>
    public string? ClassType { get; }

    /// <summary>The shape of one sample of features: the network's input shape, [features] for an estimator, [2] (user, item) for a recommender.</summary>
    public IReadOnlyList<int> InputShape => _content.InputShape;

    /// <summary>The number of learnt numbers: the network's trainable parameters, or the estimator's weights, intercepts, biases and factors.</summary>
    public long ParameterCount => _content.ParameterCount;

    /// <summary>The values a regression model predicts for a sample, or a classifier's number of classes.</summary>
    public int Outputs => _content.Outputs;

    /// <summary>The data preparation as a JSON object, written and read by the data-preparation code; null when there is none.</summary>
    public string? Preprocessing { get; }

    /// <summary>Evaluation results by name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>A summary of the training run by name: model, optimizer, epochs, learning rate, batch size, seed, samples, seconds, data.</summary>
    public IReadOnlyDictionary<string, string> Training { get; }

    /// <summary>The version of the Nabla library that made the model: <see cref="CurrentNablaVersion"/> for a new one, the file's for a loaded one.</summary>
    public string NablaVersion { get; }

    /// <summary>
    /// The most memory a network's predictions may take (<see cref="NetworkMemory.InferenceBytes"/>): <see cref="Predict"/>
    /// runs as many rows at once as fit, and refuses when a single row does not; <see cref="MemoryLimit.Default"/> unless set.
    /// An estimator predicts all the rows at once and does not use it.
    /// </summary>
    public MemoryLimit MemoryLimit
    {
        get => _memoryLimit;
        set => _memoryLimit = value ?? throw new ArgumentNullException(nameof(value));
    }

    private MemoryLimit _memoryLimit = MemoryLimit.Default;

    /// <summary>Fails when running the model on one row would need more than <see cref="MemoryLimit"/>, before any data is read.</summary>
    /// <exception cref="InsufficientMemoryException">One row does not fit; the message names the layer that needs the most and the limit's setting.</exception>
    internal void RequireMemoryForOneRow() => _content.RequireMemory(MemoryLimit);

    /// <summary>Writes the model to <paramref name="path"/> as one safetensors file, atomically (the old file stays whole if anything fails).</summary>
    /// <exception cref="InvalidOperationException">The network was changed since and no longer matches the architecture.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var tensors = _content.TensorsToSave();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["format_version"] = FormatVersion,
            ["nabla_version"] = NablaVersion,
            ["model"] = Kind,
        };
        _content.AddMetadata(metadata);
        metadata["task"] = ModelMetadata.TaskNames[Task];
        metadata["classes"] = Classes is null ? "null" : JsonSerializer.Serialize(Classes);
        metadata["class_type"] = ClassType ?? "null";
        metadata["preprocessing"] = Preprocessing ?? "null";
        metadata["metrics"] = ModelMetadata.MetricsJson(Metrics);
        metadata["training"] = JsonSerializer.Serialize(Training);
        Safetensors.Write(path, tensors, metadata);
    }

    /// <summary>Writes a fitted estimator to <paramref name="path"/> as a model file, atomically: <c>new ModelFile(estimator).Save(path)</c>.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ArgumentException">The estimator cannot be saved (see <see cref="ModelFile(Estimator, string?, IReadOnlyDictionary{string, double}?, IReadOnlyDictionary{string, string}?)"/>).</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Save(Estimator estimator, string path) => new ModelFile(estimator).Save(path);

    /// <summary>Writes a fitted recommender (<see cref="MatrixFactorization"/>, <see cref="ImplicitMatrixFactorization"/>) to <paramref name="path"/> as a model file, atomically: <c>new ModelFile(model).Save(path)</c>.</summary>
    /// <exception cref="InvalidOperationException">The model is not fitted yet.</exception>
    /// <exception cref="ArgumentException">The recommender is of a class of one's own, which a file cannot hold.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Save(IRecommender model, string path) => new ModelFile(model).Save(path);

    /// <summary>Reads and checks a model file of any kind, and builds its network or estimator.</summary>
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
        if (version is not (FirstFormatVersion or FormatVersion))
        {
            throw Invalid(int.TryParse(version, out int number) && number > int.Parse(FormatVersion)
                ? $"its format version is \"{version}\", newer than this Nabla reads ({FirstFormatVersion} and {FormatVersion}); it was written by Nabla {(metadata.TryGetValue("nabla_version", out var v) ? v : "?")}: update Nabla to load it"
                : $"its format version is \"{version}\"; this Nabla reads versions {FirstFormatVersion} and {FormatVersion}");
        }
        bool first = version == FirstFormatVersion;
        // A trained model's values are finite; one NaN or infinity would make every prediction NaN.
        foreach (var (name, tensor) in content.Tensors)
            if (NonFiniteValue.First(tensor) is var (at, value))
                throw Invalid($"tensor \"{name}\" holds {value.ToString(CultureInfo.InvariantCulture)} at element {at}; a trained model's values are all finite");
        string nablaVersion = Entry("nabla_version");
        // Version 1 held networks only, and their classes were text.
        string kind = first ? NetworkKind : Entry("model");
        var task = ModelMetadata.ReadTask(Entry("task"), Invalid);
        var classes = ModelMetadata.ReadClasses(Entry("classes"), Invalid);
        string? classType = first ? (classes is null ? null : "string") : Entry("class_type");
        if (classType == "null") classType = null;
        string preprocessingText = Entry("preprocessing");
        string? preprocessing = preprocessingText == "null" ? null : preprocessingText;
        var metrics = ModelMetadata.ReadMetrics(Entry("metrics"), Invalid);
        var training = ModelMetadata.ReadTraining(Entry("training"), Invalid);

        ModelContent model;
        try
        {
            model = kind == NetworkKind
                ? LoadNetwork(Entry("architecture"), content.Tensors, task, classType, Invalid)
                : LoadEstimator(kind, task, classes, classType, Entry, content.Tensors, Invalid);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException($"{path}: not a valid Nabla model file: {e.Message.TrimEnd('.')}.", e);
        }
        return new ModelFile(model, classes, model is NetworkContent && classes is not null ? "string" : classType, preprocessing, metrics, training, nablaVersion, Invalid);
    }

    /// <summary>
    /// The model's raw outputs for rows of features: a network's, in evaluation mode (no dropout,
    /// BatchNorm's running statistics), without recording gradients, as many rows at a time as fit in
    /// <see cref="MemoryLimit"/>, at most <see cref="PredictBatchSize"/> (logits for classification,
    /// values for regression); an estimator's Float64
    /// predictions as it gives them: a regressor's values ((rows) or (rows, targets), as fitted), a
    /// linear classifier's decision function, an MLP classifier's probabilities, a matrix
    /// factorization's ratings (rows).
    /// </summary>
    /// <param name="features">Rows of shape [rows, ...<see cref="InputShape"/>]; converted to the model's element type. For matrix factorization, (user id, item id) rows of whole numbers.</param>
    /// <exception cref="ShapeMismatchException">The features do not have the model's per-sample shape.</exception>
    /// <exception cref="ArgumentException">An estimator's features are empty or not finite, or a matrix factorization's ids not whole numbers.</exception>
    /// <exception cref="InsufficientMemoryException">A network's parameters and the activations of a single row need more than <see cref="MemoryLimit"/>.</exception>
    /// <remarks>Not for concurrent use with training or another prediction on the same network: it switches the network to evaluation mode for the call.</remarks>
    public Tensor Predict(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return _content.Predict(features, MemoryLimit);
    }

    /// <summary>The predicted class of each row as its index in <see cref="Classes"/>: Int32 [rows] (a network's largest output).</summary>
    /// <exception cref="InvalidOperationException">The model is a regression model.</exception>
    /// <exception cref="ShapeMismatchException">The features do not have the model's per-sample shape.</exception>
    public Tensor PredictClassIndices(Tensor features) => Classify(features, nameof(PredictClassIndices)).Indices;

    /// <summary>
    /// The probability of each class for each row, [rows, classes], columns in the order of <see cref="Classes"/>:
    /// a network's softmax (Float32), an estimator's <c>PredictProba</c> (Float64); null for a classifier
    /// without probabilities (<see cref="LinearSvc"/>, <see cref="SgdClassifier"/> with a loss that has none).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is a regression model.</exception>
    /// <exception cref="ShapeMismatchException">The features do not have the model's per-sample shape.</exception>
    public Tensor? PredictProbabilities(Tensor features) => Classify(features, nameof(PredictProbabilities)).Probabilities;

    /// <summary>The predicted class label of each row, as <see cref="Classes"/> writes it.</summary>
    /// <exception cref="InvalidOperationException">The model is a regression model.</exception>
    /// <exception cref="ShapeMismatchException">The features do not have the model's per-sample shape.</exception>
    public string[] PredictLabels(Tensor features)
    {
        var indices = Classify(features, nameof(PredictLabels)).Indices;
        return [.. indices.ToArray<int>().Select(i => Classes![i])];
    }

    /// <summary>The predicted class label of each row, of the type the classifier was fitted with (<see cref="ClassType"/>; string for a network).</summary>
    /// <exception cref="InvalidOperationException">The model is a regression model, or its labels are of another type than <typeparamref name="TLabel"/>.</exception>
    /// <exception cref="ShapeMismatchException">The features do not have the model's per-sample shape.</exception>
    public TLabel[] PredictLabels<TLabel>(Tensor features) where TLabel : notnull
    {
        if (Estimator is IClassifier classifier) return classifier.Predict<TLabel>(features);
        if (typeof(TLabel) != typeof(string) && Task == ModelTask.Classification)
            throw new InvalidOperationException($"ModelFile: a network's classes are strings, asked for {typeof(TLabel).Name}; call PredictLabels<string>.");
        return (TLabel[])(object)PredictLabels(features);
    }

    /// <summary>The raw outputs, classes and probabilities of rows prepared for the model, in one pass.</summary>
    internal (Tensor Outputs, Tensor Indices, Tensor? Probabilities) Classify(Tensor features, string member)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (Task != ModelTask.Classification)
            throw new InvalidOperationException($"ModelFile.{member}: the {Kind} is a regression model; it predicts values (Predict), not classes.");
        return _content.Classify(features, MemoryLimit);
    }

    /// <summary>Rows prepared as [rows, ...sample shape] viewed in <see cref="InputShape"/>, when the two hold as many values.</summary>
    /// <exception cref="ShapeMismatchException">The rows hold another number of values than the model reads.</exception>
    internal Tensor ViewAsInput(Tensor rows) => _content.ViewAsInput(rows);

    private static ArgumentException Invalid(string problem) => new($"ModelFile: {problem}.");

    private static NetworkContent NetworkOf(ModelArchitecture architecture, Sequential network, ModelTask task)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(network);
        if (!Enum.IsDefined(task)) throw Invalid($"task {(int)task} is neither classification nor regression");
        return new NetworkContent(architecture, network, task, Invalid);
    }

    private static NetworkContent LoadNetwork(string architectureJson, IReadOnlyDictionary<string, Tensor> tensors, ModelTask task, string? classType,
        Func<string, Exception> invalid)
    {
        if (classType is not (null or "string")) throw invalid($"its class type is \"{classType}\", but a network's classes are strings");
        return NetworkContent.Load(ModelArchitecture.FromJson(architectureJson), tensors, task, invalid);
    }

    private static EstimatorContent LoadEstimator(string kind, ModelTask task, List<string>? classes, string? classType, Func<string, string> entry,
        IReadOnlyDictionary<string, Tensor> tensors, Func<string, Exception> invalid)
    {
        if (!EstimatorKinds.Names.Contains(kind, StringComparer.Ordinal))
            throw invalid($"its model is \"{kind}\", which this Nabla does not know; the kinds are {string.Join(", ", Kinds)}");
        var expected = EstimatorKinds.IsClassifier(kind) ? ModelTask.Classification : ModelTask.Regression;
        if (task != expected)
            throw invalid($"its task is \"{ModelMetadata.TaskNames[task]}\", but a {kind} model does {ModelMetadata.TaskNames[expected]}");
        if (task == ModelTask.Regression && classes is not null) throw invalid("a regression model has no classes, but classes were given");
        if ((classes is null) != (classType is null))
            throw invalid(classes is null ? $"it has a \"class_type\" ({classType}) but no classes" : "its classes have no \"class_type\"");
        var state = new EstimatorState(kind, entry("settings"), entry("fitted"), tensors, classes is null ? null : new ClassesText(classType!, classes));
        return EstimatorContent.Load(state);
    }

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
}
