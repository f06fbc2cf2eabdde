using System.Globalization;
using Nabla.Data;
using Nabla.Losses;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Text;

namespace Nabla.Cli;

/// <summary>
/// Builds the network that <c>--model</c>, <c>--hidden</c>, <c>--activation</c>, <c>--dropout</c> and <c>--batch-norm</c> describe, as a
/// <see cref="ModelArchitecture"/> so that it can be saved, with the loss that fits the task.
/// </summary>
internal static class ModelFactory
{
    /// <summary>
    /// Builds the network (mlp or cnn) for <paramref name="data"/>, its weights drawn from the seed,
    /// once its training is known to fit in <see cref="TrainSettings.MemoryLimit"/>.
    /// </summary>
    /// <exception cref="CommandInputException">The CNN gets rows that are not images, or images too small (exit 1); the hidden widths make a
    /// layer too large for one array, or training would need more memory than the limit (exit 2: the options ask for too much).</exception>
    public static TrainableModel Create(TrainSettings settings, TrainingData data)
    {
        var generator = new Generator(settings.Seed);
        bool classification = data.Task == ModelTask.Classification;
        int features = data.Features, outputs = classification ? data.Preprocessor.ClassLabels.Count : 1;
        if (settings.Text is { } text) return TextModel(settings, text, data, generator);
        switch (settings.Model)
        {
            case ModelKind.Mlp:
            {
                string hidden = $"--hidden {string.Join(',', settings.Hidden)}";
                ModelArchitecture architecture;
                try
                {
                    architecture = ModelArchitecture.Mlp(features, settings.Hidden, settings.Activation, outputs, settings.Dropout, settings.BatchNorm);
                }
                catch (ArgumentException e)
                {
                    throw new CommandInputException($"{hidden}: {ErrorHandling.MessageOf(e)}", ExitCodes.Usage);
                }
                RequireMemory(architecture, settings, data, hidden);
                return new TrainableModel(architecture, architecture.Build(generator: generator), classification ? new CrossEntropyLoss() : new MseLoss(),
                    $"{features} → {string.Join(" → ", settings.Hidden)} → {outputs} ({string.Join(", ", HiddenLayers(settings))})");
            }
            case ModelKind.Cnn:
                return Cnn(settings, data, generator);
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Model, "not a network: the linear models are the library's estimators (LinearEstimators).");
        }
    }

    /// <summary>What follows each hidden linear layer of mlp, in order: "batch norm", the activation, "dropout 0.2".</summary>
    private static IEnumerable<string> HiddenLayers(TrainSettings settings)
    {
        if (settings.BatchNorm) yield return "batch norm";
        yield return TrainChoices.Activation.WordOf(settings.Activation);
        if (settings.Dropout > 0) yield return string.Create(CultureInfo.InvariantCulture, $"dropout {settings.Dropout:G6}");
    }

    /// <summary>
    /// Refuses, before the network is built, a training run whose weights, gradients, optimizer state
    /// and batch of activations need more than <c>--memory-limit</c>: a usage error, since the options
    /// ask for it (<paramref name="what"/> names them).
    /// </summary>
    private static void RequireMemory(ModelArchitecture architecture, TrainSettings settings, TrainingData data, string what)
    {
        // Full-batch L-BFGS takes all the training rows at once; no batch is larger than the rows there are.
        int rows = data.XTrain.Size(0);
        int batch = Math.Min(settings.BatchSize ?? rows, rows);
        try
        {
            architecture.Memory().RequireTraining(batch, settings.Optimizer is { } optimizer ? OptimizerFactory.StateBytesPerParameter(optimizer, DType.Float32) : 0, settings.MemoryLimit);
        }
        catch (InsufficientMemoryException e)
        {
            throw new CommandInputException($"{what}: {e.Message}", ExitCodes.Usage);
        }
    }

    /// <summary>Refuses a model that does not fit the task: linear and ridge for regression, logistic, svm and cnn for classes; mlp does either.</summary>
    /// <exception cref="CommandInputException">The model does not fit the task; the message says which models do.</exception>
    public static void RequireTaskFits(ModelKind model, TrainingData data)
    {
        string option = $"--model {TrainChoices.Model.WordOf(model)}";
        string target = data.Preprocessor is Nabla.Data.TabularPreprocessor tabular ? $"the target '{tabular.Target}' of {data.Name}" : $"the labels of {data.Name}";
        if (data.Task == ModelTask.Classification && model is ModelKind.Linear or ModelKind.Ridge)
            throw new CommandInputException($"{option} fits a regression, but {target} is a class (classification); for classes use --model logistic, svm, mlp or cnn, or --task regression for a number target.");
        if (data.Task == ModelTask.Regression && model is ModelKind.Logistic or ModelKind.Svm or ModelKind.Cnn)
            throw new CommandInputException($"{option} is a classifier, but {target} is a number to predict (regression); use --model linear, ridge or mlp, or --task classification for a few whole-number levels.");
    }

    /// <summary>
    /// A text classifier over the rows of vocabulary ids: a recurrent network (lstm, gru, rnn), a bag of embeddings (bow),
    /// or a linear model over the TF-IDF rows (logistic, trained with the cross-entropy; svm, whose weights LinearSvc's solver
    /// gives), whose idf is learnt from the training rows here.
    /// </summary>
    private static TrainableModel TextModel(TrainSettings settings, TextModelSettings text, TrainingData data, Generator generator)
    {
        var preprocessor = (TextPreprocessor)data.Preprocessor;
        int vocabulary = preprocessor.Vocabulary.Count, classes = preprocessor.ClassLabels.Count, length = text.MaxLength;
        string terms = preprocessor.Options.CharNGrams is null ? preprocessor.Options.MaxWordNGram == 1 ? "words" : "words and word pairs" : "words, word pairs and character 3-grams";
        LayerSpec[] layers = settings.Model switch
        {
            ModelKind.Lstm or ModelKind.Gru or ModelKind.Rnn =>
            [
                new SequenceClassifierSpec(settings.Model switch { ModelKind.Lstm => RecurrentLayerKind.Lstm, ModelKind.Gru => RecurrentLayerKind.Gru, _ => RecurrentLayerKind.Rnn },
                    vocabulary, text.EmbeddingDim, text.HiddenSize, text.Layers, text.Bidirectional, SequencePoolingMode.Max, settings.Dropout, classes),
            ],
            ModelKind.Bow => settings.Dropout > 0
                ? [new EmbeddingBagSpec(vocabulary, text.EmbeddingDim), new DropoutSpec(settings.Dropout), new LinearSpec(text.EmbeddingDim, classes)]
                : [new EmbeddingBagSpec(vocabulary, text.EmbeddingDim), new LinearSpec(text.EmbeddingDim, classes)],
            _ => [new TfidfLinearSpec(vocabulary, classes, SublinearTf: true)],
        };
        ModelArchitecture architecture;
        try
        {
            architecture = new ModelArchitecture([length], layers);
        }
        catch (ArgumentException e)
        {
            throw new CommandInputException($"--model {TrainChoices.Model.WordOf(settings.Model)}: {ErrorHandling.MessageOf(e)}", ExitCodes.Usage);
        }
        RequireMemory(architecture, settings, data, $"--model {TrainChoices.Model.WordOf(settings.Model)} with a vocabulary of {vocabulary:N0} terms");
        var network = architecture.Build(generator: generator);
        if (network[0] is TfidfLinear tfidf) tfidf.FitIdf(data.XTrain);
        // svm is fitted by LinearSvc's solver (TrainJob), not by gradient steps on a loss.
        Loss loss = new CrossEntropyLoss();
        string description = string.Create(CultureInfo.InvariantCulture, $"on {terms} of {string.Join(", ", text.Columns)} (up to {length}): {architecture.Layers[0].Description}") +
            (architecture.Layers.Count > 1 ? " → " + string.Join(" → ", architecture.Layers.Skip(1).Select(layer => layer.Description)) : "");
        return new TrainableModel(architecture, network, loss, description);
    }

    private static TrainableModel Cnn(TrainSettings settings, TrainingData data, Generator generator)
    {
        if (data.ImageShape is not var (channels, height, width))
            throw new CommandInputException($"--model cnn needs images (a folder of IDX files, or the built-in digits), but the rows of {data.Name} are plain features; use --model mlp.");
        if (height < 4 || width < 4)
            throw new CommandInputException($"--model cnn needs images of at least 4×4 pixels, but {data.Name} has {height}×{width}.");
        int classes = data.Preprocessor.ClassLabels.Count;
        var architecture = ModelArchitecture.Cnn(channels, height, width, classes);
        RequireMemory(architecture, settings, data, string.Create(CultureInfo.InvariantCulture, $"--model cnn on {channels}×{height}×{width} images"));
        int flat = architecture.Layers.OfType<LinearSpec>().Single().InFeatures;
        string description = string.Create(CultureInfo.InvariantCulture,
            $"{channels}×{height}×{width} → conv 3×3 (16) → max-pool → conv 3×3 (32) → max-pool → {flat} → {classes} (relu)");
        return new TrainableModel(architecture, architecture.Build(generator: generator), new CrossEntropyLoss(), description);
    }
}
