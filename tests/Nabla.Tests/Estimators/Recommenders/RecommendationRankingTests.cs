using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// The shared ranking (<see cref="FactorRanking"/>) against brute force, scoring every item and sorting:
/// on models of small whole numbers, where every score is exact and many tie, so that the tie order (item
/// rows) is checked bit for bit; across several blocks of users, and blocks cut short by the memory bound;
/// with and without the seen items, counts of 0 and past the end, unknown users; then through the two
/// fitted recommenders, and cosine similar items.
/// </summary>
public sealed class RecommendationRankingTests
{
    /// <summary>A model of whole-number factors and biases: users × items with k factors, each user having seen about a fifth of the items.</summary>
    private sealed record IntegerModel(int Users, int Items, int K, double[] X, double[] Y, double[] UserBias, double[] ItemBias, double Offset, int[] SeenUsers, int[] SeenRows, double[] Cold)
    {
        public static int UserId(int row) => 1000 + 3 * row;

        public static int ItemId(int row) => 5 + 7 * row;

        public static IntegerModel Random(int users, int items, int k, ulong seed)
        {
            var g = new Generator(seed);
            double[] Values(int count) => [.. Enumerable.Range(0, count).Select(_ => (double)(g.NextInt(3) - 1))];
            var seen = Enumerable.Range(0, users * items).Where(_ => g.NextDouble() < 0.2).ToArray();
            return new IntegerModel(users, items, k, Values(users * k), Values(items * k), Values(users), Values(items), 3,
                [.. seen.Select(p => p / items)], [.. seen.Select(p => p % items)], [.. Enumerable.Range(0, items).Select(_ => (double)g.NextInt(4))]);
        }

        public FactorRanking Ranking() => new("Test", K,
            Enumerable.Range(0, Users).ToDictionary(UserId, row => row), Enumerable.Range(0, Items).ToDictionary(ItemId, row => row),
            [.. Enumerable.Range(0, Items).Select(ItemId)], X, Y, SeenItems.FromPairs(SeenUsers, SeenRows, Users), Cold, Offset, UserBias, ItemBias);

        /// <summary>Every item scored in full and sorted: by score, best first, then by item row.</summary>
        public Recommendation[] BruteForce(int userId, int count, bool excludeSeen)
        {
            int user = (userId - 1000) / 3;
            bool known = userId >= 1000 && (userId - 1000) % 3 == 0 && user < Users;
            var seen = SeenUsers.Zip(SeenRows).Where(p => known && excludeSeen && p.First == user).Select(p => p.Second).ToHashSet();
            return [.. Enumerable.Range(0, Items).Where(i => !seen.Contains(i))
                .Select(i => (Row: i, Score: known ? Offset + UserBias[user] + ItemBias[i] + Enumerable.Range(0, K).Sum(f => X[user * K + f] * Y[i * K + f]) : Cold[i]))
                .OrderByDescending(c => c.Score).ThenBy(c => c.Row).Take(count).Select(c => new Recommendation(ItemId(c.Row), c.Score))];
        }
    }

    [Theory]
    [InlineData(600, 50, 3, 10, true)]      // three blocks of 256, 256 and 88 users
    [InlineData(600, 50, 3, 10, false)]
    [InlineData(300, 9000, 2, 25, true)]    // 9,000 items: blocks of 116 users, for the memory bound
    [InlineData(40, 30, 4, 1000, true)]     // a count past the end: all that is left
    [InlineData(40, 30, 4, 0, true)]
    public void Recommend_IsBruteForce_TiesInItemRowOrder(int users, int items, int k, int count, bool excludeSeen)
    {
        var model = IntegerModel.Random(users, items, k, seed: (ulong)(users + items));
        // Every known user, an unknown one (cold start) at the front, in the middle and twice at the end.
        int[] asked = [7, .. Enumerable.Range(0, users).Select(IntegerModel.UserId).Reverse(), 1001, 1001];

        var lists = model.Ranking().Recommend(asked, count, excludeSeen);

        Assert.Equal(asked.Length, lists.Length);
        for (int p = 0; p < asked.Length; p++)
        {
            Assert.Equal(asked[p], lists[p].User);
            Assert.Equal(asked[p] is 7 or 1001, lists[p].ColdStart);
            Assert.Equal(model.BruteForce(asked[p], count, excludeSeen), lists[p]);
        }
        // Whole numbers tie often: the test means something only if lists cut through ties.
        if (count is > 0 and < 1000) Assert.Contains(lists, list => list[^1].Score == list[^2].Score);
    }

