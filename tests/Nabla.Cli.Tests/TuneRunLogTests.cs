using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nabla.Tests;
using Nabla.Training;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla tune --logdir</c> and <c>--run-name</c> on real processes: the search's log lands in runs/ beside the model with
/// a trial event for every trial of the leaderboard, and nothing else writes a log there; <c>--logdir none</c> writes none;
/// a taken name is refused before any work; a resumed search needs a new name, and its log holds every trial; the time
/// budget ends the log as a search stopped early.
/// </summary>
public sealed partial class TuneRunLogTests : TemporaryFolder
{
    private static string Cli => RepositoryLayout.CliAssembly;

    /// <summary>A search of a few quick trials on iris, its state and model in the test's folder.</summary>
    private string[] Tune(string name, params string[] options) =>
        ["tune", "--data", SharedData.PathOf("iris.csv"), "--target", "species", "--cv", "2", "--state", PathOf($"{name}-state"), "--out", PathOf($"{name}.safetensors"), .. options];

    [GeneratedRegex(@"^\d{8}-\d{4}-tune$")]
    private static partial Regex DefaultName();

    private static JsonObject Json(ProgramRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonNode.Parse(run.StandardOutput)!.AsObject();
    }

    [Fact]
    public void ASearchOnIris_LogsEveryTrialOfItsLeaderboard_InRunsBesideTheModel()
    {
        var json = Json(ProgramRun.Start(Cli, Tune("auto", "--trials", "5", "--epochs", "3", "--seed", "2", "--json")));

        // One log, the search's: neither its trials nor its refit write one of their own.
        string folder = Assert.Single(Directory.GetDirectories(PathOf("runs")));
        Assert.Matches(DefaultName(), Path.GetFileName(folder));
        string path = Path.Combine(folder, RunLog.FileName);
        Assert.Equal(path, (string)json["runLogPath"]!);
        var log = RunLogReader.Read(path);

        var leaderboard = json["trials"]!.AsArray().Select(trial => trial!.AsObject()).ToArray();
        Assert.Equal(5, log.Trials.Count);
        Assert.Equal(leaderboard.Select(trial => (int)trial["number"]!).Order(), log.Trials.Select(trial => trial.Number).Order());
        foreach (var trial in leaderboard)
        {
            var logged = Assert.Single(log.Trials, t => t.Number == (int)trial["number"]!);
            Assert.Equal((string)trial["state"]!, logged.Outcome.ToString().ToLowerInvariant());
            Assert.Equal((double?)trial["score"], logged.Score);
            Assert.Equal((double?)trial["std"], logged.Std);
            Assert.Equal((double)trial["seconds"]!, Math.Round(logged.Duration.TotalSeconds, 3));
            Assert.Equal((string?)trial["error"], logged.Error);
            // The log names the model; the leaderboard its search, which for the first mlp trial is that of train's defaults.
            Assert.Contains((string)trial["model"]!, new[] { logged.Model, $"{logged.Model}-defaults" });
            var parameters = trial["parameters"]!.AsObject();
            Assert.Equal(parameters.Select(p => p.Key), logged.Parameters.Keys);
            foreach (var (name, value) in parameters) Assert.Equal(Text(value!), logged.Parameters[name]);
        }
        Assert.Contains(log.Trials, trial => trial.Parameters.ContainsKey("hidden"));
        Assert.Contains(log.Trials, trial => trial.Parameters.ContainsKey("alpha"));

        var settings = log.Settings.Settings;
        Assert.Equal("tune", settings["command"]);
        Assert.Equal(SharedData.PathOf("iris.csv"), settings["data"]);
        Assert.Equal("species", settings["target"]);
        Assert.Equal("accuracy", settings["metric"]);
        Assert.Equal("maximize", settings["direction"]);
        Assert.Equal("tpe", settings["search"]);
        Assert.Equal("5", settings["trials"]);
        Assert.Equal("2", settings["folds"]);
        Assert.Equal("2", settings["seed"]);
        Assert.Equal("logistic,svm,mlp", settings["models"]);
        Assert.Empty(log.Epochs);
        Assert.Equal(RunOutcome.Completed, log.End!.Outcome);
        Assert.Equal(5, log.End.Trials);
        Assert.Null(log.IgnoredPartialLine);
    }

    /// <summary>A parameter of the leaderboard as the log writes it: numbers in their round-trip form, lists joined by commas.</summary>
    private static string Text(JsonNode value) => value switch
    {
        JsonArray list => string.Join(',', list.Select(item => Text(item!))),
        JsonValue number when number.TryGetValue(out double real) => real.ToString("R", CultureInfo.InvariantCulture),
        _ => (string)value!,
    };

