using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// MatrixFactorization on a synthetic rating matrix of known rank 3 plus noise of deviation 0.1:
/// SGD and ALS must recover it, measured by the RMSE on held-out ratings, which cannot go below
/// the noise; and recommendations, fallbacks, predictions clipped to the rating scale, determinism
/// and bad input. The Adam solver has its own tests (MatrixFactorizationAdamTests).
/// </summary>
public sealed class MatrixFactorizationTests
{
    private const double Noise = 0.1;

    private sealed record Ratings(int[] Users, int[] Items, double[] Values);

    /// <summary>
    /// r = 3.5 + b_u + b_i + p_u·q_i + N(0, 0.1²) for a random quarter of 300 users × 200 items; user
    /// ids are 1000 + u and item ids 5000 + 7i, to show ids need not be indices. 10% is held out.
    /// </summary>
    private static (Ratings Train, Ratings Test) LowRank()
    {
        var g = new Generator(42);
        const int users = 300, items = 200, rank = 3;
        var p = Enumerable.Range(0, users * rank).Select(_ => g.NextNormal() * 0.6).ToArray();
        var q = Enumerable.Range(0, items * rank).Select(_ => g.NextNormal() * 0.6).ToArray();
        var bu = Enumerable.Range(0, users).Select(_ => g.NextNormal() * 0.3).ToArray();
        var bi = Enumerable.Range(0, items).Select(_ => g.NextNormal() * 0.3).ToArray();
        List<int> trainU = [], trainI = [], testU = [], testI = [];
        List<double> trainR = [], testR = [];
        for (int u = 0; u < users; u++)
        {
            for (int i = 0; i < items; i++)
            {
                if (g.NextDouble() >= 0.25) continue;
                double r = 3.5 + bu[u] + bi[i] + Noise * g.NextNormal();
                for (int f = 0; f < rank; f++) r += p[u * rank + f] * q[i * rank + f];
                bool test = g.NextDouble() < 0.1;
                (test ? testU : trainU).Add(1000 + u);
                (test ? testI : trainI).Add(5000 + 7 * i);
                (test ? testR : trainR).Add(r);
            }
        }
        return (new([.. trainU], [.. trainI], [.. trainR]), new([.. testU], [.. testI], [.. testR]));
    }

    private static readonly Lazy<(Ratings Train, Ratings Test)> Data = new(LowRank);

    private static double MeanOnlyRmse(Ratings train, Ratings test)
    {
        double mean = train.Values.Average();
        return Math.Sqrt(test.Values.Average(r => (r - mean) * (r - mean)));
    }

    [Fact]
    public void Als_RecoversTheLowRankMatrix_DownToTheNoise()
    {
        var (train, test) = Data.Value;
        var model = new MatrixFactorization(nFactors: 3, alpha: 0.02, maxIter: 15, solver: MatrixFactorizationSolver.Als, randomState: 1)
            .Fit(train.Users, train.Items, train.Values);

        double rmse = model.Rmse(test.Users, test.Items, test.Values);

        Assert.InRange(rmse, Noise * 0.8, Noise * 1.3);
        Assert.True(rmse < 0.2 * MeanOnlyRmse(train, test), $"RMSE {rmse}, predicting the mean gives {MeanOnlyRmse(train, test)}");
        // Each alternation solves its half exactly, so the training error settles and does not climb back.
        var curve = model.LossCurve;
        Assert.Equal(15, curve.Count);
        Assert.True(curve[^1] < 0.5 * curve[0]);
        Assert.All(curve.Zip(curve.Skip(1)), pair => Assert.True(pair.Second <= pair.First * 1.001, $"{pair.First} → {pair.Second}"));
    }

    [Fact]
    public void Sgd_RecoversTheLowRankMatrix_NearTheNoise()
    {
        var (train, test) = Data.Value;
        var model = new MatrixFactorization(nFactors: 3, alpha: 0.02, learningRate: 0.01, maxIter: 60, randomState: 1)
            .Fit(train.Users, train.Items, train.Values);

        double rmse = model.Rmse(test.Users, test.Items, test.Values);

        Assert.InRange(rmse, Noise * 0.8, Noise * 1.6);
        Assert.True(model.LossCurve[^1] < model.LossCurve[0]);
    }

