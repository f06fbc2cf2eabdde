using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.Distributed;
using Nabla.Estimators;
using Nabla.Models;
using Nabla.Optim;
using Nabla.Text;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// The work of <c>nabla train</c>: prepare the data; for a network, build it and the optimizer and
/// train with the library's <see cref="Trainer"/> (from the start, or from a checkpoint); for a linear
/// model, fit the library's estimator (<see cref="LinearEstimators"/>); then score on the test rows
/// through the same pipeline as <c>nabla predict</c>, and write the model file (and the plot).
/// </summary>
internal static class TrainJob
{
    /// <summary>Runs the whole job, showing its progress through <paramref name="output"/>.</summary>
    /// <returns>What was trained, or null for <c>--find-lr</c>, which trains nothing and has shown what it found.</returns>
    /// <exception cref="CommandInputException">The options do not fit together or with the data, or there is no checkpoint of this run to resume.</exception>
    /// <exception cref="InvalidDataException">The data file is malformed.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="TrainingInterruptedException">Ctrl-C or SIGTERM stopped training; nothing was written after the last checkpoint.</exception>
    public static TrainResult? Run(TrainSettings settings, TrainOutput output, Communicator communicator) =>
        Run(settings, TrainingData.Load(settings), output, communicator);

    /// <summary>Runs the job on data already loaded and split (<c>nabla tune</c>'s refit of the best settings), showing its progress through <paramref name="output"/>.</summary>
    /// <inheritdoc cref="Run(TrainSettings, TrainOutput, Communicator)"/>
    public static TrainResult? Run(TrainSettings settings, TrainingData data, TrainOutput output, Communicator communicator)
    {
        ModelFactory.RequireTaskFits(settings.Model, data);
        if (settings.Federated is not null) return FederatedJob.Run(settings, data, output, communicator);
        if (communicator.Size > 1 && settings.IsLinearModel && settings.Text is not null)
            throw new CommandInputException($"--model svm with --text fits in one process; run it without mpirun, or use --model logistic, which trains by gradient steps shared among the ranks.");
        return !settings.IsLinearModel ? TrainNetwork(settings, data, output, communicator, trial: null)
            : settings.Text is null ? FitEstimator(settings, data, output, communicator, trial: null)
            : FitTextSvm(settings, data, output);
    }

    /// <summary>
    /// Trains the model of <paramref name="settings"/> on the training rows of <paramref name="data"/> as <see cref="Run(TrainSettings, TrainOutput, Communicator)"/>
    /// would, in one process, and scores it on its test rows (a fold's held-out rows, for <c>nabla tune</c>), writing nothing:
    /// no output, no model file, no warning, and no handling of Ctrl-C, which belongs to the job that runs the trial.
    /// </summary>
    /// <exception cref="CommandInputException">The settings do not fit the data, or training diverged.</exception>
    /// <exception cref="OperationCanceledException"><see cref="TrialTraining.Stop"/> was cancelled.</exception>
    public static TestScores Score(TrainSettings settings, TrainingData data, TrialTraining trial)
    {
        var output = new TrainOutput(settings with { Quiet = true, Json = false, Diagnose = false });
        var single = new SingleProcessCommunicator();
        return (settings.IsLinearModel ? FitEstimator(settings, data, output, single, trial) : TrainNetwork(settings, data, output, single, trial)!).Test;
    }

