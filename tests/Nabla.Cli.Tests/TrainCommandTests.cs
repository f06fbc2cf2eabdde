using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary><c>nabla train</c>, run as a process: the default job, its options, and its errors.</summary>
public sealed partial class TrainCommandTests
{
    private static string Cli => RepositoryLayout.CliAssembly;

    [Fact]
    public void DefaultJob_ReachesTheLeastSquaresFit()
    {
        var run = ProgramRun.Start(Cli, "train");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        var match = RSquaredLine().Match(run.StandardOutput);
        Assert.True(match.Success, run.ToString());
        double r2 = double.Parse(match.Groups["r2"].Value, CultureInfo.InvariantCulture);
        // scikit-learn's LinearRegression on this data: R² = 0.5177.
        Assert.InRange(r2, 0.51, 0.5178);
        Assert.Contains("Training MSE:", run.StandardOutput);
        Assert.Contains("bmi", run.StandardOutput);
    }

    [Fact]
    public void Json_IsOneObjectWithTheFitAndTheLossCurve()
    {
        var run = ProgramRun.Start(Cli, "train", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.OutputLines);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(442, root.GetProperty("samples").GetInt32());
        Assert.Equal(10, root.GetProperty("features").GetInt32());
        Assert.Equal("progression", root.GetProperty("target").GetString());
        Assert.Equal(10, root.GetProperty("weights").EnumerateObject().Count());
        Assert.Equal(10, root.GetProperty("coefficients").EnumerateObject().Count());

        // Independent reference: the closed-form least-squares fit of the same embedded file.
        var data = CsvTable.Read(Path.Combine(RepositoryLayout.Root, "src/Nabla/Data/BuiltIn/diabetes.csv"));
        double exactR2 = LeastSquares.RSquared(data.Features, data.Target, LeastSquares.Fit(data.Features, data.Target));
        Assert.Equal(0.5177, exactR2, 4);
        double r2 = root.GetProperty("r2").GetDouble();
        Assert.InRange(r2, 0.51, exactR2 + 1e-6);
        Assert.True(exactR2 - r2 < 1e-3, $"R² {r2} is not within 0.001 of the least-squares R² {exactR2}.");
        Assert.InRange(root.GetProperty("mse").GetDouble(), 2859, 2870);

        var losses = root.GetProperty("history").EnumerateArray().Select(p => p.GetProperty("loss").GetDouble()).ToArray();
        Assert.True(losses.Length >= 2);
        Assert.True(losses[^1] < losses[0] / 5, $"The loss fell only from {losses[0]} to {losses[^1]}.");
        for (int i = 1; i < losses.Length; i++)
            Assert.True(losses[i] <= losses[i - 1], $"The loss rose at report {i}: {losses[i - 1]} → {losses[i]}.");
    }

    [Fact]
    public void Quiet_PrintsOnlyTheFinalMetrics()
    {
        var run = ProgramRun.Start(Cli, "train", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.OutputLines.Length);
        Assert.StartsWith("Training MSE:", run.OutputLines[0]);
        Assert.Matches(RSquaredLine(), run.OutputLines[1]);
    }

    [Fact]
    public void Seed_FixesTheRun_AndChangingItChangesTheStart()
    {
        string[] args = ["train", "--json", "--epochs", "3"];
        var first = ProgramRun.Start(Cli, [.. args, "--seed", "7"]);
        var again = ProgramRun.Start(Cli, [.. args, "--seed", "7"]);
        var other = ProgramRun.Start(Cli, [.. args, "--seed", "8"]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(Weights(first), Weights(again));
        Assert.NotEqual(Weights(first), Weights(other));
    }

    [Theory]
    [InlineData("--lr", "0")]
    [InlineData("--lr", "-0.5")]
    [InlineData("--lr", "NaN")]
    [InlineData("--epochs", "0")]
    [InlineData("--epochs", "-3")]
    public void InvalidValue_IsOneLineNamingTheOption_ExitCode1(string option, string value)
    {
        var run = ProgramRun.Start(Cli, "train", option, value);

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error:", line);
        Assert.Contains(option, line);
        Assert.Empty(run.StandardOutput);
    }

    [Fact]
    public void DivergingLearningRate_StopsNamingTheEpochAndALowerRate()
    {
        var run = ProgramRun.Start(Cli, "train", "--lr", "10");

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.Matches(@"^error: training diverged: .* at epoch \d+ .*lower rate, e\.g\. --lr 1\b", line);
        Assert.DoesNotContain(" at Nabla", run.StandardError);
    }

    [Fact]
    public void Verbose_AddsTheStackTrace()
    {
        var run = ProgramRun.Start(Cli, "train", "--lr", "10", "--verbose");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("error: training diverged", run.ErrorLines[0]);
        Assert.Contains(" at Nabla.Cli.", run.StandardError);
    }

    [Theory]
    [InlineData("train", "--bogus")]
    [InlineData("train", "--lr", "abc")]
    [InlineData("train", "--epochs", "1.5")]
    [InlineData("train", "--lr")]
    public void UsageError_ExitCode2_PointsToHelp(params string[] args)
    {
        var run = ProgramRun.Start(Cli, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.ErrorLines[0]);
        Assert.Equal("Run 'nabla train --help' for usage.", run.ErrorLines[^1]);
        Assert.DoesNotContain(" at ", run.StandardError);
    }

    [Fact]
    public void Help_ListsEveryOption()
    {
        var run = ProgramRun.Start(Cli, "train", "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (string option in new[] { "--epochs", "--lr", "--seed", "--quiet", "--json", "--verbose" })
            Assert.Contains(option, run.StandardOutput);
    }

    private static string Weights(ProgramRun run)
    {
        using var json = JsonDocument.Parse(run.StandardOutput);
        return json.RootElement.GetProperty("weights").GetRawText();
    }

    [GeneratedRegex(@"Training R²:\s+(?<r2>-?\d+\.\d+)")]
    private static partial Regex RSquaredLine();
}