    [Fact]
    public void Sgd_TakesFunksStepsWrittenOut()
    {
        // The reference: rows numbered by first appearance, factors drawn user rows first from the
        // seed's generator, biases from 0, then each epoch a shuffle and one step per rating.
        var data = SyntheticRatings.Generate(users: 20, items: 15, density: 0.4, seed: 3);
        const int k = 5, epochs = 3;
        const double lr = 0.01, reg = 0.05, initStd = 0.1;
        var model = new MatrixFactorization(nFactors: k, alpha: reg, learningRate: lr, maxIter: epochs, initStd: initStd, randomState: 8)
            .Fit(data.Users, data.Items, data.Ratings);

        var userRows = data.Users.Distinct().Select((id, row) => (id, row)).ToDictionary(x => x.id, x => x.row);
        var itemRows = data.Items.Distinct().Select((id, row) => (id, row)).ToDictionary(x => x.id, x => x.row);
        var g = new Generator(8);
        var p = Enumerable.Range(0, userRows.Count * k).Select(_ => initStd * g.NextNormal()).ToArray();
        var q = Enumerable.Range(0, itemRows.Count * k).Select(_ => initStd * g.NextNormal()).ToArray();
        var bu = new double[userRows.Count];
        var bi = new double[itemRows.Count];
        double mu = data.Ratings.Average();
        var order = Enumerable.Range(0, data.Ratings.Count).ToArray();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            g.Shuffle<int>(order);
            foreach (int n in order)
            {
                int u = userRows[data.Users[n]], i = itemRows[data.Items[n]];
                double estimate = mu + bu[u] + bi[i];
                for (int f = 0; f < k; f++) estimate += p[u * k + f] * q[i * k + f];
                double error = data.Ratings[n] - estimate;
                bu[u] += lr * (error - reg * bu[u]);
                bi[i] += lr * (error - reg * bi[i]);
                for (int f = 0; f < k; f++)
                {
                    double pf = p[u * k + f], qf = q[i * k + f];
                    p[u * k + f] += lr * (error * qf - reg * pf);
                    q[i * k + f] += lr * (error * pf - reg * qf);
                }
            }
        }