    /// <summary>
    /// svm over TF-IDF: the library's LinearSvc (scikit-learn's LinearSVC and defaults) fitted by its solver on the sparse TF-IDF
    /// rows of the training texts, its coefficients then set as the weights of the text network the model file holds.
    /// </summary>
    private static TrainResult FitTextSvm(TrainSettings settings, TrainingData data, TrainOutput output)
    {
        output.WriteData(data, data.XTrain.Size(0), 0);
        var model = ModelFactory.Create(settings, data);
        var tfidf = (TfidfLinear)model.Network[0];
        var clock = Stopwatch.StartNew();
        var svm = new LinearSvc(C: 1 / settings.Alpha, maxIter: settings.Epochs, randomState: settings.Seed).Fit(tfidf.Weigh(data.XTrain), data.YTrain.ToArray<int>());
        tfidf.SetWeights(svm.Coef, svm.Intercept);
        var fitted = new LinearEstimators.Fitted(svm,
            string.Create(CultureInfo.InvariantCulture, $"{model.Description}, by LinearSvc (squared hinge, one-vs-rest; L2, C {1 / settings.Alpha:G6})"),
            $"dual coordinate descent, at most {settings.Epochs} passes", svm.NIter, settings.Epochs);
        var classes = data.Preprocessor.ClassLabels;
        return SaveSolverFit(settings, data, output, fitted, clock.Elapsed, saves: true,
            (preprocessing, metrics, summary) => new ModelFile(model.Architecture, model.Network, data.Task, classes, preprocessing, metrics, summary));
    }

    private static TrainResult FitEstimator(TrainSettings settings, TrainingData data, TrainOutput output, Communicator communicator, TrialTraining? trial)
    {
        trial?.Stop.ThrowIfCancellationRequested();
        if (communicator.Size > 1)
            output.WriteProgressLine($"Distributed: {communicator.Size} ranks under mpirun, each fitting on its own share of the training rows");
        output.WriteData(data, data.XTrain.Size(0), 0);
        var clock = Stopwatch.StartNew();
        var fitted = LinearEstimators.Fit(settings, data, communicator);
        return SaveSolverFit(settings, data, output, fitted, clock.Elapsed, communicator.IsRoot && trial is null,
            (preprocessing, metrics, summary) => new ModelFile(fitted.Model, preprocessing, metrics, summary));
    }

    /// <summary>
    /// What follows a solver's fit: the warning when it stopped at its limit, the test scores through the same pipeline as
    /// <c>nabla predict</c>, the model file (made by <paramref name="modelFile"/> from the preprocessing, metrics and summary; written
    /// by rank 0 alone, <paramref name="saves"/>, under mpirun, and not for a trial) and the output.
    /// </summary>
    private static TrainResult SaveSolverFit(TrainSettings settings, TrainingData data, TrainOutput output, LinearEstimators.Fitted fitted, TimeSpan fittingTime, bool saves,
        Func<string, IReadOnlyDictionary<string, double>?, IReadOnlyDictionary<string, string>, ModelFile> modelFile)
    {
        if (fitted.StoppedAtLimit && saves)
            TrainOutput.WriteWarning($"--model {TrainChoices.Model.WordOf(settings.Model)} stopped at its limit of {fitted.MaxIterations} iterations before meeting its tolerance; raise --epochs, or a larger --alpha makes the problem easier.");
        var summary = TrainingSummary(settings, data, data.XTrain.Size(0), fittingTime);
        summary["solver"] = fitted.Solver;
        if (fitted.Iterations is { } iterations) summary["iterations"] = Text(iterations);
        if (settings.Text is not null)
            foreach (var (key, value) in OptionalRunSettings(settings)) summary[key] = value;
        string preprocessing = data.Preprocessor.ToJson();
        var trained = modelFile(preprocessing, null, summary);
        var scores = TestScores.Measure(ModelPipeline.Create(trained, data.Preprocessor), data.XTest, data.YTest);
        string modelPath = Path.GetFullPath(settings.OutPath);
        if (saves) modelFile(preprocessing, scores.ByKey, summary).Save(modelPath);
        string ran = fitted.Iterations is { } run ? $" (ran {run})" : "";
        output.WriteModel(fitted.Description, trained.ParameterCount, $"Solver:    {fitted.Solver}{ran}");
        return new TrainResult
        {
            Settings = settings,
            Data = data,
            TrainingRows = data.XTrain.Size(0),
            ValidationRows = 0,
            ModelDescription = fitted.Description,
            ParameterCount = trained.ParameterCount,
            History = new History(),
            SolverIterations = fitted.Iterations,
            Test = scores,
            ModelPath = modelPath,
            TrainingTime = fittingTime,
        };
    }

