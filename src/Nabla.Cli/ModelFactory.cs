using System.Globalization;
using Nabla.Losses;
using Nabla.NN;

namespace Nabla.Cli;

/// <summary>Builds the network that <c>--model</c>, <c>--hidden</c> and <c>--activation</c> describe, for a classification task.</summary>
internal static class ModelFactory
{
    /// <summary>Output channels of the CNN's two convolutions; 3×3 kernels with padding 1 keep the size, each 2×2 max-pool halves it.</summary>
    private const int FirstConvChannels = 16, SecondConvChannels = 32;

    /// <summary>Builds the model for <paramref name="data"/>, its weights drawn from the seed.</summary>
    /// <exception cref="CommandInputException">The model does not fit a classification task, or the CNN gets rows that are not images.</exception>
    public static TrainableModel ForClassification(TrainSettings settings, TrainingData data)
    {
        var generator = new Generator(settings.Seed);
        int features = data.Features, classes = data.ClassNames.Count;
        string model = $"--model {OptionWords.Of(settings.Model)}";
        switch (settings.Model)
        {
            case ModelKind.Linear or ModelKind.Ridge:
                throw new CommandInputException($"{model} fits a regression, but the {data.Name} target is a class; for classes use --model logistic, svm, mlp or cnn.");
            case ModelKind.Logistic:
                return new TrainableModel(new Sequential(new Linear(features, classes, generator: generator)), new CrossEntropyLoss(),
                    $"{features} → {classes} (softmax)", TakesImages: false);
            case ModelKind.Svm:
                return new TrainableModel(new Sequential(new Linear(features, classes, generator: generator)), new MultiMarginLoss(),
                    $"{features} → {classes} (multi-class hinge)", TakesImages: false);
            case ModelKind.Mlp:
            {
                var network = new Sequential();
                AddDenseLayers(network, features, classes, settings, generator);
                return new TrainableModel(network, new CrossEntropyLoss(),
                    $"{features} → {Widths(settings.Hidden)} → {classes} ({OptionWords.Of(settings.Activation)})", TakesImages: false);
            }
            case ModelKind.Cnn:
                return Cnn(settings, data, generator);
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Model, "unknown model kind.");
        }
    }

    private static TrainableModel Cnn(TrainSettings settings, TrainingData data, Generator generator)
    {
        if (data.ImageShape is not var (channels, height, width))
            throw new CommandInputException($"--model cnn needs images, but the rows of {data.Name} are plain features; use --model mlp.");
        const int pool = 2;
        var network = new Sequential(
            new Conv2d(channels, FirstConvChannels, kernelSize: 3, padding: 1, generator: generator),
            Activation(settings.Activation),
            new MaxPool2d(pool),
            new Conv2d(FirstConvChannels, SecondConvChannels, kernelSize: 3, padding: 1, generator: generator),
            Activation(settings.Activation),
            new MaxPool2d(pool),
            new Flatten());
        int flat = SecondConvChannels * (height / pool / pool) * (width / pool / pool);
        if (flat == 0)
            throw new CommandInputException($"--model cnn needs images of at least 4×4 pixels, but {data.Name} has {height}×{width}.");
        int classes = data.ClassNames.Count;
        AddDenseLayers(network, flat, classes, settings, generator);
        string architecture = string.Create(CultureInfo.InvariantCulture,
            $"{channels}×{height}×{width} → conv 3×3 ({FirstConvChannels}) → max-pool → conv 3×3 ({SecondConvChannels}) → max-pool → {flat} → {Widths(settings.Hidden)} → {classes} ({OptionWords.Of(settings.Activation)})");
        return new TrainableModel(network, new CrossEntropyLoss(), architecture, TakesImages: true);
    }

    /// <summary>Appends Linear layers of the hidden widths, each followed by the activation, then the output layer.</summary>
    private static void AddDenseLayers(Sequential network, int inputs, int outputs, TrainSettings settings, Generator generator)
    {
        int width = inputs;
        foreach (int hidden in settings.Hidden)
        {
            network.Add(new Linear(width, hidden, generator: generator));
            network.Add(Activation(settings.Activation));
            width = hidden;
        }
        network.Add(new Linear(width, outputs, generator: generator));
    }

    private static Module Activation(ActivationKind kind) => kind switch
    {
        ActivationKind.Relu => new ReLU(),
        ActivationKind.Tanh => new Tanh(),
        ActivationKind.Sigmoid => new Sigmoid(),
        ActivationKind.Gelu => new GELU(),
        ActivationKind.LeakyRelu => new LeakyReLU(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation."),
    };

    private static string Widths(IReadOnlyList<int> widths) => string.Join(" → ", widths);
}
