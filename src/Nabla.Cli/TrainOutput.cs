using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    // Plain Console.Out rather than AnsiConsole for text: AnsiConsole wraps redirected output at 80
    // columns, which would break a long path across lines.
    private readonly TextWriter _out = Console.Out;

    private bool ShowsProgress => !settings.Quiet && !settings.Json;

    /// <summary>Says what is about to be trained: the data, the model, the optimizer.</summary>
    public void WriteHeader(TrainingData data, TrainableModel model, int trainingRows, int validationRows)
    {
        if (!ShowsProgress) return;
        _out.WriteLine(string.Create(Invariant,
            $"Data:      built-in {data.Name}, {data.Samples} rows × {data.Features} features, {data.ClassNames.Count} classes"));
        _out.WriteLine(string.Create(Invariant,
            $"           {trainingRows} train, {validationRows} validation, {data.YTest.Size(0)} test (stratified, seed {settings.Seed})"));
        _out.WriteLine(string.Create(Invariant,
            $"Model:     {OptionWords.Of(settings.Model)} {model.Architecture}, {model.Network.ParameterCount:N0} parameters"));
        _out.WriteLine(string.Create(Invariant,
            $"Optimizer: {OptionWords.Of(settings.Optimizer)}, lr {settings.LearningRate:G6}, batch {settings.BatchSize}, {settings.Epochs} epochs"));
        _out.WriteLine();
        _out.Flush();
    }

    /// <summary>Runs <paramref name="fit"/> with the progress display that suits the output: live bars, plain lines, or none.</summary>
    public History ShowProgress(Trainer trainer, Func<History> fit)
    {
        if (!ShowsProgress) return fit();
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            trainer.Callbacks.Add(new PlainProgress(_out));
            return fit();
        }
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .Start(context =>
            {
                trainer.Callbacks.Add(new LiveProgress(context));
                return fit();
            });
    }

    /// <summary>Says on standard error, whatever the mode, that something went less well than asked, though the run goes on.</summary>
    public static void WriteWarning(string message) => Console.Error.WriteLine($"warning: {message}");

    /// <summary>Writes the result: the summary lines, or the JSON object.</summary>
    public void WriteResult(TrainResult result)
    {
        if (settings.Json)
        {
            // Plain Console, not AnsiConsole: JSON must never be wrapped or styled.
            Console.Out.WriteLine(Json(result).ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return;
        }
        if (ShowsProgress) _out.WriteLine();
        var test = result.Test;
        _out.WriteLine(string.Create(Invariant, $"Test accuracy:   {test.Accuracy:F4}"));
        _out.WriteLine(string.Create(Invariant, $"Macro F1:        {test.MacroF1:F4}"));
        _out.WriteLine(string.Create(Invariant, $"Macro precision: {test.MacroPrecision:F4}"));
        _out.WriteLine(string.Create(Invariant, $"Macro recall:    {test.MacroRecall:F4}"));
        _out.WriteLine(string.Create(Invariant, $"Weighted F1:     {test.WeightedF1:F4}"));
        _out.WriteLine(string.Create(Invariant, $"Training time:   {result.TrainingTime.TotalSeconds:F2} s"));
        _out.WriteLine($"Model saved to:  {result.ModelPath}");
        if (result.PlotPath is { } plot) _out.WriteLine($"Plot saved to:   {plot}");
    }

    private JsonObject Json(TrainResult result)
    {
        var history = new JsonArray();
        foreach (var epoch in result.History.Epochs)
            history.Add(new JsonObject
            {
                ["epoch"] = epoch.Epoch,
                ["loss"] = epoch.Loss,
                ["accuracy"] = epoch.Accuracy,
                ["valLoss"] = epoch.ValidationLoss,
                ["valAccuracy"] = epoch.ValidationAccuracy,
                ["seconds"] = Math.Round(epoch.Duration.TotalSeconds, 4),
            });
        var data = result.Data;
        return new JsonObject
        {
            ["command"] = "train",
            ["data"] = new JsonObject
            {
                ["name"] = data.Name,
                ["rows"] = data.Samples,
                ["features"] = data.Features,
                ["classes"] = new JsonArray([.. data.ClassNames.Select(name => JsonValue.Create(name))]),
                ["trainRows"] = result.TrainingRows,
                ["validationRows"] = result.ValidationRows,
                ["testRows"] = data.YTest.Size(0),
            },
            ["model"] = new JsonObject
            {
                ["kind"] = OptionWords.Of(settings.Model),
                ["architecture"] = result.Architecture,
                ["parameters"] = result.Parameters,
            },
            ["settings"] = new JsonObject
            {
                ["task"] = OptionWords.Of(TaskKind.Classification),
                ["hidden"] = new JsonArray([.. settings.Hidden.Select(width => JsonValue.Create(width))]),
                ["activation"] = OptionWords.Of(settings.Activation),
                ["optimizer"] = OptionWords.Of(settings.Optimizer),
                ["learningRate"] = settings.LearningRate,
                ["batchSize"] = settings.BatchSize,
                ["epochs"] = settings.Epochs,
                ["testSplit"] = settings.TestSplit,
                ["validationShare"] = TrainSettings.ValidationShare,
                ["seed"] = settings.Seed,
            },
            ["history"] = history,
            ["test"] = new JsonObject
            {
                ["accuracy"] = result.Test.Accuracy,
                ["macroF1"] = result.Test.MacroF1,
                ["macroPrecision"] = result.Test.MacroPrecision,
                ["macroRecall"] = result.Test.MacroRecall,
                ["weightedF1"] = result.Test.WeightedF1,
            },
            ["modelPath"] = result.ModelPath,
            ["plotPath"] = result.PlotPath,
            ["seconds"] = Math.Round(result.TrainingTime.TotalSeconds, 3),
        };
    }
}
