using System.Text.Json;
using System.Text.RegularExpressions;
using Nabla.Tests;
using Nabla.Training;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla train --logdir</c> and <c>--run-name</c> on real processes: the log lands where the help says with every
/// epoch the run reports; a run killed with SIGKILL leaves a log whose finished epochs read back; names that would
/// leave the log folder, or write over another run's log, are refused before any work.
/// </summary>
public sealed partial class TrainRunLogTests : TemporaryFolder
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static string Cli => RepositoryLayout.CliAssembly;

    /// <summary>A short training on iris: 4 epochs unless <paramref name="options"/> give <c>--epochs</c>.</summary>
    private string[] Train(params string[] options) =>
        ["train", "--data", SharedData.PathOf("iris.csv"), .. options.Contains("--epochs") ? [] : (string[])["--epochs", "4"], "--out", PathOf("model.safetensors"), .. options];

    [GeneratedRegex(@"^\d{8}-\d{4}-mlp$")]
    private static partial Regex DefaultName();

    [Fact]
    public void AShortTraining_LogsEveryEpoch_InRunsBesideTheModel_AsItsJsonReports()
    {
        var run = ProgramRun.Start(Cli, Train("--json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        string folder = Assert.Single(Directory.GetDirectories(PathOf("runs")));
        Assert.Matches(DefaultName(), Path.GetFileName(folder));
        string path = Path.Combine(folder, RunLog.FileName);
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(path, json.RootElement.GetProperty("runLogPath").GetString());
        var log = RunLogReader.Read(path);
        var history = json.RootElement.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal(history.Select(e => e.GetProperty("epoch").GetInt32()), log.Epochs.Select(e => e.Result.Epoch));
        Assert.Equal(history.Select(e => e.GetProperty("loss").GetDouble()), log.Epochs.Select(e => e.Result.Loss));
        Assert.Equal(history.Select(e => e.GetProperty("valAccuracy").GetDouble()), log.Epochs.Select(e => e.Result.ValidationAccuracy!.Value));
        Assert.Equal(history.Select(e => e.GetProperty("learningRate").GetDouble()), log.Epochs.Select(e => e.Result.LearningRate));
        Assert.Equal(4, log.Epochs.Count);
        Assert.All(log.Epochs, e => Assert.Empty(e.Gradients));
        Assert.All(log.Epochs, e => Assert.True(e.SamplesPerSecond > 0));
        Assert.Equal(Path.GetFileName(folder), log.Settings.Name);
        Assert.Equal("mlp", log.Settings.Settings["model"]);
        Assert.Equal(SharedData.PathOf("iris.csv"), log.Settings.Settings["data"]);
        Assert.Equal(RunOutcome.Completed, log.End!.Outcome);
        Assert.Equal(4, log.End.Epochs);
    }

    [Fact]
    public void LogSteps_RecordsEveryNthBatch_WhoseLossesMakeTheEpochsLoss()
    {
        // Iris leaves 108 training rows: four batches of 27 an epoch, whose mean loss is the epoch's.
        var run = ProgramRun.Start(Cli, Train("--batch-size", "27", "--log-steps", "1", "--run-name", "every"));
        var sparse = ProgramRun.Start(Cli, Train("--batch-size", "27", "--log-steps", "3", "--run-name", "third"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(sparse.ExitCode == 0, sparse.ToString());
        var log = RunLogReader.Read(Path.Combine(PathOf("runs"), "every", RunLog.FileName));
        Assert.Equal(Enumerable.Range(1, 16).Select(step => (long)step), log.Steps.Select(s => s.Step));
        Assert.Equal(log.Steps.Select(s => (int)((s.Step + 3) / 4)), log.Steps.Select(s => s.Epoch));
        foreach (var epoch in log.Epochs)
        {
            var batches = log.Steps.Where(s => s.Epoch == epoch.Result.Epoch).ToArray();
            Assert.Equal(epoch.Result.Loss, batches.Average(s => s.Loss), 12);
            Assert.All(batches, s => Assert.Equal(epoch.Result.LearningRate, s.LearningRate));
        }
        var third = RunLogReader.Read(Path.Combine(PathOf("runs"), "third", RunLog.FileName));
        Assert.Equal([3L, 6, 9, 12, 15], third.Steps.Select(s => s.Step));
        Assert.Equal(log.Steps.Where(s => s.Step % 3 == 0).Select(s => (s.Epoch, s.Loss)), third.Steps.Select(s => (s.Epoch, s.Loss)));
    }

    [Fact]
    public void ByDefault_EveryFiftiethBatchIsLogged()
    {
        // Four batches an epoch: 27 epochs are 108 steps, of which the 50th and 100th are logged.
        var run = ProgramRun.Start(Cli, Train("--epochs", "27", "--batch-size", "27", "--run-name", "default"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var log = RunLogReader.Read(Path.Combine(PathOf("runs"), "default", RunLog.FileName));
        Assert.Equal([(13, 50L), (25, 100L)], log.Steps.Select(s => (s.Epoch, s.Step)));
        Assert.All(log.Steps, s => Assert.True(double.IsFinite(s.Loss) && s.Loss > 0));
    }

    [Theory]
    [InlineData(new[] { "--log-steps", "-1" }, 1, "error: --log-steps must be 0 (no step events) or more batches; got -1.")]
    [InlineData(new[] { "--log-steps", "1.5" }, 2, "error: --log-steps must be a whole number, such as 30; got '1.5'.")]
    [InlineData(new[] { "--log-steps", "99999999999" }, 2, "error: --log-steps must be from -2147483648 to 2147483647; got '99999999999'.")]
    [InlineData(new[] { "--log-steps", "5", "--logdir", "none" }, 1, "error: --log-steps sets how often the run log records a batch, and this run writes no log (--logdir none, or --out a device); leave one of them out.")]
    public void LogSteps_ThatCannotBeKept_IsRefusedBeforeAnyWork(string[] options, int exitCode, string expected)
    {
        var run = ProgramRun.Start(Cli, Train(options));

        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Equal(expected, run.ErrorLines[0]);
        Assert.Empty(Directory.GetFileSystemEntries(Folder));
    }

    [Fact]
    public void LogStepsZero_LogsEpochsOnly()
    {
        var run = ProgramRun.Start(Cli, Train("--epochs", "13", "--log-steps", "0", "--run-name", "none"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var log = RunLogReader.Read(Path.Combine(PathOf("runs"), "none", RunLog.FileName));
        Assert.Empty(log.Steps);
        Assert.Equal(13, log.Epochs.Count);
    }

    [Fact]
    public void TheSummary_NamesTheLog_AndDiagnoseAddsTheGradientNorms()
    {
        var run = ProgramRun.Start(Cli, Train("--diagnose", "--logdir", PathOf("logs"), "--run-name", "diagnosed"));

        Assert.True(run.ExitCode == 0, run.ToString());
        string path = Path.Combine(PathOf("logs"), "diagnosed", RunLog.FileName);
        Assert.Contains($"Run log:         {path}", run.OutputLines);
        var log = RunLogReader.Read(path);
        Assert.Equal(4, log.Epochs.Count);
        Assert.All(log.Epochs, e => Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], e.Gradients.Select(p => p.Name)));
        Assert.All(log.Epochs, e => Assert.All(e.Gradients, p => Assert.True(p.GradientNorm > 0 && p.UpdateRatio > 0)));
        Assert.False(Directory.Exists(PathOf("runs")));
    }

    [Fact]
    public void LogdirNone_WritesNoLog_AndNoSummaryLine()
    {
        var run = ProgramRun.Start(Cli, Train("--logdir", "none"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(run.OutputLines, line => line.StartsWith("Run log:", StringComparison.Ordinal));
        Assert.Equal([PathOf("model.safetensors")], Directory.GetFileSystemEntries(Folder));
    }

    [Fact]
    public void ATrainingKilledWithSigkill_LeavesALogWhoseFinishedEpochsReadBack()
    {
        string path = Path.Combine(PathOf("runs"), "killed", RunLog.FileName);
        string[] args = ["train", "--epochs", "200", "--quiet", "--out", PathOf("killed.safetensors"), "--run-name", "killed"];
        using (var process = ProgramRun.StartInBackground(Cli, args))
        {
            // Read while it writes, as a dashboard would: each read must succeed, whatever line the writer is in.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!File.Exists(path) || RunLogReader.Read(path).Epochs.Count < 2)
            {
                Assert.False(process.HasExited, "the run ended before it could be killed; give it more epochs.");
                Assert.True(clock.Elapsed < Patience, $"{path} did not reach epoch 2 within {Patience.TotalSeconds} s.");
                Thread.Sleep(5);
            }
            process.Kill();
            process.WaitForExit();
        }

        var log = RunLogReader.Read(path);

        Assert.InRange(log.Epochs.Count, 2, 199);
        Assert.Equal(Enumerable.Range(1, log.Epochs.Count), log.Epochs.Select(e => e.Result.Epoch));
        Assert.All(log.Epochs, e => Assert.True(double.IsFinite(e.Result.Loss) && e.Result.ValidationLoss is not null));
        Assert.Null(log.End);
        Assert.Equal("killed", log.Settings.Name);
        Assert.False(File.Exists(PathOf("killed.safetensors")));
    }

    [Theory]
    [InlineData("a/b", "error: --run-name 'a/b' holds the path separator '/' at character 2")]
    [InlineData("../escape", "error: --run-name '../escape' holds the path separator '/' at character 3")]
    [InlineData("a\\b", "error: --run-name 'a\\b' holds the path separator '\\' at character 2")]
    [InlineData("..", "error: --run-name '..' names a folder that is not the run's own")]
    [InlineData("", "error: --run-name needs a name, got an empty one.")]
    [InlineData("tab\there", "error: --run-name holds a control character")]
    public void ARunNameThatIsNotOneFolderName_IsRefusedBeforeAnyWork(string name, string expected)
    {
        var run = ProgramRun.Start(Cli, Train("--run-name", name));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith(expected, Assert.Single(run.ErrorLines));
        Assert.Empty(Directory.GetFileSystemEntries(Folder));
    }

    [Fact]
    public void ANameThatHoldsALog_IsRefused_AndItsLogKept()
    {
        var first = ProgramRun.Start(Cli, Train("--run-name", "baseline"));
        Assert.True(first.ExitCode == 0, first.ToString());
        string path = Path.Combine(PathOf("runs"), "baseline", RunLog.FileName);
        byte[] before = File.ReadAllBytes(path);

        var second = ProgramRun.Start(Cli, Train("--run-name", "baseline", "--seed", "1"));

        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Equal($"error: --run-name 'baseline': '{path}' already holds the log of another run, which a run never writes over; choose another name, or remove that folder.", Assert.Single(second.ErrorLines));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("--logdir", "/dev/null", "error: --logdir '/dev/null' is a file")]
    [InlineData("--logdir", "", "error: --logdir needs a folder path")]
    [InlineData("--logdir", "missing/logs", "': the folder '")]
    public void ALogFolderThatCannotHoldRuns_IsRefusedNamingIt(string option, string value, string expected)
    {
        if (value.StartsWith("/dev/", StringComparison.Ordinal) && !File.Exists(value)) return;
        var run = ProgramRun.StartIn(Folder, Cli, Train(option, value));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(expected, Assert.Single(run.ErrorLines));
        Assert.Empty(Directory.GetFileSystemEntries(Folder));
    }

    [Fact]
    public void OptionsForTheLog_AreRefusedWhereNoEpochsAreLogged()
    {
        var linear = ProgramRun.Start(Cli, ["train", "--data", SharedData.PathOf("iris.csv"), "--model", "logistic", "--out", PathOf("m.safetensors"), "--run-name", "x"]);
        var findLr = ProgramRun.Start(Cli, ["train", "--find-lr", "--logdir", PathOf("logs")]);
        var both = ProgramRun.Start(Cli, Train("--logdir", "none", "--run-name", "x"));

        Assert.True(linear.ExitCode == 1, linear.ToString());
        Assert.Equal("error: --run-name does not apply to --model logistic: it is fitted by its own solver, with no epochs to log; leave it out, or use --model mlp.", Assert.Single(linear.ErrorLines));
        Assert.True(findLr.ExitCode == 2, findLr.ToString());
        Assert.Contains("--logdir does not apply with --find-lr", findLr.StandardError);
        Assert.True(both.ExitCode == 1, both.ToString());
        Assert.Contains("--run-name names the run log that --logdir none turns off", both.StandardError);
        Assert.Empty(Directory.GetFileSystemEntries(Folder));
    }
}