    private static TrainResult? TrainNetwork(TrainSettings settings, TrainingData data, TrainOutput output, Communicator communicator, TrialTraining? trial)
    {
        int? batchSize = DataParallelRun.GlobalBatch(settings, communicator);
        if (communicator.Size > 1)
        {
            output.WriteProgressLine(DataParallelRun.Describe(settings, batchSize!.Value, communicator));
            // From here on the batch is the global one: what the header, the model file and a checkpoint record, so that a
            // checkpoint resumes on any number of ranks (or in one process) that keeps the same global batch.
            settings = settings with { BatchSize = batchSize, BatchIsGlobal = true };
        }
        var model = ModelFactory.Create(settings, data);
        TrainingCheckpoint? checkpoint = null;
        if (settings.Resume) (checkpoint, settings) = LoadCheckpoint(settings);
        var network = DataParallelRun.TrainingNetwork(model.Network, settings, communicator);
        var optimizer = OptimizerFactory.Create(settings.Optimizer!.Value, network.Parameters(), settings.LearningRate ?? LearningRateSearch.FirstRate, settings.WeightDecay);

        var xTrain = model.Architecture.ViewAsInput(data.XTrain);
        // Under mpirun the loader holds the global batch; DistributedDataParallel gives each rank its share of every batch.
        var loader = new DataLoader(xTrain, data.YTrain, batchSize ?? xTrain.Size(0), shuffle: true, generator: new Generator(settings.Seed));
        var (training, validation) = loader.Split(TrainSettings.ValidationShare, settings.Seed);
        output.WriteData(data, training.Count, validation.Count);
        var epochLine = data.Task == ModelTask.Classification
            ? EpochLine.ForClassification(settings.Epochs)
            // The variance about the mean, dividing by N as R² does.
            : EpochLine.ForRegression(settings.Epochs, validation.Targets.To(DType.Float64).Var(correction: 0).Item());

        var trainer = new Trainer(network, model.Loss, optimizer) { ClipGradValue = settings.ClipGradValue, ClipGradNorm = settings.ClipGradNorm };
        if (communicator.Size > 1) _ = new DistributedDataParallel(trainer, communicator);
        // A resumed --lr auto run goes on with the rate it found when it began (LoadCheckpoint read it).
        var search = settings.FindLearningRate != LearningRateSearchMode.None && checkpoint is null ? LearningRateSearch.Run(trainer, training) : null;
        if (settings.FindLearningRate == LearningRateSearchMode.FindOnly)
        {
            string batch = settings.BatchSize is { } size ? $"batch {Text(size)}" : "full batch";
            output.WriteModel(model.Description, model.Network.ParameterCount, $"Optimizer: {settings.OptimizerName!}, lr searched by --find-lr, {batch}");
            string? searchPlot = settings.PlotPath is { } path ? LearningRatePlot.Write(path, search!, $"{TrainChoices.Model.WordOf(settings.Model)} on {data.Name}") : null;
            new LearningRateSearchOutput(settings).Write(search!, data, training.Count, model.Description, model.Network.ParameterCount, searchPlot);
            return null;
        }
        if (search is not null)
        {
            settings.Schedule?.RequireBelow(search.SuggestedLearningRate, $"--lr {LearningRateArgument.AutoWord} found,");
            settings = settings with { LearningRate = search.SuggestedLearningRate };
            optimizer.LearningRate = search.SuggestedLearningRate;
        }
        var run = RunSettings(settings);
        output.WriteModel(model.Description, model.Network.ParameterCount, OptimizerLines(settings, search, communicator.Size));

        var clock = Stopwatch.StartNew();
        // A trial leaves Ctrl-C to its search, which lets the running trials finish; it stops when the trial's token says.
        using var interruption = trial is null ? new TrainingInterruption(settings.CheckpointDirectory) : null;
        trainer.Callbacks.Add(interruption ?? (ITrainingCallback)trial!);
        // Before the progress display, which only some runs have: a checkpoint names each callback with state by its place.
        // The schedule starts from the rate in use, so after --lr auto's search.
        if (settings.Schedule is { } schedule)
            trainer.Callbacks.Add(schedule.CreateCallback(optimizer, settings.LearningRate!.Value, settings.Epochs, training.BatchCount));
        var earlyStopping = settings.EarlyStoppingPatience is { } patience ? new EarlyStopping(patience, monitor: settings.EarlyStoppingMetric, restoreBestWeights: true) : null;
        if (earlyStopping is not null) trainer.Callbacks.Add(earlyStopping);
        var diagnostics = settings.Diagnose ? new GradientDiagnostics() : null;
        if (diagnostics is not null) trainer.Callbacks.Add(diagnostics);
        // Rank 0 alone writes it, as the checkpoints; a trial of nabla tune writes none.
        using var runLog = settings.RunLogDirectory is { } logDirectory && communicator.IsRoot && trial is null ? new RunLog(logDirectory, LogSettings(run, data, settings, checkpoint)) { StepInterval = settings.RunLogStepInterval } : null;
        // The page serves the whole log folder, so the runs before this one can be overlaid on it; it stops with the training.
        using var dashboard = runLog is null ? null : DashboardLaunch.StartLive(settings.Dashboard, runLog.Directory, settings.Json);
        var history = output.ShowProgress(trainer, epochLine, () =>
        {
            // After the epoch line of the progress display, which --diagnose makes plain lines.
            if (diagnostics is not null && !settings.Json) trainer.Callbacks.Add(new DiagnoseProgress(diagnostics, settings, TerminalWriter.Out));
            // After the gradient diagnostics, whose report of the epoch it logs; before the checkpoint, so a run killed
            // between the two has logged every epoch the checkpoint continues from.
            if (runLog is not null) trainer.Callbacks.Add(runLog);
            // Added after the progress display: a checkpoint must see every other callback's work of the epoch.
            // Rank 0 alone writes them: every rank holds the same weights and state.
            if (settings.CheckpointDirectory is { } directory && communicator.IsRoot) trainer.Callbacks.Add(new CheckpointCallback(directory, run));
            try
            {
                return checkpoint is null
                    ? trainer.Fit(training, settings.Epochs, validation)
                    : Resume(trainer, checkpoint, training, validation, settings);
            }
            catch (TrainingDivergedException e)
            {
                var diverged = Diverged(e, settings);
                runLog?.End(RunOutcome.Failed, diverged.Message);
                throw diverged;
            }
            catch (TrainingInterruptedException e)
            {
                runLog?.End(RunOutcome.Interrupted, e.Message);
                throw;
            }
        });
        var trainingTime = clock.Elapsed;
        DataParallelRun.CopyBack(network, model.Network);

        string modelPath = Path.GetFullPath(settings.OutPath);
        var summary = TrainingSummary(settings, data, training.Count, trainingTime);
        if (communicator.Size > 1)
        {
            summary["ranks"] = Text(communicator.Size);
            summary["global_batch_size"] = Text(batchSize!.Value);
            if (settings.SyncBatchNorm) summary["sync_batch_norm"] = "true";
        }
        summary["optimizer"] = settings.OptimizerName!;
        summary["learning_rate"] = Text(settings.LearningRate!.Value);
        if (settings.FindLearningRate == LearningRateSearchMode.Auto) summary["learning_rate_found_by"] = LearningRateSearch.FoundBy;
        foreach (var (key, value) in OptionalRunSettings(settings)) summary[key] = value;
        if (earlyStopping is not null) summary["best_epoch"] = Text(earlyStopping.BestEpoch);
        summary["epochs"] = Text(settings.Epochs);
        summary["epochs_run"] = Text(history.Epochs.Count);
        summary["batch_size"] = BatchText(settings.BatchSize);
        var (scores, plotPath) = SaveNetwork(settings, data, model, summary, modelPath, communicator.IsRoot && trial is null,
            history, $"{TrainChoices.Model.WordOf(settings.Model)} on {data.Name}", scheduledRate: settings.Schedule is not null, unit: "epoch");
        return new TrainResult
        {
            Settings = settings,
            Data = data,
            TrainingRows = training.Count,
            ValidationRows = validation.Count,
            ModelDescription = model.Description,
            ParameterCount = model.Network.ParameterCount,
            History = history,
            EpochLine = epochLine,
            EarlyStopping = earlyStopping,
            Test = scores,
            ModelPath = modelPath,
            PlotPath = plotPath,
            TrainingTime = trainingTime,
            LearningRateSearch = search,
            GradientReports = diagnostics?.EpochReports ?? [],
            RunLogPath = runLog is null ? null : Path.GetFullPath(runLog.Path),
        };
    }

