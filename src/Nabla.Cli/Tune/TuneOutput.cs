using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Selection;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Nabla.Cli;

/// <summary>
/// How <c>nabla tune</c> shows itself: a header, then the trials as they end (a live table with the best so far on a terminal,
/// a line per trial otherwise), then the best settings, the command that trains them, and the refitted model's test scores;
/// only the summary with <c>--quiet</c>; one JSON object and nothing else on standard output with <c>--json</c>.
/// </summary>
internal sealed class TuneOutput(TuneSettings settings)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The trials a live table shows: the latest, under the best so far.</summary>
    private const int LiveRows = 12;

    private readonly TextWriter _out = TerminalWriter.Out;
    private readonly List<TunedTrial> _ended = [];
    private TuneMetric? _metric;
    private TunedTrial? _best;
    private LiveDisplayContext? _live;

    private bool ShowsProgress => !settings.Quiet && !settings.Json;

    /// <summary>Says what is searched: the data and its split, the metric, the searches and their trials.</summary>
    public void WriteHeader(TrainingData data, TuneMetric metric, IReadOnlyList<TuneFamily> families, int parallel, int trainingRows)
    {
        if (!ShowsProgress) return;
        string source = data.IsBuiltIn ? $"built-in {data.Name}" : data.Name;
        string target = data.Preprocessor is TabularPreprocessor tabular && !data.IsBuiltIn ? $" (target {tabular.Target})" : "";
        string task = data.Task == ModelTask.Classification ? $"{data.Preprocessor.ClassLabels.Count} classes" : "regression";
        _out.WriteLine(string.Create(Invariant, $"Data:      {source}, {data.Samples} rows × {data.Features} features, {task}{target}"));
        _out.WriteLine(string.Create(Invariant,
            $"           {trainingRows} train, scored by {settings.Folds}-fold cross-validation{(data.Task == ModelTask.Classification ? " (stratified)" : "")}; {data.XTest.Size(0)} test, held out until the end"));
        string unit = settings.Search switch
        {
            SearchKind.Grid => "every combination",
            SearchKind.Hyperband => "brackets of halving",
            SearchKind.Halving => "trials starting",
            _ => "trials",
        };
        string trials = string.Join(", ", families.Select(family =>
            settings.Search is SearchKind.Grid or SearchKind.Hyperband || family.Trials >= TuneFamily.UnboundedTrials ? family.Name : $"{family.Name} ({family.Trials})"));
        _out.WriteLine($"Search:    {TuneChoices.Search.WordOf(settings.Search)} over {trials}, {unit}; by {metric.Key}, {(metric.IsGreaterBetter ? "greater" : "smaller")} is better");
        string budget = settings.TimeBudget is { } time ? $"; time budget {Duration(time)}" : "";
        _out.WriteLine(string.Create(Invariant, $"           {parallel} {(parallel == 1 ? "trial" : "trials")} at a time{budget}; Ctrl-C stops after the running trials and keeps the best"));
        _out.WriteLine();
        _out.Flush();
    }

    /// <summary>Runs the search <paramref name="search"/> under the display of trials that suits the output.</summary>
    public void Follow(TuneMetric metric, Action search)
    {
        _metric = metric;
        if (ShowsProgress && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Live(Table()).AutoClear(false).Start(context =>
            {
                _live = context;
                search();
            });
            _live = null;
            return;
        }
        if (ShowsProgress)
        {
            _out.WriteLine(Line("#", "model", $"{metric.Key} ({settings.Folds}-fold)", "budget", "time", "settings"));
            _out.Flush();
        }
        search();
    }

    /// <summary>Shows a trial that just ended (called one trial at a time).</summary>
    public void TrialEnded(TunedTrial trial)
    {
        _ended.Add(trial);
        bool better = trial.Record.State == TrialState.Complete && (_best is null || IsBetter(trial, _best));
        if (better) _best = trial;
        if (_live is { } live)
        {
            live.UpdateTarget(Table());
            return;
        }
        if (!ShowsProgress) return;
        var cells = Cells(trial);
        _out.WriteLine(Line(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]) + (better ? "  (best so far)" : ""));
        _out.Flush();
    }

    /// <summary>Says which settings are refitted, before the refit runs.</summary>
    public void WriteRefitting(TunedTrial best, TrainingData data)
    {
        if (!ShowsProgress) return;
        _out.WriteLine();
        _out.WriteLine(string.Create(Invariant, $"Refitting trial {best.Number} ({best.Family.Name}) on all {data.XTrain.Size(0)} training rows, then scoring it on the {data.XTest.Size(0)} test rows…"));
        _out.Flush();
    }

    /// <summary>Shows what the search found and the refitted model: text, or the JSON object.</summary>
    public void WriteResult(TuneResult result)
    {
        if (settings.Json)
        {
            CommandOutput.WriteJson(Json(result));
            return;
        }
        var best = result.Best.Record;
        var metric = result.Metric;
        var counts = result.Trials.GroupBy(trial => trial.Record.State).ToDictionary(group => group.Key, group => group.Count());
        if (!settings.Quiet)
        {
            _out.WriteLine();
            _out.WriteLine("Leaderboard (best first):");
            foreach (var trial in Leaderboard(result).Take(5))
            {
                var cells = Cells(trial);
                _out.WriteLine(Line(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]));
            }
            _out.WriteLine();
        }
        string stopped = result.Interrupted ? "; stopped by Ctrl-C, so this is the best found before it (resume with --resume)"
            : !result.Finished ? "; the time budget ended the search"
            : "";
        _out.WriteLine(string.Create(Invariant,
            $"Search:          {result.Trials.Count} trials ({Count(counts, TrialState.Complete)} complete, {Count(counts, TrialState.Pruned)} pruned, {Count(counts, TrialState.Failed)} failed) in {Duration(result.SearchTime)}{stopped}"));
        _out.WriteLine(string.Create(Invariant,
            $"                 {result.Overhead:P1} of it outside the trials (choosing settings, saving the state); {result.Parallel} at a time kept the slots {result.Utilisation:P0} busy"));
        _out.WriteLine(string.Create(Invariant, $"Best:            trial {result.Best.Number}, {result.Best.Family.Name}: {metric.Key} {Score(best)} over {settings.Folds} folds{BudgetText(result.Best)}"));
        _out.WriteLine($"                 {TerminalText.Escape(Settings(best.Parameters))}");
        if (result.Top != result.Best)
            _out.WriteLine(string.Create(Invariant,
                $"                 chosen as the simpler model within one standard error of the top score, trial {result.Top.Number} ({result.Top.Family.Name}: {Score(result.Top.Record)})"));
        _out.WriteLine($"Same model:      {TerminalText.Escape(result.TrainCommand)}");
        var test = result.Refit.Test;
        string scores = string.Join(", ", test.Scores.Take(2).Select(score => $"{score.Key} {ModelText.Metric(score.Value)}"));
        _out.WriteLine(string.Create(Invariant, $"Test:            {scores} on the {result.Data.XTest.Size(0)} test rows, which only this final model has seen, once"));
        _out.WriteLine($"Model saved to:  {TerminalText.Escape(result.Refit.ModelPath)}");
        if (result.PlotPath is { } plot) _out.WriteLine($"Trials plot:     {TerminalText.Escape(plot)}");
        if (result.RunLogPath is { } log) _out.WriteLine($"Run log:         {TerminalText.Escape(log)}");
        _out.Flush();
    }

    private static int Count(Dictionary<TrialState, int> counts, TrialState state) => counts.GetValueOrDefault(state);

    /// <summary>Completed trials at the largest budgets, best first, then the pruned and failed ones.</summary>
    private static IEnumerable<TunedTrial> Leaderboard(TuneResult result) =>
        TuneJob.BestFirst(result.Settings, result.Trials.Where(trial => trial.Record.State == TrialState.Complete), result.Metric.Direction)
            .Concat(result.Trials.Where(trial => trial.Record.State != TrialState.Complete));

    /// <summary>Whether <paramref name="trial"/> ranks above <paramref name="than"/> (a tie keeps the earlier one).</summary>
    private bool IsBetter(TunedTrial trial, TunedTrial than) => TuneJob.BestFirst(settings, [than, trial], _metric!.Direction).First() == trial;

    private IRenderable Table()
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in new[] { "#", "model", $"{_metric!.Key} ({settings.Folds}-fold)", "budget", "time", "settings" }) table.AddColumn(column);
        if (_best is { } best)
        {
            table.AddRow([.. Cells(best).Select(cell => new Markup($"[bold green]{Markup.Escape(cell)}[/]"))]);
            table.AddEmptyRow();
        }
        foreach (var trial in _ended.TakeLast(LiveRows)) table.AddRow([.. Cells(trial).Select(cell => new Markup(Markup.Escape(cell)))]);
        table.Caption(_best is null ? "no trial has completed yet" : $"best so far in bold; {_ended.Count} trials ended");
        return table;
    }

    private string[] Cells(TunedTrial trial)
    {
        var record = trial.Record;
        string outcome = record.State switch
        {
            TrialState.Complete => Score(record),
            TrialState.Pruned => $"pruned at epoch {record.IntermediateValues[^1].Step}",
            _ => "failed",
        };
        string settingsText = record.State == TrialState.Failed ? $"{Settings(record.Parameters)}: {record.Error}" : Settings(record.Parameters);
        return [Number(trial.Number), trial.Family.Name, outcome, BudgetCell(trial), string.Create(Invariant, $"{record.Duration.TotalSeconds:F1} s"), settingsText];
    }

    private string BudgetCell(TunedTrial trial) => trial.Family.IsNetwork ? $"{Number(trial.Record.Budget)} ep" : $"{Number(trial.Record.Budget)} % rows";

    private string BudgetText(TunedTrial trial) =>
        trial.Family.IsNetwork ? string.Create(Invariant, $", {trial.Record.Budget} epochs")
        : trial.Record.Budget < TuneObjective.FullRowShare ? string.Create(Invariant, $", on {trial.Record.Budget} % of the rows") : "";

    /// <summary>The settings as <c>name=value</c> pairs, real numbers to four significant digits (the command that refits gives them exactly).</summary>
    private static string Settings(TrialParameters parameters) => string.Join(", ", parameters.Names.Select(name => parameters[name] switch
    {
        double real => $"{name}={real.ToString("G4", Invariant).Replace('E', 'e')}",
        Array => $"{name}=[{parameters.Text(name)}]",
        _ => $"{name}={parameters.Text(name)}",
    }));

    private static string Score(TrialRecord record) =>
        record.Std is { } std ? $"{ModelText.Metric(record.Score!.Value)} ± {ModelText.Metric(std)}" : ModelText.Metric(record.Score!.Value);

    private static string Number(int value) => value.ToString(Invariant);

    private static string Line(string number, string model, string score, string budget, string time, string settingsText) =>
        TerminalText.Escape($"{number,4}  {model,-13} {score,-22} {budget,-10} {time,7}  {settingsText}");

    private static string Duration(TimeSpan time) =>
        time.TotalHours >= 1 ? string.Create(Invariant, $"{(int)time.TotalHours} h {time.Minutes:D2} min")
        : time.TotalMinutes >= 1 ? string.Create(Invariant, $"{(int)time.TotalMinutes} min {time.Seconds:D2} s")
        : string.Create(Invariant, $"{time.TotalSeconds:F1} s");

    private JsonObject Json(TuneResult result)
    {
        var data = result.Data;
        return new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["name"] = data.Name,
                ["task"] = ModelText.TaskName(data.Task),
                ["trainRows"] = data.XTrain.Size(0),
                ["testRows"] = data.XTest.Size(0),
            },
            ["search"] = TuneChoices.Search.WordOf(settings.Search),
            ["model"] = TuneChoices.Model.WordOf(settings.Model),
            ["metric"] = new JsonObject { ["name"] = result.Metric.Key, ["greaterIsBetter"] = result.Metric.IsGreaterBetter },
            ["folds"] = settings.Folds,
            ["parallel"] = result.Parallel,
            ["trials"] = new JsonArray([.. result.Trials.Select(trial => (JsonNode)TrialJson(trial))]),
            ["best"] = TrialJson(result.Best),
            // The top-scoring trial; a simpler model within one standard error of it is refitted instead (best).
            ["top"] = TrialJson(result.Top),
            ["trainCommand"] = result.TrainCommand,
            ["test"] = CommandOutput.Json(result.Refit.Test.ByKey),
            // The test rows scored one model, the refitted best, once; no trial saw them.
            ["testEvaluations"] = 1,
            ["finished"] = result.Finished,
            ["interrupted"] = result.Interrupted,
            ["searchSeconds"] = Math.Round(result.SearchTime.TotalSeconds, 3),
            ["trialSeconds"] = Math.Round(result.TrialTime.TotalSeconds, 3),
            ["summedTrialSeconds"] = Math.Round(result.SummedTrialTime.TotalSeconds, 3),
            ["overhead"] = Math.Round(result.Overhead, 5),
            ["utilisation"] = Math.Round(result.Utilisation, 5),
            ["modelPath"] = result.Refit.ModelPath,
            ["plotPath"] = result.PlotPath,
            ["runLogPath"] = result.RunLogPath,
            ["statePath"] = Path.GetFullPath(settings.StateDirectory),
        };
    }

    private static JsonObject TrialJson(TunedTrial trial)
    {
        var record = trial.Record;
        var parameters = new JsonObject();
        foreach (string name in record.Parameters.Names)
            parameters[name] = record.Parameters[name] switch
            {
                int whole => JsonValue.Create(whole),
                double real => CommandOutput.Json(real),
                int[] list => new JsonArray([.. list.Select(item => (JsonNode)JsonValue.Create(item))]),
                double[] list => new JsonArray([.. list.Select(CommandOutput.Json)]),
                var other => JsonValue.Create(other.ToString()),
            };
        return new JsonObject
        {
            ["number"] = trial.Number,
            ["model"] = trial.Family.Name,
            ["state"] = record.State.ToString().ToLowerInvariant(),
            ["score"] = record.Score is { } score ? CommandOutput.Json(score) : null,
            ["std"] = record.Std is { } std ? CommandOutput.Json(std) : null,
            ["budget"] = record.Budget,
            ["budgetUnit"] = trial.Family.IsNetwork ? "epochs" : "percent of rows",
            ["seconds"] = Math.Round(record.Duration.TotalSeconds, 3),
            ["parameters"] = parameters,
            ["prunedAt"] = record.State == TrialState.Pruned ? record.IntermediateValues[^1].Step : null,
            ["error"] = record.Error,
        };
    }
}
