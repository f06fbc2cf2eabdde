using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// How <c>nabla train</c> shows a run, run as a process: each epoch's line has the task's validation metric
/// (R² for a regression, not an empty accuracy); every metric has one format; on a terminal (a pseudo-terminal
/// from util-linux's <c>script</c>) the live bars number the epochs as the finished lines do, and the time left
/// never starts out many times too long; a linear model, solved in one go, prints no epochs.
/// </summary>
public sealed partial class TrainProgressTests : TemporaryFolder
{
    private static string Cli => RepositoryLayout.CliAssembly;

    private ProgramRun Train(params string[] args) => ProgramRun.Start(Cli, ["train", .. args]);

    [Fact]
    public void Regression_EpochLines_ShowTheValidationR2()
    {
        var run = Train("--data", SharedData.PathOf("diabetes.csv"), "--target", "progression", "--epochs", "12", "--out", PathOf("m.safetensors"));
        var json = Train("--data", SharedData.PathOf("diabetes.csv"), "--target", "progression", "--epochs", "12", "--json", "--out", PathOf("m.safetensors"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var epochs = run.OutputLines.Where(line => line.StartsWith("epoch ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(12, epochs.Length);
        Assert.All(epochs, line => Assert.Matches(RegressionEpoch(), line));
        Assert.DoesNotContain("val acc", run.StandardOutput);

        // R² = 1 − MSE / Var(y_val): the validation rows' variance is one number, the same for every epoch.
        using var document = JsonDocument.Parse(json.StandardOutput);
        var history = document.RootElement.GetProperty("history").EnumerateArray().ToArray();
        double[] variances = [.. history.Select(epoch => epoch.GetProperty("valLoss").GetDouble() / (1 - epoch.GetProperty("valR2").GetDouble()))];
        Assert.All(variances, variance => Assert.Equal(variances[0], variance, 1e-9 * variances[0]));
        Assert.InRange(variances[0], 0.3, 3);   // the standardised target's variance on 35 rows
        for (int i = 0; i < epochs.Length; i++)
            Assert.Contains($"val R² {history[i].GetProperty("valR2").GetDouble().ToString("F4", CultureInfo.InvariantCulture)}", epochs[i]);
    }

    [Fact]
    public void Classification_EpochLines_ShowTheValidationAccuracy_AndJsonHasNoR2()
    {
        var run = Train("--epochs", "2", "--json", "--out", PathOf("m.safetensors"));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.StandardOutput);
        Assert.All(document.RootElement.GetProperty("history").EnumerateArray(), epoch =>
        {
            Assert.Equal(JsonValueKind.Null, epoch.GetProperty("valR2").ValueKind);
            Assert.InRange(epoch.GetProperty("valAccuracy").GetDouble(), 0, 1);
        });
    }

    [Fact]
    public void EveryMetric_HasFourDecimals_InTheEpochLinesAndTheSummary()
    {
        var run = Train("--epochs", "3", "--out", PathOf("m.safetensors"));

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] summary = [.. run.OutputLines.SkipWhile(line => !line.StartsWith("Test accuracy:", StringComparison.Ordinal)).TakeWhile(line => !line.StartsWith("Training time:", StringComparison.Ordinal))];
        Assert.Equal(5, summary.Length);   // accuracy, macro F1, precision and recall, weighted F1
        Assert.All(summary, line => Assert.Matches(@"^[A-Z][A-Za-z1 ]+: +[01]\.\d{4}$", line));
        Assert.All(run.OutputLines.Where(line => line.StartsWith("epoch ", StringComparison.Ordinal)), line =>
            Assert.Matches(@"^epoch \d/3  loss \d+\.\d{4}  val loss \d+\.\d{4}  val acc [01]\.\d{4}  lr 0\.002  \d+\.\d{2} s$", line));
    }

    [Fact]
    public void LinearModel_PrintsNoEpochs()
    {
        var run = Train("--data", SharedData.PathOf("diabetes.csv"), "--target", "progression", "--model", "linear", "--out", PathOf("m.safetensors"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(run.OutputLines, line => line.StartsWith("epoch", StringComparison.Ordinal));
        Assert.Contains("Solver:    exact least squares (QR)", run.OutputLines);
    }

    [Fact]
    public void OnATerminal_LiveBarsNumberEpochsAsTheFinishedLines_AndTheTimeLeftIsNeverFarTooLong()
    {
        var clock = Stopwatch.StartNew();
        string screen = OnTerminal("train", "--epochs", "10", "--out", PathOf("m.safetensors"));
        double seconds = clock.Elapsed.TotalSeconds;

        var counters = EpochCounter().Matches(screen).Select(match => match.Value).ToArray();
        Assert.NotEmpty(counters);
        // "epoch  1/10" in the live bar and in the finished line alike: padded to the width of the last epoch.
        Assert.All(counters, counter => Assert.Matches(@"^epoch (?: \d|10)/10$", counter));
        Assert.Contains("epoch  1/10  loss ", screen);
        foreach (Match left in TimeLeft().Matches(screen))
        {
            double estimate = int.Parse(left.Groups["m"].Value, CultureInfo.InvariantCulture) * 60 + int.Parse(left.Groups["s"].Value, CultureInfo.InvariantCulture);
            Assert.True(estimate <= Math.Max(5, 2 * seconds), $"a bar said {left.Value} in a run that took {seconds:F1} s in all");
        }
    }

    /// <summary>What the command drew on a pseudo-terminal (util-linux's <c>script</c>), escape sequences removed.</summary>
    private static string OnTerminal(params string[] args)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        string command = string.Join(' ', new[] { dotnet, Cli }.Concat(args).Select(Quoted));
        var info = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-qec", command, "/dev/null" }) info.ArgumentList.Add(arg);
        info.Environment["TERM"] = "xterm-256color";
        info.Environment["COLUMNS"] = "160";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start script (util-linux; on Debian the package bsdutils)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the run on a terminal did not finish within 2 minutes");
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{output.Result}\n{error.Result}");
        return AnsiEscape().Replace(output.Result, "");
    }

    private static string Quoted(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^epoch +\d+/12  loss \d+\.\d{4}  val loss \d+\.\d{4}  val R² -?\d+\.\d{4}  lr 0\.002  \d+\.\d{2} s$")]
    private static partial Regex RegressionEpoch();

    [GeneratedRegex(@"epoch +\d+/10")]
    private static partial Regex EpochCounter();

    [GeneratedRegex(@"(?<m>\d\d):(?<s>\d\d) left")]
    private static partial Regex TimeLeft();

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