    /// <summary>
    /// What follows a network's training, for any way of training it: the test scores through the same pipeline as
    /// <c>nabla predict</c> and <c>nabla evaluate</c>, then (by rank 0 alone under mpirun) the
    /// model file recording them and the plot of <paramref name="history"/> per <paramref name="unit"/> (epoch or round); when
    /// <paramref name="saves"/> is false (a rank other than 0, or a trial of <c>nabla tune</c>), only the scores.
    /// </summary>
    internal static (TestScores Scores, string? PlotPath) SaveNetwork(TrainSettings settings, TrainingData data, TrainableModel model,
        Dictionary<string, string> summary, string modelPath, bool saves, History history, string plotTitle, bool scheduledRate, string unit)
    {
        var classes = data.Task == ModelTask.Classification ? data.Preprocessor.ClassLabels : null;
        string preprocessing = data.Preprocessor.ToJson();
        var trained = new ModelFile(model.Architecture, model.Network, data.Task, classes, preprocessing, training: summary) { MemoryLimit = settings.MemoryLimit };
        var scores = TestScores.Measure(ModelPipeline.Create(trained, data.Preprocessor), data.XTest, data.YTest);
        if (!saves) return (scores, null);
        new ModelFile(model.Architecture, model.Network, data.Task, classes, preprocessing, scores.ByKey, summary).Save(modelPath);
        if (settings.PlotPath is not { } plot) return (scores, null);
        return (scores, LossCurvePlot.Write(plot, history, plotTitle, scheduledRate, unit));
    }

