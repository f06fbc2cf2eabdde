using System.Globalization;
using Nabla.Data;
using Nabla.Selection;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// The run log of <c>nabla tune</c> (<c>--logdir</c>, <c>--run-name</c>): a search's <see cref="RunLog"/>, with the settings
/// that say what was searched and how it was scored, a trial event as each trial ends (a resumed search's log holds
/// those replayed from <c>--state</c> first), and the end once the best model is refitted and saved: completed, stopped
/// early by the time budget, interrupted by a signal (Ctrl-C, SIGTERM), or failed.
/// </summary>
internal sealed class TuneRunLog : IDisposable
{
    /// <summary>The end of a default run name, after the start time: <c>20261207-0712-tune</c>.</summary>
    public const string DefaultNameEnd = "tune";

    private readonly RunLog _log;

    private TuneRunLog(RunLog log) => _log = log;

    /// <summary>The log file, as a full path.</summary>
    public string Path => System.IO.Path.GetFullPath(_log.Path);

    /// <summary>Begins the log of the search <paramref name="settings"/> asks for, or returns null without <c>--logdir</c>'s folder.</summary>
    /// <exception cref="IOException">The folder holds a log (another run took the name since the options were read), or the log cannot be created.</exception>
    public static TuneRunLog? Begin(TuneSettings settings, TrainingData data, TuneMetric metric, IReadOnlyList<TuneFamily> families, int parallel)
    {
        if (settings.RunLogDirectory is not { } directory) return null;
        var log = new RunLog(directory, Settings(settings, data, metric, families, parallel)) { IsSearch = true };
        try
        {
            log.Begin();
        }
        catch
        {
            log.Dispose();
            throw;
        }
        return new TuneRunLog(log);
    }

    /// <summary>Appends a trial that ended, forced to disk.</summary>
    public void Trial(TunedTrial trial)
    {
        var record = trial.Record;
        var outcome = record.State switch
        {
            TrialState.Complete => RunTrialOutcome.Complete,
            TrialState.Pruned => RunTrialOutcome.Pruned,
            _ => RunTrialOutcome.Failed,
        };
        var parameters = record.Parameters.Names.ToDictionary(name => name, record.Parameters.Text, StringComparer.Ordinal);
        _log.Trial(new RunTrialEvent(trial.Number, TrainChoices.Model.WordOf(trial.Family.Model), outcome, record.Score, record.Std, record.Duration, parameters, record.Error)
        {
            Budget = record.Budget,
            Curve = [.. record.IntermediateValues.Select(value => new RunCurvePoint(value.Step, value.Value))],
        });
    }

    /// <summary>Ends the log of a search that saved its model: completed, stopped by the time budget, or interrupted.</summary>
    public void End(TuneSettings settings, bool finished, bool interrupted)
    {
        if (interrupted) _log.End(RunOutcome.Interrupted, "a signal (Ctrl-C or SIGTERM) stopped the search; the best trial before it was refitted and saved");
        else if (!finished) _log.End(RunOutcome.StoppedEarly, string.Create(CultureInfo.InvariantCulture, $"the time budget of {settings.TimeBudget!.Value.TotalSeconds:R} s ended the search; the best trial was refitted and saved"));
        else _log.End(RunOutcome.Completed);
    }

    /// <summary>Ends the log of a search that <paramref name="error"/> stopped: interrupted when a signal did (during the refit, or before any trial completed), failed otherwise.</summary>
    public void Fail(Exception error, bool interrupted) =>
        _log.End(interrupted || error is TrainingInterruptedException ? RunOutcome.Interrupted : RunOutcome.Failed, ErrorHandling.MessageOf(error));

    /// <summary>Closes the file.</summary>
    public void Dispose() => _log.Dispose();

    /// <summary>What the search is: the data, the score and its direction, the search and its budget, the models searched.</summary>
    private static Dictionary<string, string> Settings(TuneSettings settings, TrainingData data, TuneMetric metric, IReadOnlyList<TuneFamily> families, int parallel)
    {
        var train = settings.Base;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["command"] = "tune",
            ["data"] = train.DataPath is { } path ? System.IO.Path.GetFullPath(path) : $"built-in {TrainingData.BuiltInName}",
            ["target"] = data.Preprocessor is TabularPreprocessor tabular ? tabular.Target : "",
            ["task"] = ModelText.TaskName(data.Task),
            ["metric"] = metric.Key,
            ["direction"] = metric.IsGreaterBetter ? "maximize" : "minimize",
            ["search"] = TuneChoices.Search.WordOf(settings.Search),
            ["trials"] = TrialBudget(settings),
            ["time_budget"] = settings.TimeBudget is { } budget ? Text(budget.TotalSeconds) : "",
            ["folds"] = Text(settings.Folds),
            ["trial_epochs"] = Text(train.Epochs),
            ["seed"] = Text(train.Seed),
            ["models"] = string.Join(',', families.Select(family => TrainChoices.Model.WordOf(family.Model)).Distinct()),
            ["space"] = settings.Space?.ToString() ?? "",
            ["parallel"] = Text(parallel),
            // What each trial's curve holds: a network's, after each epoch of its first fold; the linear models report none.
            ["curve"] = families.Any(family => family.IsNetwork) ? TuneObjective.CurveName(data, metric) : "",
        };
    }

    /// <summary>
    /// The trials the search may run: <c>--trials</c>, or its default; empty where nothing bounds their number but the
    /// search itself or the clock (a grid's every combination, hyperband's brackets, a time budget alone).
    /// </summary>
    private static string TrialBudget(TuneSettings settings) =>
        settings.Trials is { } trials ? Text(trials)
        : settings.TimeBudget is not null || settings.Search is SearchKind.Grid or SearchKind.Hyperband ? ""
        : Text(TuneFamily.DefaultTrials);

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