    [Fact]
    public void Recommend_RefusesANegativeCount_AndReadsEmptyListsOfUsers()
    {
        var ranking = IntegerModel.Random(5, 6, 2, seed: 1).Ranking();

        Assert.Contains("Test.Recommend: count must be at least 0, got -1", Assert.Throws<ArgumentOutOfRangeException>(() => ranking.Recommend([1000], -1, true)).Message);
        Assert.Empty(ranking.Recommend([], 3, true));
    }

    [Fact]
    public void SimilarItems_IsTheBruteForceCosine_AZeroVectorBeingSimilarToNothing()
    {
        var model = IntegerModel.Random(3, 40, 3, seed: 5);
        Array.Clear(model.Y, 6 * 3, 3);                 // item row 6 has no factors
        var ranking = model.Ranking();
        double Cosine(int a, int b)
        {
            double dot = 0, na = 0, nb = 0;
            for (int f = 0; f < 3; f++) (dot, na, nb) = (dot + model.Y[a * 3 + f] * model.Y[b * 3 + f], na + model.Y[a * 3 + f] * model.Y[a * 3 + f], nb + model.Y[b * 3 + f] * model.Y[b * 3 + f]);
            return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
        }

        foreach (int row in new[] { 0, 6, 17, 39 })
        {
            var expected = Enumerable.Range(0, 40).Where(i => i != row).OrderByDescending(i => Cosine(row, i)).ThenBy(i => i).Take(12).ToArray();
            var similar = ranking.SimilarItems(IntegerModel.ItemId(row), 12);
            Assert.Equal(expected.Select(IntegerModel.ItemId), similar.Select(s => s.Item));
            Assert.All(similar.Zip(expected), s => Assert.Equal(Cosine(row, s.Second), s.First.Score, 12));
        }
        Assert.All(ranking.SimilarItems(IntegerModel.ItemId(6), 39), s => Assert.Equal(0, s.Score));
        Assert.Equal(39, ranking.SimilarItems(IntegerModel.ItemId(0), 500).Length);
        Assert.Empty(ranking.SimilarItems(IntegerModel.ItemId(0), 0));
        Assert.Contains("Test.SimilarItems: item 6 was not in the training data", Assert.Throws<KeyNotFoundException>(() => ranking.SimilarItems(6, 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ranking.SimilarItems(IntegerModel.ItemId(0), -2));
    }

    private static readonly Lazy<SyntheticRatings> Ratings = new(() => SyntheticRatings.Generate(users: 300, items: 200, density: 0.05, rank: 4, seed: 3));

    [Fact]
    public void MatrixFactorization_RanksByItsEstimate_ColdStartByTheItemBias()
    {
        var data = Ratings.Value;
        var model = new MatrixFactorization(nFactors: 4, alpha: 0.5, maxIter: 5, solver: MatrixFactorizationSolver.Als, randomState: 2).Fit(data.Users, data.Items, data.Ratings);
        double Estimate(int user, int item) => model.GlobalMean + model.UserBias(user) + model.ItemBias(item)
            + model.UserFactors(user).Zip(model.ItemFactors(item)).Sum(p => p.First * p.Second);
        int[] users = [.. model.UserIds.Take(20)];

        var lists = model.Recommend([.. users, -5], 15);

        for (int p = 0; p < users.Length; p++)
        {
            var rated = data.Users.Zip(data.Items).Where(r => r.First == users[p]).Select(r => r.Second).ToHashSet();
            var expected = model.ItemIds.Where(i => !rated.Contains(i)).OrderByDescending(i => Estimate(users[p], i)).Take(15).ToArray();
            Assert.False(lists[p].ColdStart);
            Assert.Equal(expected, lists[p].Select(r => r.Item));
            Assert.All(lists[p], r => Assert.Equal(Estimate(users[p], r.Item), r.Score, 9));
        }
        var cold = lists[^1];
        Assert.True(cold.ColdStart);
        Assert.Equal(-5, cold.User);
        Assert.Equal(model.ItemIds.OrderByDescending(model.ItemBias).Take(15), cold.Select(r => r.Item));
        Assert.All(cold, r => Assert.Equal(model.GlobalMean + model.ItemBias(r.Item), r.Score, 12));
        Assert.False(model.IsImplicit);
        Assert.True(model.IsKnownUser(users[0]) && model.IsKnownItem(model.ItemIds[0]) && !model.IsKnownUser(-5) && !model.IsKnownItem(-5));
    }

    [Theory]
    [InlineData(ImplicitSolver.Als)]
    [InlineData(ImplicitSolver.Bpr)]
    public void ImplicitMatrixFactorization_RanksByItsScore_ColdStartByPopularity(ImplicitSolver solver)
    {
        var data = Ratings.Value;
        var model = new ImplicitMatrixFactorization(nFactors: 4, maxIter: 3, solver: solver, randomState: 2).Fit(data.Users, data.Items);
        double Score(int user, int item) => model.ItemBias(item) + model.UserFactors(user).Zip(model.ItemFactors(item)).Sum(p => p.First * p.Second);
        // Popularity counted here from the data: the distinct users of each item.
        var usersOf = data.Users.Zip(data.Items).Distinct().GroupBy(p => p.Second).ToDictionary(g => g.Key, g => g.Count());
        int[] asked = [.. model.UserIds.Skip(50).Take(20), 99_999];

        var lists = model.Recommend(asked, 12);

        for (int p = 0; p < asked.Length - 1; p++)
        {
            var seen = data.Users.Zip(data.Items).Where(r => r.First == asked[p]).Select(r => r.Second).ToHashSet();
            Assert.Equal(model.ItemIds.Where(i => !seen.Contains(i)).OrderByDescending(i => Score(asked[p], i)).Take(12), lists[p].Select(r => r.Item));
            Assert.All(lists[p], r => Assert.Equal(model.Predict(asked[p], r.Item), r.Score, 12));
        }
        Assert.True(lists[^1].ColdStart);
        Assert.Equal(model.ItemIds.OrderByDescending(i => usersOf[i]).Take(12), lists[^1].Select(r => r.Item));
        Assert.Equal(model.ItemIds.Select(i => usersOf[i]), model.Popularity);
        Assert.All(lists[^1], r => Assert.Equal(usersOf[r.Item], r.Score));
        // Without leaving out what was seen, the seen items come back among the best.
        var all = model.Recommend(asked[0], model.NItems, excludeSeen: false);
        Assert.Equal(model.NItems, all.Count);
        Assert.Equal(model.ItemIds.Order(), all.Select(r => r.Item).Order());
    }

    [Fact]
    public void SimilarItems_OfTheFittedModels_AreTheCosineOfTheirItemFactors()
    {
        var data = Ratings.Value;
        IRecommender[] models =
        [
            new MatrixFactorization(nFactors: 4, alpha: 0.5, maxIter: 5, solver: MatrixFactorizationSolver.Als, randomState: 2).Fit(data.Users, data.Items, data.Ratings),
            new ImplicitMatrixFactorization(nFactors: 4, maxIter: 3, randomState: 2).Fit(data.Users, data.Items),
        ];
        foreach (var model in models)
        {
            Func<int, double[]> factors = model is MatrixFactorization mf ? mf.ItemFactors : ((ImplicitMatrixFactorization)model).ItemFactors;
            int item = model.ItemIds[3];
            double Cosine(int other)
            {
                double[] a = factors(item), b = factors(other);
                return a.Zip(b).Sum(p => p.First * p.Second) / Math.Sqrt(a.Sum(v => v * v) * b.Sum(v => v * v));
            }

            var similar = model.SimilarItems(item, 8);

            Assert.Equal(model.ItemIds.Where(i => i != item).OrderByDescending(Cosine).Take(8), similar.Select(s => s.Item));
            Assert.All(similar, s => Assert.Equal(Cosine(s.Item), s.Score, 12));
            Assert.Throws<KeyNotFoundException>(() => model.SimilarItems(-1, 8));
        }
    }

    [Fact]
    public void UnfittedModels_SayWhatIsMissing()
    {
        Assert.Contains("MatrixFactorization.Recommend: the model is not fitted yet", Assert.Throws<InvalidOperationException>(() => new MatrixFactorization().Recommend(1, 3)).Message);
        Assert.Contains("ImplicitMatrixFactorization.SimilarItems: the model is not fitted yet", Assert.Throws<InvalidOperationException>(() => new ImplicitMatrixFactorization().SimilarItems(1, 3)).Message);
        Assert.Empty(new MatrixFactorization().UserIds);
        Assert.False(new ImplicitMatrixFactorization().IsKnownItem(1));
    }
}