    /// <summary>
    /// The run log's settings: the run's, the class labels, which the page shows (a checkpoint's settings leave them
    /// out: they come from the data, and a resumed run checks the data itself), and for a resumed run the checkpoint it
    /// goes on from, so that its log, which starts at the checkpoint's epoch, can be found beside the first part's.
    /// </summary>
    private static Dictionary<string, string> LogSettings(Dictionary<string, string> run, TrainingData data, TrainSettings train, TrainingCheckpoint? checkpoint)
    {
        var settings = new Dictionary<string, string>(run, StringComparer.Ordinal);
        if (data.Preprocessor.ClassLabels is { Count: > 0 } classes) settings["classes"] = string.Join(", ", classes);
        if (checkpoint is not null)
        {
            settings["resumed_from"] = Path.GetFullPath(Path.Combine(train.CheckpointDirectory!, CheckpointCallback.FileName));
            settings["resumed_after_epoch"] = Text(checkpoint.Epoch);
        }
        return settings;
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
            ["optimizer"] = TrainChoices.Optimizer.WordOf(settings.Optimizer!.Value),
            ["lr"] = settings.FindLearningRate == LearningRateSearchMode.Auto ? LearningRateArgument.AutoWord : Text(settings.LearningRate!.Value),
            ["batch_size"] = BatchText(settings.BatchSize),
            ["epochs"] = Text(settings.Epochs),
            ["test_split"] = Text(settings.TestSplit),
            ["seed"] = Text(settings.Seed),
            ["impute"] = TrainChoices.Impute.WordOf(settings.Impute),
            ["alpha"] = Text(settings.Alpha),
        };
        // Only a run with --drop records it, so checkpoints saved before the option existed still resume.
        if (settings.DropColumns.Count > 0) run["drop"] = string.Join(',', settings.DropColumns);
        foreach (var (key, value) in OptionalRunSettings(settings)) run[key] = value;
        if (settings.FindLearningRate == LearningRateSearchMode.Auto) run[LearningRateSearch.FoundRunKey] = Text(settings.LearningRate!.Value);
        return run;
    }

    /// <summary>
    /// The settings of the options added after the first checkpoints were written (clipping, weight decay,
    /// schedule, dropout, batch normalisation, early stopping), each only when given, so that checkpoints
    /// saved before an option existed still resume.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> OptionalRunSettings(TrainSettings settings)
    {
        if (settings.ClipGradNorm is { } clip) yield return new("clip_grad_norm", Text(clip));
        if (settings.ClipGradValue is { } value) yield return new("clip_grad_value", Text(value));
        if (settings.WeightDecay != 0) yield return new("weight_decay", Text(settings.WeightDecay));
        if (settings.Schedule is { } schedule)
            foreach (var setting in schedule.Settings()) yield return setting;
        if (settings.Dropout != 0) yield return new("dropout", Text(settings.Dropout));
        if (settings.BatchNorm) yield return new("batch_norm", "true");
        if (settings.EarlyStoppingPatience is { } patience) yield return new("early_stopping", Text(patience));
        if (settings.Text is { } text)
        {
            yield return new("text", string.Join(',', text.Columns));
            yield return new("max_length", Text(text.MaxLength));
            if (text.VocabularySize is { } size) yield return new("vocab_size", Text(size));
            yield return new("min_frequency", Text(text.MinFrequency));
            if (TextModelSettings.IsRecurrent(settings.Model) || settings.Model == ModelKind.Bow) yield return new("embedding_dim", Text(text.EmbeddingDim));
            if (TextModelSettings.IsRecurrent(settings.Model))
            {
                yield return new("hidden_size", Text(text.HiddenSize));
                yield return new("layers", Text(text.Layers));
                yield return new("bidirectional", text.Bidirectional ? "true" : "false");
            }
        }
    }

    /// <summary>
    /// "Optimizer: adamw, lr 0.002, weight decay 0.01, batch 64, 30 epochs" (under mpirun, "global batch 256"), then what --lr auto's search found,
    /// a line for the schedule and one for early stopping when the run has them.
    /// </summary>
    private static string OptimizerLines(TrainSettings settings, LearningRateSearchResult? search, int ranks)
    {
        var invariant = CultureInfo.InvariantCulture;
        string decay = settings.WeightDecay != 0 ? string.Create(invariant, $", weight decay {settings.WeightDecay:G6}") : "";
        string batch = settings.BatchSize is not { } size ? "full batch"
            : ranks > 1 ? $"global batch {Text(size)}"
            : $"batch {Text(size)}";
        string line = string.Create(invariant,
            $"Optimizer: {settings.OptimizerName!}, lr {settings.LearningRate:G6}{LearningRateSearch.Origin(settings)}{decay}, {batch}, {settings.Epochs} {(settings.Epochs == 1 ? "epoch" : "epochs")}");
        if (search is not null) line += Environment.NewLine + search.Summary();
        if (settings.Schedule is { } schedule) line += $"{Environment.NewLine}Schedule:  {schedule.Describe()}";
        if (settings.EarlyStoppingPatience is { } patience)
            line += string.Create(invariant, $"{Environment.NewLine}Stopping:  early, once the {settings.EarlyStoppingWords.Stalled} for {patience} {(patience == 1 ? "epoch" : "epochs")}");
        return line;
    }

    /// <summary>
    /// The checkpoint in <c>--checkpoint-dir</c>, refused unless it was saved by a run with the same settings,
    /// and the settings to resume with (for <c>--lr auto</c>, with the rate the run found).
    /// </summary>
    private static (TrainingCheckpoint Checkpoint, TrainSettings Settings) LoadCheckpoint(TrainSettings settings)
    {
        string path = Path.Combine(settings.CheckpointDirectory!, CheckpointCallback.FileName);
        if (!File.Exists(path))
            throw new CommandInputException($"--resume: there is no checkpoint to resume from: '{path}' does not exist; run without --resume to start afresh.");
        var checkpoint = TrainingCheckpoint.Load(path);
        settings = LearningRateSearch.Resumed(settings, checkpoint, path);
        try
        {
            checkpoint.RequireRun(RunSettings(settings));
        }
        catch (ArgumentException e)
        {
            throw new CommandInputException($"--resume '{path}': {ErrorHandling.MessageOf(e)}");
        }
        return (checkpoint, settings);
    }

    /// <summary>
    /// The library's advice for a run whose loss stopped being finite names its API (Trainer.ClipGradNorm);
    /// a user of the command needs the options that do the same.
    /// </summary>
    private static CommandInputException Diverged(TrainingDivergedException e, TrainSettings settings)
    {
        static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture).Replace('E', 'e');
        string clip = settings.Optimizer == OptimizerKind.Lbfgs ? ""
            : settings.ClipGradNorm is { } norm ? $", or clip the gradients harder (--clip-grad-norm {Number(norm)} now; try {Number(norm / 10)})"
            : ", or clip the gradients (--clip-grad-norm 1)";
        // A decay that large multiplies the weights away from zero at every step, whatever the rate.
        if (settings.WeightDecay > 0) clip += $", or lower --weight-decay ({Number(settings.WeightDecay)} now)";
        return new CommandInputException(
            $"training diverged: the loss became {Number(e.Loss)} in epoch {e.Epoch}, step {e.Step} (batch {e.Batch} of the epoch), with learning rate {Number(e.LearningRate)}. "
            + $"Lower --lr (try {Number(e.LearningRate / 10)}){clip}, and check that the data's columns are on sensible scales and free of NaN.");
    }

    /// <summary>
    /// Continues the checkpoint's run. The trainer checks the saved state (optimizer settings, shapes,
    /// generators, callbacks) before it trains; what it refuses is a checkpoint that cannot continue
    /// this run, and the user must learn which file that is.
    /// </summary>
    private static History Resume(Trainer trainer, TrainingCheckpoint checkpoint, DataLoader training, DataLoader validation, TrainSettings settings)
    {
        try
        {
            return trainer.Resume(checkpoint, training, settings.Epochs, validation);
        }
        catch (ArgumentException e)
        {
            string path = Path.Combine(settings.CheckpointDirectory!, CheckpointCallback.FileName);
            throw new CommandInputException($"--resume '{path}': the checkpoint cannot continue this run: {ErrorHandling.MessageOf(e).Replace("Trainer.Resume: ", "", StringComparison.Ordinal)}; it is damaged or was written by another run: run without --resume to start afresh.");
        }
    }

    /// <summary>What the model file records about how any model was trained; each kind adds how it was fitted.</summary>
    internal static Dictionary<string, string> TrainingSummary(TrainSettings settings, TrainingData data, int trainingRows, TimeSpan time) =>
        new(StringComparer.Ordinal)
        {
            ["model"] = TrainChoices.Model.WordOf(settings.Model),
            ["seed"] = Text(settings.Seed),
            ["data"] = DataText(settings),
            ["target"] = data.Preprocessor switch { Nabla.Data.TabularPreprocessor tabular => tabular.Target, Nabla.Text.TextPreprocessor text => text.Target, _ => "" },
            ["train_samples"] = Text(trainingRows),
            ["test_samples"] = Text(data.XTest.Size(0)),
            ["seconds"] = Text(Math.Round(time.TotalSeconds, 3)),
        };

    private static string DataText(TrainSettings settings) =>
        settings.DataPath is { } path ? Path.GetFullPath(path) : $"built-in {TrainingData.BuiltInName}";

    private static string BatchText(int? batchSize) => batchSize is { } size ? Text(size) : "full";

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
