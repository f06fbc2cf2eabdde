using Nabla.Data;
using Nabla.Estimators;
using Nabla.Metrics;
using Nabla.Models;

namespace Nabla.Tests.Estimators;

/// <summary>
/// ImplicitMatrixFactorization: each ALS half-step against the closed-form solve of the dense problem
/// (every pair's confidence and preference written out, the normal equations solved by elimination);
/// the weighted loss against the same dense sum, and never rising; BPR's loss falling; both solvers
/// against the popularity baseline on held-out interactions of a known low-rank model; files; bad input.
/// </summary>
public sealed class ImplicitMatrixFactorizationTests : TemporaryFolder
{
    // Users 10…14 and items 1…4 (rows in order of first appearance: users 10…14, items 1, 3, 2, 4). (10, 1)
    // is given twice (strengths add to 3); (11, 4) adds up to 0, so it counts as not interacted with.
    private static readonly int[] TinyUsers = [10, 10, 11, 12, 12, 12, 13, 14, 14, 10, 11, 14, 13];
    private static readonly int[] TinyItems = [1, 3, 2, 1, 2, 3, 4, 2, 4, 1, 4, 2, 1];
    private static readonly double[] TinyStrengths = [2, 1, 4, 1, 1, 1, 5, 2, 1, 1, 0, 0.5, 0.25];
    private const double TinyConfidence = 2, TinyAlpha = 0.1;
    private const int TinyK = 2;

    private static ImplicitMatrixFactorization FitTiny(int iterations) =>
        new ImplicitMatrixFactorization(nFactors: TinyK, alpha: TinyAlpha, confidence: TinyConfidence, maxIter: iterations, initStd: 0.5, randomState: 6)
            .Fit(TinyUsers, TinyItems, TinyStrengths);

    /// <summary>The dense strengths R (5 users × 4 items), repeats added.</summary>
    private static double[,] TinyR()
    {
        var r = new double[5, 4];
        for (int n = 0; n < TinyUsers.Length; n++) r[TinyUsers[n] - 10, TinyItems[n] - 1] += TinyStrengths[n];
        return r;
    }

    /// <summary>
    /// Each row x of one side minimising Σ_j c_j (p_j − x·o_j)² + α‖x‖² over all columns j, the other side
    /// o fixed: (Σ_j c_j o_j o_jᵀ + αI) x = Σ_j c_j p_j o_j, built from the dense C and P and solved by
    /// Gaussian elimination with partial pivoting.
    /// </summary>
    private static double[][] DenseSolve(double[,] r, double[][] other, bool byColumn)
    {
        int rows = byColumn ? r.GetLength(1) : r.GetLength(0), columns = other.Length;
        var solved = new double[rows][];
        for (int row = 0; row < rows; row++)
        {
            var a = new double[TinyK, TinyK + 1];
            for (int s = 0; s < TinyK; s++) a[s, s] = TinyAlpha;
            for (int j = 0; j < columns; j++)
            {
                double strength = byColumn ? r[j, row] : r[row, j];
                double c = 1 + TinyConfidence * strength, p = strength > 0 ? 1 : 0;
                for (int s = 0; s < TinyK; s++)
                {
                    for (int t = 0; t < TinyK; t++) a[s, t] += c * other[j][s] * other[j][t];
                    a[s, TinyK] += c * p * other[j][s];
                }
            }
            solved[row] = Eliminate(a);
        }
        return solved;
    }

