using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>
/// examples/TextClassification: TF-IDF of the Debian package descriptions → a linear model trained
/// with Adam. It holds out a fifth of the descriptions, reaches the bag-of-words accuracy on them,
/// names five real confusions between sections, and files three typed sentences where they belong.
/// </summary>
public sealed partial class TextClassificationExampleTests
{
    /// <summary>The 15 sections of examples/data/debian-packages.csv (its README lists them).</summary>
    private static readonly string[] Sections =
        ["admin", "database", "editors", "fonts", "games", "graphics", "mail", "math", "net", "science", "sound", "text", "utils", "web", "x11"];

    private static readonly Lazy<ProgramRun> Run = new(() => ProgramRun.Start(RepositoryLayout.ExampleAssembly("TextClassification")));

    [Fact]
    public void TextClassification_HoldsOutAFifthAndReachesTheBagOfWordsAccuracy()
    {
        var run = Succeeded();
        // 12,388 descriptions; a stratified 20 % test part rounds 2477.6 up, as scikit-learn does.
        Assert.Contains("12388 descriptions, 15 sections: 9910 to train, 2478 to test;", run.StandardOutput);
        var losses = EpochLine().Matches(run.StandardOutput).Select(m => Number(m.Groups["loss"].Value)).ToArray();
        Assert.Equal(10, losses.Length);
        Assert.True(losses[^1] < losses[0] / 10, $"training loss {losses[0]} → {losses[^1]}");
        // A linear SVM on the same features gives about 0.79 on other packages' descriptions.
        Assert.InRange(Accuracy(run), 0.75, 0.80);
    }

    [Fact]
    public void TextClassification_PrintsFiveConfusedPairsMostFirst()
    {
        var run = Succeeded();
        var pairs = PairLine().Matches(run.StandardOutput);
        Assert.Equal(5, pairs.Count);
        var counts = pairs.Select(p => int.Parse(p.Groups["count"].Value, CultureInfo.InvariantCulture)).ToArray();
        foreach (Match pair in pairs)
        {
            Assert.Contains(pair.Groups["truth"].Value, Sections);
            Assert.Contains(pair.Groups["predicted"].Value, Sections);
            Assert.NotEqual(pair.Groups["truth"].Value, pair.Groups["predicted"].Value);
        }
        Assert.All(counts, count => Assert.True(count > 0));
        Assert.Equal(counts.OrderDescending(), counts);
        Assert.Equal(5, pairs.Select(p => p.Groups["truth"].Value + "→" + p.Groups["predicted"].Value).Distinct().Count());
        // The pairs are mistakes on the test part: together no more than all its wrong predictions.
        Assert.True(counts.Sum() <= Math.Round(2478 * (1 - Accuracy(run))), $"{counts.Sum()} confusions, accuracy {Accuracy(run)}");
    }

    [Fact]
    public void TextClassification_FilesTheThreeSentencesInTheirSections()
    {
        var run = Succeeded();
        var predictions = PredictionLine().Matches(run.StandardOutput).ToDictionary(m => m.Groups["sentence"].Value);
        Assert.Equal(3, predictions.Count);
        Assert.Equal("web", predictions["A fast web server with HTTP/2 support"].Groups["section"].Value);
        Assert.Equal("math", predictions["Library for numerical linear algebra"].Groups["section"].Value);
        Assert.Equal("games", predictions["Multiplayer card game"].Groups["section"].Value);
        // The chosen section is the most probable of 15, so its probability is above 1/15.
        Assert.All(predictions.Values, m => Assert.InRange(Number(m.Groups["probability"].Value), 1.0 / 15, 1.0));
    }

    private static ProgramRun Succeeded()
    {
        var run = Run.Value;
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    private static double Accuracy(ProgramRun run) =>
        Number(Assert.Single(run.OutputLines, l => l.StartsWith("Test accuracy: ", StringComparison.Ordinal))["Test accuracy: ".Length..]);

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^epoch \d+: training loss (?<loss>\d+\.\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex EpochLine();

    [GeneratedRegex(@"^  (?<truth>[a-z0-9]+) → (?<predicted>[a-z0-9]+): (?<count>\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex PairLine();

    [GeneratedRegex(@"^  ""(?<sentence>[^""]+)"" → (?<section>[a-z0-9]+) \(probability (?<probability>\d\.\d{3})\)\r?$", RegexOptions.Multiline)]
    private static partial Regex PredictionLine();
}
