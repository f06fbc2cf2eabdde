using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.Models;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// The work of <c>nabla train</c>: prepare the data, build the model and the optimizer, train with the
/// library's <see cref="Trainer"/> (from the start, or from a checkpoint), score on the test rows, and
/// write the model file (and the plot).
/// </summary>
internal static class TrainJob
{
    /// <summary>Runs the whole job, showing its progress through <paramref name="output"/>.</summary>
    /// <exception cref="CommandInputException">The options do not fit together or with the data, or there is no checkpoint of this run to resume.</exception>
    /// <exception cref="InvalidDataException">The data file is malformed.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="TrainingInterruptedException">Ctrl-C or SIGTERM stopped training; nothing was written after the last checkpoint.</exception>
    public static TrainResult Run(TrainSettings settings, TrainOutput output)
    {
        var data = TrainingData.Load(settings);
        var model = ModelFactory.Create(settings, data);
        var run = RunSettings(settings);
        var checkpoint = settings.Resume ? LoadCheckpoint(settings, run) : null;
        var optimizer = OptimizerFactory.Create(settings.Optimizer, model.Network.Parameters(), settings.LearningRate);

        var xTrain = model.Architecture.ViewAsInput(data.XTrain);
        var loader = new DataLoader(xTrain, data.YTrain, settings.BatchSize ?? xTrain.Size(0), shuffle: true, generator: new Generator(settings.Seed));
        var (training, validation) = settings.IsLinearModel ? (loader, null) : loader.Split(TrainSettings.ValidationShare, settings.Seed);
        output.WriteHeader(data, model, training.Count, validation?.Count ?? 0);

        var trainer = new Trainer(model.Network, model.Loss, optimizer);
        var clock = Stopwatch.StartNew();
        using var interruption = new TrainingInterruption(settings.CheckpointDirectory);
        trainer.Callbacks.Add(interruption);
        var history = output.ShowProgress(trainer, () =>
        {
            // Added after the progress display: a checkpoint must see every other callback's work of the epoch.
            if (settings.CheckpointDirectory is { } directory) trainer.Callbacks.Add(new CheckpointCallback(directory, run));
            return checkpoint is null
                ? trainer.Fit(training, settings.Epochs, validation)
                : trainer.Resume(checkpoint, training, settings.Epochs, validation);
        });
        var trainingTime = clock.Elapsed;

        string modelPath = Path.GetFullPath(settings.OutPath);
        var summary = TrainingSummary(settings, data, training.Count, history, trainingTime);
        var classes = data.Task == ModelTask.Classification ? data.Preprocessor.ClassLabels : null;
        string preprocessing = data.Preprocessor.ToJson();
        // Scored through the same pipeline as `nabla predict` and `nabla evaluate`; the file then records the scores.
        var trained = new ModelFile(model.Architecture, model.Network, data.Task, classes, preprocessing, training: summary);
        var scores = TestScores.Measure(ModelPipeline.Create(trained, data.Preprocessor), data.XTest, data.YTest);
        new ModelFile(model.Architecture, model.Network, data.Task, classes, preprocessing, scores.ByKey, summary).Save(modelPath);
        string? plotPath = null;
        if (settings.PlotPath is { } plot)
        {
            if (!LossCurvePlot.CanDrawText)
                TrainOutput.WriteWarning("no fonts were found, so the plot has no text; install some (on Debian: apt-get install fonts-dejavu-core).");
            plotPath = LossCurvePlot.Write(plot, history, $"{TrainChoices.Model.WordOf(settings.Model)} on {data.Name}");
        }
        return new TrainResult
        {
            Settings = settings,
            Data = data,
            TrainingRows = training.Count,
            ValidationRows = validation?.Count ?? 0,
            Model = model,
            History = history,
            Test = scores,
            ModelPath = modelPath,
            PlotPath = plotPath,
            TrainingTime = trainingTime,
        };
    }

    /// <summary>
    /// The settings that define the run, as a checkpoint records them: resuming with any of them
    /// changed would not continue the same run. Output options (files, display) are not among them.
    /// </summary>
    private static Dictionary<string, string> RunSettings(TrainSettings settings)
    {
        var run = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["data"] = DataText(settings),
            ["target"] = settings.TargetColumn ?? "",
            ["model"] = TrainChoices.Model.WordOf(settings.Model),
            ["task"] = TrainChoices.Task.WordOf(settings.Task),
            ["hidden"] = string.Join(',', settings.Hidden),
            ["activation"] = TrainChoices.Activation.WordOf(settings.Activation),
            ["optimizer"] = TrainChoices.Optimizer.WordOf(settings.Optimizer),
            ["lr"] = Text(settings.LearningRate),
            ["batch_size"] = BatchText(settings.BatchSize),
            ["epochs"] = Text(settings.Epochs),
            ["test_split"] = Text(settings.TestSplit),
            ["seed"] = Text(settings.Seed),
            ["impute"] = TrainChoices.Impute.WordOf(settings.Impute),
            ["alpha"] = Text(settings.Alpha),
        };
        // Only a run with --drop records it, so checkpoints saved before the option existed still resume.
        if (settings.DropColumns.Count > 0) run["drop"] = string.Join(',', settings.DropColumns);
        return run;
    }

    /// <summary>The checkpoint in <c>--checkpoint-dir</c>, refused unless it was saved by a run with the same settings.</summary>
    private static TrainingCheckpoint LoadCheckpoint(TrainSettings settings, IReadOnlyDictionary<string, string> run)
    {
        string path = Path.Combine(settings.CheckpointDirectory!, CheckpointCallback.FileName);
        if (!File.Exists(path))
            throw new CommandInputException($"--resume: there is no checkpoint to resume from: '{path}' does not exist; run without --resume to start afresh.");
        var checkpoint = TrainingCheckpoint.Load(path);
        try
        {
            checkpoint.RequireRun(run);
        }
        catch (ArgumentException e)
        {
            throw new CommandInputException($"--resume '{path}': {ErrorHandling.MessageOf(e)}");
        }
        return checkpoint;
    }

    /// <summary>What the model file records about how it was trained.</summary>
    private static Dictionary<string, string> TrainingSummary(TrainSettings settings, TrainingData data, int trainingRows, History history, TimeSpan time) =>
        new(StringComparer.Ordinal)
        {
            ["model"] = TrainChoices.Model.WordOf(settings.Model),
            ["optimizer"] = TrainChoices.Optimizer.WordOf(settings.Optimizer),
            ["learning_rate"] = Text(settings.LearningRate),
            ["epochs"] = Text(settings.Epochs),
            ["epochs_run"] = Text(history.Epochs.Count),
            ["batch_size"] = BatchText(settings.BatchSize),
            ["seed"] = Text(settings.Seed),
            ["data"] = DataText(settings),
            ["target"] = data.Preprocessor is Nabla.Data.TabularPreprocessor tabular ? tabular.Target : "",
            ["train_samples"] = Text(trainingRows),
            ["test_samples"] = Text(data.XTest.Size(0)),
            ["seconds"] = Text(Math.Round(time.TotalSeconds, 3)),
        };

    private static string DataText(TrainSettings settings) =>
        settings.DataPath is { } path ? Path.GetFullPath(path) : $"built-in {TrainingData.BuiltInName}";

    private static string BatchText(int? batchSize) => batchSize is { } size ? Text(size) : "full";

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