        foreach (var (id, row) in userRows)
        {
            Assert.Equal(bu[row], model.UserBias(id), 1e-12);
            Assert.All(model.UserFactors(id).Zip(p.Skip(row * k).Take(k)), x => Assert.Equal(x.Second, x.First, 1e-12));
        }
        foreach (var (id, row) in itemRows)
        {
            Assert.Equal(bi[row], model.ItemBias(id), 1e-12);
            Assert.All(model.ItemFactors(id).Zip(q.Skip(row * k).Take(k)), x => Assert.Equal(x.Second, x.First, 1e-12));
        }
    }

    [Fact]
    public void Recommend_ExcludesRatedItems_BestFirst()
    {
        var (train, _) = Data.Value;
        var model = new MatrixFactorization(nFactors: 3, alpha: 0.5, maxIter: 5, solver: MatrixFactorizationSolver.Als).Fit(train.Users, train.Items, train.Values);
        int user = train.Users[0];
        var rated = train.Users.Zip(train.Items).Where(x => x.First == user).Select(x => x.Second).ToHashSet();

        var top = model.Recommend(user, 10);

        Assert.Equal(10, top.Count);
        Assert.All(top, t => Assert.DoesNotContain(t.Item, rated));
        Assert.Equal(top.Select(t => t.Score).OrderDescending(), top.Select(t => t.Score));
        Assert.All(top, t => Assert.Equal(model.Predict(user, t.Item), t.Score, 12));
        // Nothing unrated predicts higher than the tenth.
        var allItems = train.Items.Distinct().Where(i => !rated.Contains(i));
        Assert.All(allItems, i => Assert.True(model.Predict(user, i) <= top[0].Score));
        Assert.Equal(model.NItems - rated.Count, model.Recommend(user, 10_000).Count);
    }

    [Fact]
    public void UnknownUsersAndItems_FallBackToTheBiases()
    {
        var (train, _) = Data.Value;
        var model = new MatrixFactorization(nFactors: 2, maxIter: 3, randomState: 3).Fit(train.Users, train.Items, train.Values);
        int user = train.Users[0], item = train.Items[0];

        Assert.Equal(model.GlobalMean, model.Predict(-1, -1), 12);
        Assert.Equal(model.GlobalMean + model.ItemBias(item), model.Predict(-1, item), 12);
        Assert.Equal(model.GlobalMean + model.UserBias(user), model.Predict(user, -1), 12);
        var popular = model.Recommend(-1, 3);
        Assert.Equal(3, popular.Count);
        Assert.All(popular, t => Assert.Equal(model.GlobalMean + model.ItemBias(t.Item), t.Score, 12));
        Assert.Throws<KeyNotFoundException>(() => model.UserFactors(-1));
    }

    [Fact]
    public void Predictions_AreClippedToTheTrainingRange()
    {
        // A 1–5 scale: the users and items with the largest biases and factors estimate well above 5
        // (μ + b_u + b_i + p·q up to about 6.5) for the pairs they did not rate, and some below 1.
        var data = SyntheticRatings.Generate(users: 200, items: 150, density: 0.1, rank: 3, noise: 0.3, seed: 9);
        var model = new MatrixFactorization(nFactors: 3, alpha: 0.005, maxIter: 10, solver: MatrixFactorizationSolver.Als).Fit(data.Users, data.Items, data.Ratings);
        double Raw(int user, int item) =>
            model.GlobalMean + model.UserBias(user) + model.ItemBias(item) + model.UserFactors(user).Zip(model.ItemFactors(item), (p, q) => p * q).Sum();
        var pairs = (from user in data.Users.Distinct() from item in data.Items.Distinct() select (user, item)).ToArray();

        Assert.Equal(data.Ratings.Min(), model.MinRating);
        Assert.Equal(data.Ratings.Max(), model.MaxRating);
        Assert.Equal((1.0, 5.0), (model.MinRating, model.MaxRating));
        Assert.Contains(pairs, pair => Raw(pair.user, pair.item) > 5.2);
        Assert.Contains(pairs, pair => Raw(pair.user, pair.item) < 0.8);
        Assert.All(pairs, pair => Assert.Equal(Math.Clamp(Raw(pair.user, pair.item), 1, 5), model.Predict(pair.user, pair.item), 1e-12));
        // The fallbacks are clipped too: the most liked item's μ + b_i, for an unknown user, is at most 5.
        Assert.All(data.Items.Distinct(), item => Assert.InRange(model.Predict(-1, item), 1, 5));

        // Recommendations report the clipped rating, as Predict does (the 5.41 on a 1–5 scale), ranked by the raw one.
        int generous = pairs.First(pair => Raw(pair.user, pair.item) > 5.2).user;
        var top = model.Recommend(generous, 20, excludeSeen: false);
        Assert.Contains(top, r => r.Score == 5);
        Assert.All(top, r => Assert.Equal(model.Predict(generous, r.Item), r.Score, 1e-12));
        Assert.Equal(top.Select(r => Raw(generous, r.Item)).OrderDescending(), top.Select(r => Raw(generous, r.Item)));
        Assert.All(model.Recommend(data.Users.Distinct().ToArray(), 5), list => Assert.All(list, r => Assert.InRange(r.Score, 1, 5)));
    }

    [Fact]
    public void SavedState_KeepsTheRatingRange_AndRefusesAnEmptyOne()
    {
        var (train, test) = Data.Value;
        var model = new MatrixFactorization(nFactors: 3, alpha: 0.5, maxIter: 2, solver: MatrixFactorizationSolver.Als, batchSize: 77).Fit(train.Users, train.Items, train.Values);
        var state = model.ExportState();

        var restored = (MatrixFactorization)EstimatorKinds.Restore(state);
        var reversed = state with { Fitted = state.Fitted.Replace("\"min_rating\"", "\"x\"").Replace("\"max_rating\"", "\"min_rating\"").Replace("\"x\"", "\"max_rating\"") };

        Assert.Equal((model.MinRating, model.MaxRating, 77), (restored.MinRating, restored.MaxRating, restored.BatchSize));
        Assert.Equal(model.Predict(test.Users, test.Items), restored.Predict(test.Users, test.Items));
        Assert.Contains("is above its \"max_rating\"", Assert.Throws<InvalidDataException>(() => EstimatorKinds.Restore(reversed)).Message);
    }

    [Fact]
    public void Ids_AreLabelsOnly_CompactOrSpreadOverTheWholeRange()
    {
        // Compact ids are looked up in an array over their range, spread ones in a dictionary: the
        // rows, numbered by first appearance, and so the model are the same.
        var (train, test) = Data.Value;
        static int Spread(int id) => (int)((id * 2_654_435_761L) % int.MaxValue) - 1_000_000_000;
        var compact = new MatrixFactorization(nFactors: 3, maxIter: 2, randomState: 4).Fit(train.Users, train.Items, train.Values);
        var spread = new MatrixFactorization(nFactors: 3, maxIter: 2, randomState: 4)
            .Fit([.. train.Users.Select(Spread)], [.. train.Items.Select(Spread)], train.Values);

        Assert.Equal(compact.Predict(test.Users, test.Items), spread.Predict([.. test.Users.Select(Spread)], [.. test.Items.Select(Spread)]));
        Assert.Equal(compact.UserFactors(train.Users[5]), spread.UserFactors(Spread(train.Users[5])));
    }

    [Fact]
    public void SameSeed_SameModel_OtherSeed_OtherModel()
    {
        var (train, test) = Data.Value;
        MatrixFactorization Fit(ulong seed) => new MatrixFactorization(nFactors: 3, maxIter: 3, randomState: seed).Fit(train.Users, train.Items, train.Values);

        Assert.Equal(Fit(7).Predict(test.Users, test.Items), Fit(7).Predict(test.Users, test.Items));
        Assert.NotEqual(Fit(7).Predict(test.Users, test.Items), Fit(8).Predict(test.Users, test.Items));
    }

    [Fact]
    public void WithoutBiases_TheFactorsCarryEverything()
    {
        var (train, test) = Data.Value;
        var model = new MatrixFactorization(nFactors: 5, alpha: 0.02, maxIter: 15, solver: MatrixFactorizationSolver.Als, useBiases: false)
            .Fit(train.Users, train.Items, train.Values);

        Assert.Equal(0, model.UserBias(train.Users[0]));
        Assert.True(model.Rmse(test.Users, test.Items, test.Values) < 0.5 * MeanOnlyRmse(train, test));
    }

    [Fact]
    public void BadInput_NamesTheProblem()
    {
        Assert.Contains("nFactors must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixFactorization(nFactors: 0)).Message);
        Assert.Contains("learningRate must be positive, got -0.1", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixFactorization(learningRate: -0.1)).Message);
        Assert.Contains("alpha must be positive with the ALS solver", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixFactorization(alpha: 0, solver: MatrixFactorizationSolver.Als)).Message);
        Assert.Contains("batchSize must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixFactorization(batchSize: 0)).Message);
        Assert.Contains("solver must be Sgd, Als or Adam", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixFactorization(solver: (MatrixFactorizationSolver)3)).Message);
        var model = new MatrixFactorization();
        Assert.Contains("not fitted yet", Assert.Throws<InvalidOperationException>(() => model.Predict(1, 2)).Message);
        Assert.Contains("same length, got 2, 1 and 2", Assert.Throws<ArgumentException>(() => model.Fit([1, 2], [1], [3.0, 4.0])).Message);
        Assert.Contains("rating 1 (user 2, item 5) is NaN", Assert.Throws<ArgumentException>(() => model.Fit([1, 2], [4, 5], [3.0, double.NaN])).Message);
        Assert.Contains("no ratings", Assert.Throws<ArgumentException>(() => model.Fit([], [], [])).Message);
    }
}
