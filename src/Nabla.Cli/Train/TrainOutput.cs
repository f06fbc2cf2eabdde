using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Text;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// How <c>nabla train</c> shows itself: a header, progress (live bars on a terminal, one line per
/// epoch otherwise) and a summary for people; only the summary with <c>--quiet</c>; one JSON object
/// and nothing else on standard output with <c>--json</c>.
/// </summary>
internal sealed class TrainOutput(TrainSettings settings)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Where the values of the summary lines start, so that they line up.</summary>
    private const int Column = 17;

    // Console.Out (escaping what could act on the terminal) rather than AnsiConsole for text:
    // AnsiConsole wraps redirected output at 80 columns, which would break a long path across lines.
    private readonly TextWriter _out = TerminalWriter.Out;

    private bool ShowsProgress => !settings.Quiet && !settings.Json;

    /// <summary>Says what is about to be trained on: the data, and how it was split.</summary>
    public void WriteData(TrainingData data, int trainingRows, int validationRows)
    {
        if (!ShowsProgress) return;
        string source = data.IsBuiltIn ? $"built-in {data.Name}" : data.Name;
        string target = data.Preprocessor switch
        {
            TabularPreprocessor tabular when !data.IsBuiltIn => $" (target {tabular.Target})",
            TextPreprocessor text => $" (target {text.Target})",
            _ => "",
        };
        string task = data.Task == ModelTask.Classification ? $"{data.Preprocessor.ClassLabels.Count} classes" : "regression";
        string features = data.Preprocessor is TextPreprocessor texts
            ? string.Create(Invariant, $"texts of {string.Join(", ", texts.TextColumns)}, vocabulary of {texts.Vocabulary.Count:N0} terms")
            : string.Create(Invariant, $"{data.Features} features");
        _out.WriteLine(string.Create(Invariant, $"Data:      {source}, {data.Samples} rows × {features}, {task}{target}"));
        string validation = validationRows > 0 ? string.Create(Invariant, $"{validationRows} validation, ") : "";
        string split = data.Preprocessor is TabularPreprocessor or TextPreprocessor
            ? string.Create(Invariant, $"{(data.Task == ModelTask.Classification ? "stratified" : "shuffled")}, seed {settings.Seed}")
            : "the folder's own t10k test set";
        _out.WriteLine(string.Create(Invariant, $"           {trainingRows} train, {validation}{data.XTest.Size(0)} test ({split})"));
        _out.Flush();
    }

    /// <summary>Says what the model is and how it is (or was) fitted: <paramref name="fitting"/> is the whole line, "Optimizer: ..." or "Solver: ...".</summary>
    public void WriteModel(string description, long parameters, string fitting)
    {
        if (!ShowsProgress) return;
        _out.WriteLine(string.Create(Invariant, $"Model:     {TrainChoices.Model.WordOf(settings.Model)} {description}, {parameters:N0} parameters"));
        _out.WriteLine(fitting);
        _out.WriteLine();
        _out.Flush();
    }

    /// <summary>Runs <paramref name="fit"/> with the progress display that suits the output: live bars, plain lines (each epoch as <paramref name="line"/> writes it), or none.</summary>
    public History ShowProgress(Trainer trainer, EpochLine line, Func<History> fit)
    {
        if (!ShowsProgress) return fit();
        // --diagnose writes a table after each epoch, which live bars would draw over.
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive || settings.Diagnose)
        {
            trainer.Callbacks.Add(new PlainProgress(_out, line));
            return fit();
        }
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .Start(context =>
            {
                trainer.Callbacks.Add(new LiveProgress(context, line));
                return fit();
            });
    }

    /// <summary>Writes one line of progress (a federated round, say), unless the output is <c>--quiet</c> or <c>--json</c>.</summary>
    public void WriteProgressLine(string line)
    {
        if (!ShowsProgress) return;
        _out.WriteLine(line);
        _out.Flush();
    }

    /// <summary>Says on standard error, whatever the mode, that something went less well than asked, though the run goes on.</summary>
    public static void WriteWarning(string message) => Console.Error.WriteLine($"warning: {TerminalText.Escape(message)}");

    /// <summary>Writes the result: the summary lines, or the JSON object.</summary>
    public void WriteResult(TrainResult result)
    {
        if (settings.Json)
        {
            // Plain Console, not AnsiConsole: JSON must never be wrapped or styled.
            Console.Out.WriteLine(Json(result).ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return;
        }
        // A blank line after the networks' progress; the linear estimators' header already ends in one.
        if (ShowsProgress && !settings.IsLinearModel) _out.WriteLine();
        if (result.EarlyStopping is { } stopping && EarlyStoppingText(stopping, result.History, result.Settings.EarlyStoppingWords) is { } stopped) _out.WriteLine(stopped);
        foreach (var score in result.Test.Scores)
            _out.WriteLine($"{(score.Label + ":").PadRight(Column)}{ModelText.Metric(score.Value)}");
        _out.WriteLine(string.Create(Invariant, $"{"Training time:".PadRight(Column)}{result.TrainingTime.TotalSeconds:F2} s"));
        _out.WriteLine($"Model saved to:  {result.ModelPath}");
        if (result.PlotPath is { } plot) _out.WriteLine($"Plot saved to:   {plot}");
        if (result.RunLogPath is { } log) _out.WriteLine($"{"Run log:".PadRight(Column)}{log}");
    }

    /// <summary>
    /// What early stopping did, in one line: "Stopped early after epoch 14: the validation loss has not fallen
    /// for 5 epochs; restored the weights of epoch 9."; when it let every epoch run but an earlier one was
    /// best, that it took those weights back; null when the last epoch was the best.
    /// </summary>
    private static string? EarlyStoppingText(EarlyStopping stopping, History history, (string Stalled, string Best) words)
    {
        int last = history.Epochs.Count;
        string restored = string.Create(Invariant, $"restored the weights of epoch {stopping.BestEpoch}, the {words.Best} ({stopping.BestValue:F4})");
        if (stopping.StoppedEpoch > 0)
            return string.Create(Invariant,
                $"Stopped early after epoch {stopping.StoppedEpoch}: the {words.Stalled} for {stopping.Patience} {(stopping.Patience == 1 ? "epoch" : "epochs")}; {restored}.");
        return stopping.BestEpoch != last ? $"Ran every epoch; {restored}." : null;
    }

    /// <summary>A text model's settings: its columns, how texts became ids, and the layer sizes that apply to it (null where none does).</summary>
    private static JsonObject TextJson(ModelKind model, TextModelSettings text, TextPreprocessor texts)
    {
        bool embeddings = model is ModelKind.Bow || TextModelSettings.IsRecurrent(model), recurrent = TextModelSettings.IsRecurrent(model);
        return new JsonObject
        {
            ["columns"] = new JsonArray([.. text.Columns.Select(column => JsonValue.Create(column))]),
            ["terms"] = new JsonArray([.. ModelText.TermKinds(texts.Options).Select(kind => JsonValue.Create(kind))]),
            ["maxLength"] = text.MaxLength,
            ["vocabSize"] = text.VocabularySize,
            ["minFrequency"] = text.MinFrequency,
            ["vocabulary"] = texts.Vocabulary.Count,
            ["embeddingDim"] = embeddings ? text.EmbeddingDim : null,
            ["hiddenSize"] = recurrent ? text.HiddenSize : null,
            ["layers"] = recurrent ? text.Layers : null,
            ["bidirectional"] = recurrent ? text.Bidirectional : null,
        };
    }

    /// <summary>The schedule and its parameters, null where the schedule has none: {"kind": "step", "step": 10, "gamma": 0.1, ...}.</summary>
    private static JsonObject ScheduleJson(LearningRateSchedule schedule) => new()
    {
        ["kind"] = TrainChoices.Schedule.WordOf(schedule.Kind),
        ["step"] = schedule.StepSize,
        ["milestones"] = schedule.Milestones is { } milestones ? new JsonArray([.. milestones.Select(m => JsonValue.Create(m))]) : null,
        ["gamma"] = schedule.Gamma,
        ["min"] = schedule.MinLearningRate,
        ["patience"] = schedule.Patience,
    };

    private JsonObject Json(TrainResult result)
    {
        bool network = !settings.IsLinearModel;
        var history = new JsonArray();
        foreach (var epoch in result.History.Epochs)
            history.Add(new JsonObject
            {
                ["epoch"] = epoch.Epoch,
                ["loss"] = epoch.Loss,
                ["accuracy"] = epoch.Accuracy,
                ["valLoss"] = epoch.ValidationLoss,
                ["valAccuracy"] = epoch.ValidationAccuracy,
                ["valR2"] = result.EpochLine?.ValidationR2(epoch),
                ["learningRate"] = epoch.LearningRate,
                ["seconds"] = Math.Round(epoch.Duration.TotalSeconds, 4),
            });
        if (settings.Diagnose) GradientDiagnosis.AddTo(history, result.GradientReports, result.Settings);
        var data = result.Data;
        // JSON has no NaN: a metric the test rows leave undefined (R² of targets that do not vary, as
        // with a single test row) is null, and why is said beside it.
        var test = new JsonObject();
        var undefined = new JsonObject();
        int testRows = data.XTest.Size(0);
        foreach (var score in result.Test.Scores)
        {
            bool finite = double.IsFinite(score.Value);
            test[score.Key] = finite ? score.Value : null;
            string why = score.Key == "r2" ? "R² needs test targets that vary" : "the test rows leave it undefined";
            string rows = testRows == 1 ? "the 1 test row" : $"the {testRows} test rows";
            if (!finite) undefined[score.Key] = $"not defined on {rows} ({why}); give a larger --test-split";
        }
        return new JsonObject
        {
            ["command"] = "train",
            ["data"] = new JsonObject
            {
                ["name"] = data.Name,
                ["rows"] = data.Samples,
                ["features"] = data.Features,
                ["builtIn"] = data.IsBuiltIn,
                ["target"] = data.Preprocessor switch { TabularPreprocessor tabular => tabular.Target, TextPreprocessor text => text.Target, _ => null },
                ["classes"] = data.Task == ModelTask.Classification ? new JsonArray([.. data.Preprocessor.ClassLabels.Select(name => JsonValue.Create(name))]) : null,
                ["trainRows"] = result.TrainingRows,
                ["validationRows"] = result.ValidationRows,
                ["testRows"] = data.XTest.Size(0),
            },
            ["model"] = new JsonObject
            {
                ["kind"] = TrainChoices.Model.WordOf(settings.Model),
                ["architecture"] = result.ModelDescription,
                ["parameters"] = result.ParameterCount,
            },
            ["settings"] = new JsonObject
            {
                ["task"] = data.Task == ModelTask.Classification ? "classification" : "regression",
                // The networks' settings; null for the linear estimators, which have no such setting.
                ["hidden"] = network && settings.Text is null ? new JsonArray([.. settings.Hidden.Select(width => JsonValue.Create(width))]) : null,
                ["activation"] = network && settings.Text is null ? TrainChoices.Activation.WordOf(settings.Activation) : null,
                ["optimizer"] = settings.OptimizerName,
                // The run's own settings: --lr auto fills in the rate after the search.
                ["learningRate"] = result.Settings.LearningRate,
                ["learningRateFoundBy"] = settings.FindLearningRate == LearningRateSearchMode.Auto ? LearningRateSearch.FoundBy : null,
                ["lrSchedule"] = settings.Schedule is { } schedule ? ScheduleJson(schedule) : null,
                ["weightDecay"] = network ? settings.WeightDecay : null,
                ["clipGradValue"] = settings.ClipGradValue,
                ["clipGradNorm"] = settings.ClipGradNorm,
                ["dropout"] = settings.Model == ModelKind.Mlp || (settings.Text is not null && network) ? settings.Dropout : null,
                ["batchNorm"] = settings.Model == ModelKind.Mlp ? settings.BatchNorm : null,
                ["earlyStopping"] = settings.EarlyStoppingPatience,
                ["batchSize"] = network ? settings.BatchSize is { } size ? JsonValue.Create(size) : JsonValue.Create("full") : null,
                ["epochs"] = network && settings.Federated is null ? settings.Epochs : null,
                ["federated"] = settings.Federated is { } federated ? new JsonObject
                {
                    ["clients"] = federated.Clients,
                    ["rounds"] = federated.Rounds,
                    ["localEpochs"] = federated.LocalEpochs,
                    ["nonIidAlpha"] = federated.NonIidAlpha,
                    ["clientFraction"] = federated.ClientFraction,
                } : null,
                ["maxIterations"] = result.SolverIterations is null ? null : settings.Epochs,
                ["iterations"] = result.SolverIterations,
                ["testSplit"] = settings.TestSplit,
                ["validationShare"] = network ? TrainSettings.ValidationShare : 0,
                ["drop"] = new JsonArray([.. settings.DropColumns.Select(column => JsonValue.Create(column))]),
                ["impute"] = TrainChoices.Impute.WordOf(settings.Impute),
                ["alpha"] = settings.Alpha,
                ["seed"] = settings.Seed,
                ["text"] = settings.Text is { } textSettings && data.Preprocessor is TextPreprocessor texts ? TextJson(settings.Model, textSettings, texts) : null,
            },
            ["history"] = history,
            ["learningRateFinder"] = result.LearningRateSearch?.ToJson(),
            ["stoppedEarly"] = result.EarlyStopping is { } stopping ? stopping.StoppedEpoch > 0 : null,
            ["bestEpoch"] = result.EarlyStopping?.BestEpoch,
            ["test"] = test,
            ["undefinedMetrics"] = undefined.Count > 0 ? undefined : null,
            ["modelPath"] = result.ModelPath,
            ["plotPath"] = result.PlotPath,
            ["runLogPath"] = result.RunLogPath,
            ["seconds"] = Math.Round(result.TrainingTime.TotalSeconds, 3),
        };
    }
}
