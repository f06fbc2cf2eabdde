using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// examples/Recommender: matrix factorization of the shipped ratings by ALS. It holds out a fifth, predicts those ratings
/// near the noise they were drawn with, ranks the held-out likes well above the popularity ranking, and prints two top-5
/// lists; and it draws the shipped file again, byte for byte.
/// </summary>
public sealed partial class RecommenderExampleTests : TemporaryFolder
{
    private static readonly Lazy<ProgramRun> Run = new(() => ProgramRun.Start(RepositoryLayout.ExampleAssembly("Recommender")));

    private static ProgramRun Succeeded()
    {
        var run = Run.Value;
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    [Fact]
    public void Recommender_PredictsHeldOutRatingsNearTheNoise_AndRanksAbovePopularity()
    {
        var run = Succeeded();
        Assert.Contains("30,000 ratings of 300 users × 200 items: 24,000 to train, 6,000 to test", run.StandardOutput);
        var errors = ErrorLine().Match(run.StandardOutput);
        Assert.True(errors.Success, run.StandardOutput);
        // Measured: 0.608; the noise is 0.5 and the mean alone 0.75.
        Assert.InRange(Number(errors.Groups["rmse"].Value), 0.5, 0.65);
        Assert.True(Number(errors.Groups["rmse"].Value) < Number(errors.Groups["mean"].Value) - 0.1);
        var ranking = RankingLine().Match(run.StandardOutput);
        Assert.True(ranking.Success, run.StandardOutput);
        // Measured: NDCG@10 0.418 against 0.200.
        Assert.True(Number(ranking.Groups["ndcg"].Value) > 1.5 * Number(ranking.Groups["popular"].Value), ranking.Value);
    }

    [Fact]
    public void Recommender_PrintsTheTopFiveOfTwoUsers_BestFirst()
    {
        var lines = TopLine().Matches(Succeeded().StandardOutput);
        Assert.Equal(["7", "42"], lines.Select(m => m.Groups["user"].Value));
        foreach (Match line in lines)
        {
            double[] scores = [.. ScoreOf().Matches(line.Value).Select(m => Number(m.Groups["score"].Value))];
            Assert.Equal(5, scores.Length);
            Assert.Equal(scores.OrderDescending(), scores);
            Assert.All(scores, score => Assert.InRange(score, 1, 5));
        }
    }

    [Fact]
    public void WriteData_DrawsTheShippedFileAgain()
    {
        string path = PathOf("ratings.csv");
        var run = ProgramRun.Start(RepositoryLayout.ExampleAssembly("Recommender"), "--write-data", path);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryLayout.Root, "examples", "data", "ratings.csv")), File.ReadAllBytes(path));
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Held-out RMSE (?<rmse>[0-9.]+) \(MAE [0-9.]+\); the training mean alone: (?<mean>[0-9.]+)")]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"NDCG@10 (?<ndcg>[0-9.]+) \(popularity (?<popular>[0-9.]+)\)")]
    private static partial Regex RankingLine();

    [GeneratedRegex(@"Top 5 for user (?<user>\d+): .*")]
    private static partial Regex TopLine();

    [GeneratedRegex(@"\((?<score>[0-9.]+)\)")]
    private static partial Regex ScoreOf();
}
