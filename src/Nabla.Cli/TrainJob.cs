using System.Diagnostics;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// The work of <c>nabla train</c>: prepare the data, build the model and the optimizer, train with the
/// library's <see cref="Trainer"/>, score on the test rows, and write the model (and the plot).
/// </summary>
internal static class TrainJob
{
    /// <summary>Runs the whole job, showing its progress through <paramref name="output"/>.</summary>
    /// <exception cref="CommandInputException">The options do not fit together or with the data.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public static TrainResult Run(TrainSettings settings, TrainOutput output)
    {
        NotYetAvailable.Reject(settings);
        var data = TrainingData.Digits(settings);
        var model = ModelFactory.ForClassification(settings, data);
        var optimizer = OptimizerFactory.Create(settings.Optimizer, model.Network.Parameters(), settings.LearningRate);

        var (xTrain, xTest) = model.TakesImages ? (AsImages(data.XTrain, data), AsImages(data.XTest, data)) : (data.XTrain, data.XTest);
        var loader = new DataLoader(xTrain, data.YTrain, settings.BatchSize, shuffle: true, generator: new Generator(settings.Seed));
        var (training, validation) = loader.Split(TrainSettings.ValidationShare, settings.Seed);
        output.WriteHeader(data, model, training.Count, validation.Count);

        var trainer = new Trainer(model.Network, model.Loss, optimizer);
        var clock = Stopwatch.StartNew();
        var history = output.ShowProgress(trainer, () => trainer.Fit(training, settings.Epochs, validation));
        var trainingTime = clock.Elapsed;

        var scores = TestScores.Measure(model.Network, xTest, data.YTest);
        string modelPath = ModelSaver.Save(settings, data, model);
        string? plotPath = null;
        if (settings.PlotPath is { } plot)
        {
            if (!LossCurvePlot.CanDrawText)
                TrainOutput.WriteWarning("no fonts were found, so the plot has no text; install some (on Debian: apt-get install fonts-dejavu-core).");
            plotPath = LossCurvePlot.Write(plot, history, $"{OptionWords.Of(settings.Model)} on {data.Name}");
        }
        return new TrainResult
        {
            Settings = settings,
            Data = data,
            TrainingRows = training.Count,
            ValidationRows = validation.Count,
            Architecture = model.Architecture,
            Parameters = model.Network.ParameterCount,
            History = history,
            Test = scores,
            ModelPath = modelPath,
            PlotPath = plotPath,
            TrainingTime = trainingTime,
        };
    }

    private static Tensor AsImages(Tensor rows, TrainingData data)
    {
        var (channels, height, width) = data.ImageShape!.Value;
        return rows.Reshape(rows.Size(0), channels, height, width);
    }
}