    private static double[] Eliminate(double[,] a)
    {
        int n = a.GetLength(0);
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(i => Math.Abs(a[i, col]));
            for (int t = 0; t <= n; t++) (a[col, t], a[pivot, t]) = (a[pivot, t], a[col, t]);
            for (int i = 0; i < n; i++)
            {
                if (i == col) continue;
                double factor = a[i, col] / a[col, col];
                for (int t = 0; t <= n; t++) a[i, t] -= factor * a[col, t];
            }
        }
        return [.. Enumerable.Range(0, n).Select(i => a[i, n] / a[i, i])];
    }

    /// <summary>Σ over all 20 pairs of c (p − x·y)² + α(‖X‖² + ‖Y‖²), written out.</summary>
    private static double DenseLoss(double[,] r, double[][] x, double[][] y)
    {
        double loss = 0;
        for (int u = 0; u < x.Length; u++)
        {
            for (int i = 0; i < y.Length; i++)
            {
                double score = x[u].Zip(y[i]).Sum(p => p.First * p.Second), p = r[u, i] > 0 ? 1 : 0;
                loss += (1 + TinyConfidence * r[u, i]) * (p - score) * (p - score);
            }
        }
        return loss + TinyAlpha * (x.Sum(v => v.Sum(e => e * e)) + y.Sum(v => v.Sum(e => e * e)));
    }

    private static void AssertClose(double[][] expected, double[][] actual)
    {
        for (int row = 0; row < expected.Length; row++)
            for (int f = 0; f < TinyK; f++) Assert.Equal(expected[row][f], actual[row][f], 1e-9);
    }

    [Fact]
    public void Als_EachHalfStep_IsTheClosedFormSolveOfTheDenseProblem()
    {
        var r = TinyR();
        var one = FitTiny(1);
        var two = FitTiny(2);
        double[][] X(ImplicitMatrixFactorization m) => [.. Enumerable.Range(10, 5).Select(m.UserFactors)];
        double[][] Y(ImplicitMatrixFactorization m) => [.. Enumerable.Range(1, 4).Select(m.ItemFactors)];

        // The first items solved from the first users; the second users from those items, and so on.
        AssertClose(DenseSolve(r, X(one), byColumn: true), Y(one));
        AssertClose(DenseSolve(r, Y(one), byColumn: false), X(two));
        AssertClose(DenseSolve(r, X(two), byColumn: true), Y(two));
        Assert.Equal(DenseLoss(r, X(one), Y(one)), one.LossCurve[0], 1e-9);
        Assert.Equal(one.LossCurve[0], two.LossCurve[0]);
        Assert.Equal(DenseLoss(r, X(two), Y(two)), two.LossCurve[1], 1e-9);
        // (11, 4) summed to 0: not seen, so it may be recommended; (10, 1) was seen.
        Assert.Contains(4, two.Recommend(11, 4).Select(x => x.Item));
        Assert.DoesNotContain(1, two.Recommend(10, 4).Select(x => x.Item));
        Assert.Equal([1, 3, 2, 4], two.ItemIds);
        Assert.Equal([3, 2, 3, 2], two.Popularity);
    }

    /// <summary>
    /// 1,000 users × 200 items, half the pairs rated by <see cref="SyntheticRatings"/>' rank-8 model (noise
    /// 0.3, popularity skew 0.8), five ratings of each user held out.
    /// </summary>
    private static readonly Lazy<(SyntheticRatings Data, TrainTestSplit Split)> Rated = new(() =>
    {
        var data = SyntheticRatings.Generate(users: 1000, items: 200, density: 0.5, rank: 8, noise: 0.3, seed: 11);
        return (data, InteractionSplits.LeaveKOutPerUser(data.Users, k: 5, randomState: 1));
    });

    /// <summary>The training rows' users and items, and each tested user's held-out items rated 4 or more (what the user liked).</summary>
    private static (int[] Users, int[] Items, int[] Tested, Dictionary<int, HashSet<int>> Liked) Likes(bool trainOnLikesOnly)
    {
        var (data, split) = Rated.Value;
        int[] train = [.. split.Train.Where(n => !trainOnLikesOnly || data.Ratings[n] >= 4)];
        var liked = split.Test.Where(n => data.Ratings[n] >= 4).GroupBy(n => data.Users[n]).ToDictionary(g => g.Key, g => g.Select(n => data.Items[n]).ToHashSet());
        return ([.. train.Select(n => data.Users[n])], [.. train.Select(n => data.Items[n])], [.. liked.Keys.Order()], liked);
    }

    /// <summary>NDCG@10 of each tested user's list against the items it liked.</summary>
    private static double Ndcg(IEnumerable<IEnumerable<int>> lists, int[] tested, Dictionary<int, HashSet<int>> liked) =>
        RankingMetrics.NdcgAtK(lists.Select(list => (IReadOnlyList<int>)[.. list.Take(10)]).ToList(), [.. tested.Select(u => liked[u])], 10);

    /// <summary>The popularity baseline: for each user, the items most often in <paramref name="items"/> that the user has not seen, counted here.</summary>
    private static double PopularityNdcg(int[] users, int[] items, int[] tested, Dictionary<int, HashSet<int>> liked)
    {
        var seen = users.Zip(items).ToLookup(p => p.First, p => p.Second);
        int[] popular = [.. items.GroupBy(i => i).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key)];
        return Ndcg(tested.Select(u => popular.Where(i => !seen[u].Contains(i))), tested, liked);
    }

    [Fact]
    public void BothSolvers_RankHeldOutLikes_WellAbovePopularity()
    {
        // Implicit feedback: the ratings of 4 and up are the interactions, the held-out ones the items to find.
        var (users, items, tested, liked) = Likes(trainOnLikesOnly: true);
        double popularity = PopularityNdcg(users, items, tested, liked);

        var als = new ImplicitMatrixFactorization(nFactors: 8, alpha: 10, confidence: 10, maxIter: 10, randomState: 1).Fit(users, items);
        var bpr = new ImplicitMatrixFactorization(nFactors: 16, alpha: 0.01, maxIter: 40, solver: ImplicitSolver.Bpr, learningRate: 0.05, initStd: 0.1, randomState: 1).Fit(users, items);
        double alsNdcg = Ndcg(als.Recommend(tested, 10).Select(l => l.Select(r => r.Item)), tested, liked);
        double bprNdcg = Ndcg(bpr.Recommend(tested, 10).Select(l => l.Select(r => r.Item)), tested, liked);

        // Measured: popularity 0.17, ALS 0.29, BPR 0.28 (ranking by the generating model itself gets about 0.48).
        Assert.True(alsNdcg > 1.4 * popularity, $"ALS NDCG@10 {alsNdcg}, popularity {popularity}");
        Assert.True(bprNdcg > 1.4 * popularity, $"BPR NDCG@10 {bprNdcg}, popularity {popularity}");
        Assert.True(bpr.LossCurve[^1] < 0.5 * bpr.LossCurve[0], $"BPR loss {bpr.LossCurve[0]} → {bpr.LossCurve[^1]}");
        // From near-zero factors every x̂_uij starts near 0, where −ln σ is ln 2; the first epoch already gains.
        Assert.InRange(bpr.LossCurve[0], 0.5, Math.Log(2));
    }

    [Fact]
    public void ExplicitMatrixFactorization_RanksHeldOutLikes_WellAbovePopularity()
    {
        // Explicit ratings: every training rating is learnt from, the held-out ratings of 4 and up are the items to find.
        var (data, split) = Rated.Value;
        var (users, items, tested, liked) = Likes(trainOnLikesOnly: false);
        double popularity = PopularityNdcg(users, items, tested, liked);

        var model = new MatrixFactorization(nFactors: 8, alpha: 0.03, maxIter: 10, solver: MatrixFactorizationSolver.Als, randomState: 1)
            .Fit(users, items, [.. split.Train.Select(n => data.Ratings[n])]);
        double ndcg = Ndcg(model.Recommend(tested, 10).Select(l => l.Select(r => r.Item)), tested, liked);

        // Measured: popularity 0.28, matrix factorization 0.42.
        Assert.True(ndcg > 1.3 * popularity, $"NDCG@10 {ndcg}, popularity {popularity}");
    }

    [Fact]
    public void Als_WeightedLoss_NeverRises()
    {
        var (users, items, _, _) = Likes(trainOnLikesOnly: true);

        var curve = new ImplicitMatrixFactorization(nFactors: 8, alpha: 0.1, maxIter: 8, randomState: 3).Fit(users, items).LossCurve;

        Assert.Equal(8, curve.Count);
        // Each half-step solves its side exactly, so the loss can only fall (up to rounding).
        Assert.All(curve.Zip(curve.Skip(1)), pair => Assert.True(pair.Second <= pair.First * (1 + 1e-12), $"{pair.First} → {pair.Second}"));
        Assert.True(curve[^1] < curve[0]);
    }

    [Theory]
    [InlineData(ImplicitSolver.Als)]
    [InlineData(ImplicitSolver.Bpr)]
    public void ModelFile_RoundTrip_GivesTheSameRecommendations(ImplicitSolver solver)
    {
        var (users, items, tested, _) = Likes(trainOnLikesOnly: true);
        var model = new ImplicitMatrixFactorization(nFactors: 6, maxIter: 3, solver: solver, randomState: 2).Fit(users, items);
        string path = PathOf("implicit.safetensors");

        ModelFile.Save(model, path);
        var file = ModelFile.Load(path);
        var loaded = Assert.IsType<ImplicitMatrixFactorization>(file.Estimator);

        Assert.Equal("implicit_matrix_factorization", file.Kind);
        Assert.Equal((model.Solver, model.NFactors, model.Confidence), (loaded.Solver, loaded.NFactors, loaded.Confidence));
        Assert.Equal(model.LossCurve, loaded.LossCurve);
        Assert.Equal(model.UserIds, loaded.UserIds);
        Assert.Equal(model.Popularity, loaded.Popularity);
        int[] asked = [.. tested.Take(50), -1];
        var before = model.Recommend(asked, 10);
        var after = loaded.Recommend(asked, 10);
        for (int p = 0; p < asked.Length; p++)
        {
            Assert.Equal(before[p], after[p]);
            Assert.Equal(before[p].ColdStart, after[p].ColdStart);
        }
        Assert.Equal(model.SimilarItems(items[0], 5), loaded.SimilarItems(items[0], 5));
        Assert.Equal(model.Predict(asked, [.. asked.Select(_ => items[0])]), loaded.Predict(asked, [.. asked.Select(_ => items[0])]));
    }

    [Fact]
    public void BadInput_NamesTheProblem()
    {
        Assert.Contains("nFactors must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new ImplicitMatrixFactorization(nFactors: 0)).Message);
        Assert.Contains("confidence must be a finite number >= 0, got -1", Assert.Throws<ArgumentOutOfRangeException>(() => new ImplicitMatrixFactorization(confidence: -1)).Message);
        Assert.Contains("alpha must be positive with the ALS solver", Assert.Throws<ArgumentOutOfRangeException>(() => new ImplicitMatrixFactorization(alpha: 0)).Message);
        Assert.Contains("initStd must be a positive finite number, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new ImplicitMatrixFactorization(initStd: 0)).Message);
        var model = new ImplicitMatrixFactorization();
        Assert.Contains("not fitted yet", Assert.Throws<InvalidOperationException>(() => model.Predict(1, 2)).Message);
        Assert.Contains("same length, got 2, 1 and", Assert.Throws<ArgumentException>(() => model.Fit([1, 2], [1])).Message);
        Assert.Contains("strength 1 (user 2, item 5) is -1, not a finite number of at least 0",
            Assert.Throws<ArgumentException>(() => model.Fit([1, 2], [4, 5], [3.0, -1])).Message);
        Assert.Contains("strength 0 (user 1, item 4) is NaN", Assert.Throws<ArgumentException>(() => model.Fit([1], [4], [double.NaN])).Message);
        Assert.Contains("every strength is 0", Assert.Throws<ArgumentException>(() => model.Fit([1, 2], [4, 5], [0.0, 0])).Message);
        Assert.Contains("no interactions", Assert.Throws<ArgumentException>(() => model.Fit([], [])).Message);
        Assert.Contains("every user interacted with every item",
            Assert.Throws<ArgumentException>(() => new ImplicitMatrixFactorization(solver: ImplicitSolver.Bpr).Fit([1, 1, 2, 2], [4, 5, 4, 5])).Message);
        Assert.Contains("count must be at least 0, got -3", Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit([1], [4]).Recommend(1, -3)).Message);
        Assert.Contains("ImplicitMatrixFactorization.UserFactors: user 9 was not in the training data", Assert.Throws<KeyNotFoundException>(() => model.UserFactors(9)).Message);
    }
}
