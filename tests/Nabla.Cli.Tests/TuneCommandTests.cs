using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla tune</c> on real processes and the built-in data sets, with small budgets: every model family tried, the test rows
/// scored once at the end, the printed <c>nabla train</c> command giving the very model saved; grid and halving searches;
/// a search stopped by Ctrl-C keeps its best and resumes to the trials of a search never stopped; the time budget; bad input.
/// </summary>
public sealed class TuneCommandTests : TemporaryFolder
{
    private const int SigInt = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static string Cli => RepositoryLayout.CliAssembly;

    private ProgramRun Tune(params string[] args) => ProgramRun.Start(Cli, ["tune", "--state", PathOf("state"), .. args]);

    private static JsonObject Json(ProgramRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonNode.Parse(run.StandardOutput)!.AsObject();
    }

    private static JsonObject[] Trials(JsonObject json) => [.. json["trials"]!.AsArray().Select(trial => trial!.AsObject())];

    private static string Text(JsonNode? node) => node!.ToJsonString();

    [Fact]
    public void Auto_OnIris_TriesEveryFamily_ScoresTheTestRowsOnce_AndItsTrainCommandGivesTheSameModel()
    {
        string model = PathOf("tuned.safetensors"), plot = PathOf("trials.png");
        var json = Json(Tune("--data", SharedData.PathOf("iris.csv"), "--target", "species", "--trials", "10", "--cv", "3", "--epochs", "10",
            "--seed", "1", "--out", model, "--plot", plot, "--json"));

        var trials = Trials(json);
        Assert.Equal(10, trials.Length);
        Assert.Equal(["logistic", "mlp", "mlp-defaults", "svm"], trials.Select(trial => (string)trial["model"]!).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, 10), trials.Select(trial => (int)trial["number"]!).Order());
        // The top is the highest cross-validated accuracy; the model refitted is it, or a linear model within one
        // standard error of it (the one-standard-error rule).
        var complete = trials.Where(trial => (string)trial["state"]! == "complete").ToList();
        double top = complete.Max(trial => (double)trial["score"]!);
        Assert.Equal(top, (double)json["top"]!["score"]!);
        double best = (double)json["best"]!["score"]!, standardError = (double)json["top"]!["std"]! / Math.Sqrt(3);
        Assert.InRange(best, top - standardError, top);
        if (best != top) Assert.Contains((string)json["best"]!["model"]!, new[] { "logistic", "svm" });
        Assert.All(complete, trial => Assert.InRange((double)trial["score"]!, 0, 1));
        Assert.InRange(top, 0.9, 1); // iris is easy for the linear models
        Assert.Equal(1, (int)json["testEvaluations"]!);
        Assert.Equal(30, (int)json["data"]!["testRows"]!);
        Assert.True(File.Exists(model));
        byte[] png = File.ReadAllBytes(plot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

        // The command it prints trains the same model from scratch: the same test scores, digit for digit.
        string command = (string)json["trainCommand"]!;
        Assert.StartsWith("nabla train --data ", command, StringComparison.Ordinal);
        string[] words = command.Split(' ')[1..];
        words[^1] = PathOf("again.safetensors");
        var train = Json(ProgramRun.Start(Cli, [.. words, "--json"]));
        Assert.Equal(Text(json["test"]), Text(train["test"]));
    }

    [Fact]
    public void GridOverRidge_OnDiabetes_TriesFivePenalties_AndKeepsTheSmallestRmse()
    {
        var json = Json(Tune("--data", SharedData.PathOf("diabetes.csv"), "--target", "progression", "--model", "ridge", "--search", "grid",
            "--metric", "rmse", "--cv", "4", "--out", PathOf("ridge.safetensors"), "--json"));

        var trials = Trials(json).OrderBy(trial => (int)trial["number"]!).ToArray();
        // Five points of the default range 1e-4..1e3 on a log scale, both ends included.
        double[] alphas = [.. trials.Select(trial => (double)trial["parameters"]!["alpha"]!)];
        Assert.Equal(5, alphas.Length);
        Assert.Equal(1e-4, alphas[0], 12);
        Assert.Equal(1e3, alphas[^1], 9);
        for (int i = 1; i < alphas.Length; i++) Assert.Equal(7.0 / 4, Math.Log10(alphas[i]) - Math.Log10(alphas[i - 1]), 9);
        Assert.False((bool)json["metric"]!["greaterIsBetter"]!);
        double least = trials.Min(trial => (double)trial["score"]!);
        Assert.Equal(least, (double)json["best"]!["score"]!);
        // RMSE in the target's own units: diabetes progression spreads over about 25 to 346.
        Assert.InRange(least, 40, 80);
        Assert.InRange((double)json["test"]!["rmse"]!, 40, 80);
    }