    [Fact]
    public void TheSummary_NamesTheLog_AndLogdirNoneWritesNone()
    {
        var named = ProgramRun.Start(Cli, Tune("named", "--model", "logistic", "--trials", "2", "--logdir", PathOf("logs"), "--run-name", "first-search"));
        var none = ProgramRun.Start(Cli, Tune("none", "--model", "logistic", "--trials", "2", "--logdir", "none"));
        var noneJson = Json(ProgramRun.Start(Cli, Tune("none-json", "--model", "logistic", "--trials", "2", "--logdir", "none", "--json")));

        Assert.True(named.ExitCode == 0, named.ToString());
        string path = Path.Combine(PathOf("logs"), "first-search", RunLog.FileName);
        Assert.Contains($"Run log:         {path}", named.OutputLines);
        Assert.Equal(2, RunLogReader.Read(path).Trials.Count);
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.DoesNotContain(none.OutputLines, line => line.StartsWith("Run log:", StringComparison.Ordinal));
        Assert.Null(noneJson["runLogPath"]);
        Assert.False(Directory.Exists(PathOf("runs")));
    }

    [Fact]
    public void ATakenRunName_IsRefusedWithOneErrorLine_AndNothingIsWritten()
    {
        var first = ProgramRun.Start(Cli, Tune("first", "--model", "logistic", "--trials", "2", "--run-name", "baseline"));
        Assert.True(first.ExitCode == 0, first.ToString());
        string path = Path.Combine(PathOf("runs"), "baseline", RunLog.FileName);
        byte[] before = File.ReadAllBytes(path);

        var second = ProgramRun.Start(Cli, Tune("second", "--model", "logistic", "--trials", "2", "--run-name", "baseline"));

        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Equal($"error: --run-name 'baseline': '{path}' already holds the log of another run, which a run never writes over; choose another name, or remove that folder.",
            Assert.Single(second.ErrorLines));
        Assert.Empty(second.StandardOutput);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(PathOf("second.safetensors")));
        Assert.False(Directory.Exists(PathOf("second-state")));
        Assert.Equal([Path.Combine(PathOf("runs"), "baseline")], Directory.GetDirectories(PathOf("runs")));
    }

    [Fact]
    public void AResumedSearch_NeedsANewName_AndItsLogHoldsEveryTrial()
    {
        string[] search = Tune("resumed", "--model", "logistic", "--trials", "3", "--json");
        var first = Json(ProgramRun.Start(Cli, [.. search, "--run-name", "before"]));

        var again = ProgramRun.Start(Cli, [.. search, "--resume", "--run-name", "before"]);
        var resumed = Json(ProgramRun.Start(Cli, [.. search, "--resume", "--run-name", "after"]));

        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.StartsWith("error: --run-name 'before': ", Assert.Single(again.ErrorLines), StringComparison.Ordinal);
        var before = RunLogReader.Read(Path.Combine(PathOf("runs"), "before", RunLog.FileName));
        var after = RunLogReader.Read(Path.Combine(PathOf("runs"), "after", RunLog.FileName));
        static string[] Trials(RunLogContents log) =>
            [.. log.Trials.OrderBy(t => t.Number).Select(t => $"{t.Number} {t.Outcome} {t.Score:R} {string.Join(';', t.Parameters.Select(p => $"{p.Key}={p.Value}"))}")];
        Assert.Equal(3, after.Trials.Count);
        Assert.Equal(Trials(before), Trials(after));
        Assert.Equal(first["best"]!["parameters"]!.ToJsonString(), resumed["best"]!["parameters"]!.ToJsonString());
        Assert.Equal(RunOutcome.Completed, after.End!.Outcome);
    }

    [Fact]
    public void TheTimeBudget_EndsTheLog_AsASearchStoppedEarly()
    {
        // Trials of about half a second, more than fit in the budget.
        var json = Json(ProgramRun.Start(Cli, Tune("budget", "--model", "mlp", "--time-budget", "3s", "--epochs", "10", "--json")));

        var log = RunLogReader.Read((string)json["runLogPath"]!);

        Assert.False((bool)json["finished"]!);
        Assert.Equal(json["trials"]!.AsArray().Count, log.Trials.Count);
        Assert.Equal(RunOutcome.StoppedEarly, log.End!.Outcome);
        Assert.Equal("the time budget of 3 s ended the search; the best trial was refitted and saved", log.End.Reason);
        Assert.Equal(log.Trials.Count, log.End.Trials);
        Assert.Equal("3", log.Settings.Settings["time_budget"]);
        Assert.Equal("", log.Settings.Settings["trials"]);
    }

    [Fact]
    public void ASearchThatSavesNoModel_EndsItsLogFailed_WithTheErrorItPrints()
    {
        // Trials of 10,000 epochs, stopped by a budget of a second before any completes.
        var run = ProgramRun.Start(Cli, Tune("nothing", "--model", "mlp", "--time-budget", "1s", "--epochs", "10000", "--run-name", "nothing"));

        Assert.True(run.ExitCode == 1, run.ToString());
        var log = RunLogReader.Read(Path.Combine(PathOf("runs"), "nothing", RunLog.FileName));
        Assert.Equal(RunOutcome.Failed, log.End!.Outcome);
        Assert.Equal(Assert.Single(run.ErrorLines), $"error: {log.End.Reason}");
        Assert.StartsWith("no trial completed within the time budget", log.End.Reason, StringComparison.Ordinal);
        Assert.Equal(log.Trials.Count, log.End.Trials);
    }
}
