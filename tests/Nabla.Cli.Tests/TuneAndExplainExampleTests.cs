using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>
/// examples/TuneAndExplain: a TPE search over an MLP's settings on the breast-cancer data, scored by cross-validation with
/// hopeless trials pruned; the best refitted reaches the accuracy scikit-learn's MLPClassifier reaches there (about 0.97);
/// its integrated gradients for a test tumour add up to the change in its output, and name real measurements.
/// </summary>
public sealed partial class TuneAndExplainExampleTests
{
    private static readonly Lazy<ProgramRun> Run = new(() => ProgramRun.Start(RepositoryLayout.ExampleAssembly("TuneAndExplain")));

    private static readonly string[] Measurements =
        [.. File.ReadLines(Path.Combine(RepositoryLayout.Root, "src/Nabla/Data/BuiltIn/breast_cancer.csv")).First().Split(',')[..^1]];

    private static ProgramRun Succeeded()
    {
        var run = Run.Value;
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    [Fact]
    public void TheSearch_PrunesSomeTrials_AndItsBestTestsAsWellAsScikitLearnsMlp()
    {
        var run = Succeeded();
        Assert.Contains("569 tumours × 30 measurements: 455 to search and train on, 114 to test once", run.StandardOutput);
        var leaderboard = LeaderboardLine().Match(run.StandardOutput);
        Assert.True(leaderboard.Success, run.ToString());
        Assert.Equal(16, int.Parse(leaderboard.Groups["trials"].Value, CultureInfo.InvariantCulture));
        Assert.InRange(int.Parse(leaderboard.Groups["pruned"].Value, CultureInfo.InvariantCulture), 1, 15);
        var best = BestLine().Match(run.StandardOutput);
        Assert.True(best.Success, run.ToString());
        Assert.InRange(double.Parse(best.Groups["cv"].Value, CultureInfo.InvariantCulture), 0.95, 1);
        Assert.InRange(double.Parse(best.Groups["test"].Value, CultureInfo.InvariantCulture), 0.93, 1);
    }

    [Fact]
    public void TheExplanation_IsComplete_AndNamesMeasurements()
    {
        var run = Succeeded();
        var completeness = CompletenessLine().Match(run.StandardOutput);
        Assert.True(completeness.Success, run.ToString());
        Assert.True(Math.Abs(double.Parse(completeness.Groups["error"].Value, CultureInfo.InvariantCulture)) < 1e-6, completeness.Value);
        var features = FeatureLine().Matches(run.StandardOutput).Select(m => m.Groups["name"].Value).ToList();
        Assert.Equal(10, features.Count); // five attributions, five permutation importances
        Assert.All(features, name => Assert.Contains(name, Measurements));
    }

    [GeneratedRegex(@"Leaderboard \((?<trials>\d+) trials, (?<pruned>\d+) pruned early\)")]
    private static partial Regex LeaderboardLine();

    [GeneratedRegex(@"cross-validated accuracy (?<cv>[0-9.]+) ± [0-9.]+; test accuracy (?<test>[0-9.]+)")]
    private static partial Regex BestLine();

    [GeneratedRegex(@"Σ attributions − \(F\(x\) − F\(baseline\)\) = (?<error>\S+),")]
    private static partial Regex CompletenessLine();

    [GeneratedRegex(@"^  (?<name>[a-z_]+) +[+-]?[0-9.]+", RegexOptions.Multiline)]
    private static partial Regex FeatureLine();
}
