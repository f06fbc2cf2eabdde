using System.Text.Json.Serialization;
using Nabla.Metrics;

namespace Nabla.Tests.Metrics;

/// <summary>
/// The ranking metrics on cases worked out by hand, and <see cref="RankingMetrics.Ndcg"/> against scikit-learn 1.2's
/// <c>ndcg_score</c> (Fixtures/sklearn_ranking.json, tools/fixtures/sklearn_ranking.py).
/// </summary>
public sealed class RankingMetricsTests
{
    // User 0: hits at ranks 2 and 4 of 5; 3 relevant items. User 1: a hit at rank 1; 1 relevant item.
    // User 2: no hit in its top 5; 2 relevant items. User 3: nothing relevant, so not scored.
    private static readonly string[][] Top =
    [
        ["a", "b", "c", "d", "e"],
        ["f", "g", "h"],
        ["i", "j", "k", "l", "m", "n"],
        ["o", "p"],
    ];

    private static readonly string[][] Truth = [["b", "d", "z"], ["f"], ["n", "y"], []];

    [Fact]
    public void AtK_MetricsMatchTheirHandWorkedValues()
    {
        // Precision@5: (2/5 + 1/5 + 0/5) / 3 users scored.
        Assert.Equal((0.4 + 0.2 + 0) / 3, RankingMetrics.PrecisionAtK(Top, Truth, 5), 15);
        // Recall@5: (2/3 + 1/1 + 0/2) / 3; "n" (rank 6) is outside the top 5.
        Assert.Equal((2.0 / 3 + 1 + 0) / 3, RankingMetrics.RecallAtK(Top, Truth, 5), 15);
        // AP@5: user 0 (1/2 + 2/4) / min(3, 5); user 1: 1/1; user 2: 0.
        Assert.Equal(((0.5 + 0.5) / 3 + 1 + 0) / 3, RankingMetrics.MeanAveragePrecisionAtK(Top, Truth, 5), 15);
        // NDCG@5: user 0 (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/log2 4); user 1: 1; user 2: 0.
        double user0 = (1 / Math.Log2(3) + 1 / Math.Log2(5)) / (1 + 1 / Math.Log2(3) + 1 / Math.Log2(4));
        Assert.Equal((user0 + 1 + 0) / 3, RankingMetrics.NdcgAtK(Top, Truth, 5), 15);
        Assert.Equal(2.0 / 3, RankingMetrics.HitRateAtK(Top, Truth, 5), 15);
        // At k = 6 user 2's "n" counts: recall 1/2, hit rate 1.
        Assert.Equal((2.0 / 3 + 1 + 0.5) / 3, RankingMetrics.RecallAtK(Top, Truth, 6), 15);
        Assert.Equal(1.0, RankingMetrics.HitRateAtK(Top, Truth, 6));
        // Coverage@2: a, b, f, g, i, j, o, p of a 20-item catalogue.
        Assert.Equal(8 / 20.0, RankingMetrics.CoverageAtK(Top, 2, 20), 15);
    }

    [Fact]
    public void PerfectAndEmptyRankings_ScoreOneAndZero()
    {
        int[][] perfect = [[1, 2], [3]];
        int[][] truth = [[2, 1], [3]];
        Assert.Equal(1.0, RankingMetrics.NdcgAtK(perfect, truth, 10));
        Assert.Equal(1.0, RankingMetrics.MeanAveragePrecisionAtK(perfect, truth, 10));
        Assert.Equal(0.0, RankingMetrics.NdcgAtK([[], []], truth, 10));
    }

    [Fact]
    public void BadInputs_AreRefusedNamingTheProblem()
    {
        Assert.Contains("2 recommendation lists but 1 relevant sets", Assert.Throws<ArgumentException>(() => RankingMetrics.PrecisionAtK([["a"], ["b"]], [["a"]], 1)).Message);
        Assert.Contains("k must be at least 1, got 0", Assert.Throws<ArgumentException>(() => RankingMetrics.RecallAtK([["a"]], [["a"]], 0)).Message);
        Assert.Contains("user 0's list holds a twice (ranks 0 and 2)", Assert.Throws<ArgumentException>(() => RankingMetrics.NdcgAtK([["a", "b", "a"]], [["a"]], 3)).Message);
        Assert.Contains("no user has a relevant item", Assert.Throws<ArgumentException>(() => RankingMetrics.HitRateAtK([["a"]], [Array.Empty<string>()], 3)).Message);
        Assert.Contains("more than the catalogue's 1", Assert.Throws<ArgumentException>(() => RankingMetrics.CoverageAtK([["a", "b"]], 2, 1)).Message);
        Assert.Contains("relevance must be finite and at least 0", Assert.Throws<ArgumentException>(() => RankingMetrics.Ndcg(new double[,] { { -1, 0 } }, new double[,] { { 1, 0 } })).Message);
        Assert.Contains("needs at least 1 row and 2 items", Assert.Throws<ArgumentException>(() => RankingMetrics.Ndcg(new double[,] { { 1 } }, new double[,] { { 1 } })).Message);
    }

    public static TheoryData<string> CaseNames() => [.. Fixture.Value.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Ndcg_MatchesScikitLearn(string name)
    {
        var c = Fixture.Value.Cases.Single(c => c.Name == name);

        double ndcg = RankingMetrics.Ndcg(Matrix(c.YTrue), Matrix(c.YScore), c.K);

        Assert.Equal(c.Ndcg, ndcg, 1e-12);
    }

    private static double[,] Matrix(double[][] rows)
    {
        var matrix = new double[rows.Length, rows[0].Length];
        for (int r = 0; r < rows.Length; r++)
            for (int c = 0; c < rows[r].Length; c++) matrix[r, c] = rows[r][c];
        return matrix;
    }

    private static readonly Lazy<RankingFixture> Fixture = new(() => FixtureFile.Load<RankingFixture>("sklearn_ranking.json"));

    private sealed record RankingFixture(string Sklearn, NdcgCase[] Cases);

    private sealed record NdcgCase(string Name, int? K,
        [property: JsonPropertyName("y_true")] double[][] YTrue,
        [property: JsonPropertyName("y_score")] double[][] YScore,
        double Ndcg);
}