    [Fact]
    public void Halving_GivesTheBestThirdThreeTimesTheEpochs_AndTheBestHasTheFullBudget()
    {
        var json = Json(Tune("--model", "mlp", "--search", "halving", "--trials", "9", "--epochs", "9", "--cv", "2",
            "--space", "hidden=[32],batch_size=128", "--out", PathOf("halving.safetensors"), "--json"));

        var budgets = Trials(json).GroupBy(trial => (int)trial["budget"]!).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(new Dictionary<int, int> { [1] = 9, [3] = 3, [9] = 1 }, budgets);
        Assert.Equal(9, (int)json["best"]!["budget"]!);
        Assert.Contains("--epochs 9", (string)json["trainCommand"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Space_ReplacesTheDefaultsItNames_AndKeepsTheRest()
    {
        var json = Json(Tune("--model", "mlp", "--trials", "3", "--cv", "2", "--epochs", "3", "--space", "lr=1e-3..1e-2:log,hidden=[16],activation=tanh",
            "--out", PathOf("space.safetensors"), "--json"));

        var trials = Trials(json);
        Assert.Equal(3, trials.Length); // a space of the user's: no trial of the defaults
        Assert.All(trials, trial =>
        {
            var parameters = trial["parameters"]!.AsObject();
            Assert.InRange((double)parameters["lr"]!, 1e-3, 1e-2);
            Assert.Equal("[16]", Text(parameters["hidden"]));
            Assert.Equal("tanh", (string)parameters["activation"]!);
            Assert.InRange((double)parameters["dropout"]!, 0, 0.4); // the default range of what the space left out
        });
    }

    [Fact]
    public void StoppedByCtrlC_KeepsTheBestSoFar_AndResumesToTheTrialsOfASearchNeverStopped()
    {
        // Trials of a few tenths of a second: the signal, sent once two have ended, arrives well before the last one.
        string[] options = ["--model", "mlp", "--trials", "8", "--cv", "2", "--epochs", "20", "--parallel", "1", "--space", "hidden=[32]", "--json"];
        string state = PathOf("stopped"), model = PathOf("stopped.safetensors");
        string[] stopped = ["tune", "--state", state, "--out", model, .. options];
        var output = new System.Text.StringBuilder();
        using (var process = ProgramRun.StartInBackground(Cli, line => { lock (output) output.AppendLine(line); }, _ => { }, stopped))
        {
            // The search's file holds the trials ended so far; two is enough to stop it in the middle.
            string file = Path.Combine(state, "mlp.json");
            var deadline = DateTime.UtcNow + Patience;
            while (!(File.Exists(file) && TrialsIn(file) >= 2) && DateTime.UtcNow < deadline && !process.HasExited) Thread.Sleep(50);
            Assert.False(process.HasExited, "the search ended before it could be stopped");
            using (var signal = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
                signal.WaitForExit();
            Assert.True(process.WaitForExit(Patience));
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {output}");
        }
        var first = JsonNode.Parse(output.ToString())!.AsObject();
        Assert.True((bool)first["interrupted"]!);
        Assert.False((bool)first["finished"]!);
        int ran = Trials(first).Length;
        Assert.InRange(ran, 2, 7);
        Assert.True(File.Exists(model), "the best model found before Ctrl-C is saved");

        var resumed = Json(ProgramRun.Start(Cli, [.. stopped, "--resume"]));
        var straight = Json(ProgramRun.Start(Cli, ["tune", "--state", PathOf("straight"), "--out", PathOf("straight.safetensors"), .. options]));
        Assert.True((bool)resumed["finished"]!);
        Assert.False((bool)resumed["interrupted"]!);
        static string[] Summary(JsonObject json) => [.. Trials(json).OrderBy(t => (int)t["number"]!).Select(t => $"{t["number"]} {t["state"]} {t["score"]} {t["parameters"]!.ToJsonString()}")];
        Assert.Equal(Summary(straight), Summary(resumed));
        Assert.Equal(Text(straight["best"]!["parameters"]), Text(resumed["best"]!["parameters"]));
        Assert.Equal(Text(straight["test"]), Text(resumed["test"]));
    }

    private static int TrialsIn(string stateFile)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(stateFile))!["trials"]!.AsArray().Count;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return 0; // being replaced as we read it
        }
    }

    [Fact]
    public void TimeBudget_EndsTheSearch_AndTheBestFoundIsStillSaved()
    {
        string model = PathOf("budget.safetensors");
        // Trials of about half a second (two folds of 10 epochs), so that a busy machine still completes some within the budget.
        var json = Json(Tune("--model", "mlp", "--time-budget", "4s", "--cv", "2", "--epochs", "10", "--out", model, "--json"));

        Assert.False((bool)json["finished"]!);
        Assert.False((bool)json["interrupted"]!);
        Assert.Contains(Trials(json), trial => (string)trial["state"]! == "complete");
        // The running trials stop at their next batch once the budget is spent: the search ends soon after it.
        Assert.InRange((double)json["searchSeconds"]!, 3.5, 30);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void Resume_WithAnotherMetric_IsRefused_NamingTheSetting()
    {
        string[] options = ["--data", SharedData.PathOf("diabetes.csv"), "--target", "progression", "--model", "ridge", "--search", "grid", "--cv", "3", "--out", PathOf("m.safetensors"), "--quiet"];
        Assert.Equal(0, Tune(options).ExitCode);

        var run = Tune([.. options, "--metric", "rmse", "--resume"]);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("error: --resume: the search saved in", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("had metric 'r2', and this run has 'rmse'", run.StandardError, StringComparison.Ordinal);
    }

    public static TheoryData<string[], int, string> BadInputs => new()
    {
        { ["--space", "momentum=0.9"], 2, "error: --space: 'momentum' is not a setting of logistic, svm, mlp; the settings are: logistic: alpha;" },
        { ["--space", "lr=0.1..0.01:log"], 2, "the range 0.1..0.01 is empty" },
        { ["--space", "dropout=0..1"], 2, "error: --space: dropout=0..1 can give 1, but dropout (--dropout) must be a probability from 0 to less than 1." },
        { ["--space", "hidden=[0]"], 2, "hidden=[0] can give [0], but hidden (--hidden) must be hidden widths" },
        { ["--metric", "r2"], 1, "error: --metric r2 scores a regression, but the target 'digit' of digits is a class (classification)" },
        { ["--metric", "auc"], 2, "error: --metric must be one of accuracy, f1_macro" },
        { ["--cv", "1"], 1, "error: --cv must be a whole number of folds of at least 2, got 1." },
        { ["--trials", "0"], 1, "error: --trials must be a whole number from 1 to 100000, got 0." },
        { ["--trials", "2"], 1, "error: --trials 2 is fewer than the 3 models --model auto searches here (logistic, svm, mlp), which need one trial each" },
        { ["--time-budget", "soon"], 2, "--time-budget must be a duration such as 90s, 10m, 1h or 1h30m" },
        { ["--time-budget", "0s"], 2, "--time-budget must be more than 0" },
        { ["--model", "ridge"], 1, "error: --model ridge fits a regression" },
        { ["--search", "grid"], 2, "error: --search grid: the grid over mlp's space has 13,500 combinations" },
        { ["--search", "hyperband", "--trials", "5"], 2, "error: --trials does not apply to --search hyperband" },
        { ["--search", "halving", "--space", "epochs=5"], 2, "error: --space: epochs is the budget --search halving hands out" },
        { ["--resume"], 1, "error: --resume: there is no search to resume in" },
        { ["--plot", "trials.jpg"], 1, "error: --plot writes a PNG picture" },
        { ["--parallel", "many"], 1, "error: --parallel must be auto or a whole number" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_IsRefusedWithItsReason_AndNothingIsWritten(string[] args, int exitCode, string message)
    {
        string model = PathOf("model.safetensors");
        var run = Tune([.. args, "--out", model]);

        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
        Assert.Empty(run.StandardOutput);
        Assert.False(File.Exists(model));
        Assert.False(Directory.Exists(PathOf("state")));
    }

    [Fact]
    public void ImagesWithCnn_AreRefusedForPlainFeatures()
    {
        var run = Tune("--model", "cnn", "--data", SharedData.PathOf("iris.csv"), "--target", "species", "--out", PathOf("cnn.safetensors"));
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("--model cnn needs images", run.StandardError, StringComparison.Ordinal);
    }
}
