using Nabla.Metrics;

namespace Nabla.Estimators;

/// <summary>
/// Scores a fitted recommender on held-out interactions, as the literature does: the rating errors
/// (RMSE, MAE) of an explicit model, and for any model the top-k lists of the users seen in training
/// (their training items left out) against the held-out items they chose (precision, recall, MAP,
/// NDCG, hit rate at k, coverage), with the popularity ranking scored the same way beside it.
/// </summary>
/// <example>
/// <code>
/// var ranking = RecommenderEvaluation.Ranking(model, testUsers, testItems, k: 10);
/// var baseline = RecommenderEvaluation.Ranking(new PopularityRanking(trainUsers, trainItems), model.NItems, testUsers, testItems, k: 10);
/// </code>
/// </example>
public static class RecommenderEvaluation
{
    /// <summary>
    /// The lowest held-out rating that counts as a relevant item when an explicit model's ranking is scored: the top quarter of the
    /// training scale, MinRating + 0.75·(MaxRating − MinRating), which is 4 on a 1–5 scale.
    /// </summary>
    public static double RelevantFrom(MatrixFactorization model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.MinRating + 0.75 * (model.MaxRating - model.MinRating);
    }

    /// <summary>The ranking scores by the names model files and the command give them: precision_at_10, recall_at_10, map_at_10, ndcg_at_10, hit_rate_at_10, coverage_at_10.</summary>
    public static IEnumerable<KeyValuePair<string, double>> Named(RankingScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        yield return new($"precision_at_{scores.K}", scores.Precision);
        yield return new($"recall_at_{scores.K}", scores.Recall);
        yield return new($"map_at_{scores.K}", scores.MeanAveragePrecision);
        yield return new($"ndcg_at_{scores.K}", scores.Ndcg);
        yield return new($"hit_rate_at_{scores.K}", scores.HitRate);
        yield return new($"coverage_at_{scores.K}", scores.Coverage);
    }

    /// <summary>The root-mean-square and mean absolute errors of <paramref name="model"/>'s predictions of held-out ratings.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, or a rating is not finite.</exception>
    public static (double Rmse, double Mae) Errors(IRecommender model, IReadOnlyList<int> users, IReadOnlyList<int> items, IReadOnlyList<double> ratings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(ratings);
        var predictions = model.Predict(users, items);
        if (ratings.Count != predictions.Length)
            throw new ArgumentException($"RecommenderEvaluation.Errors: ratings must have the length of users and items, got {ratings.Count} and {predictions.Length}.");
        if (predictions.Length == 0) throw new ArgumentException("RecommenderEvaluation.Errors: there are no ratings to score.");
        double squares = 0, absolute = 0;
        for (int n = 0; n < predictions.Length; n++)
        {
            if (!double.IsFinite(ratings[n])) throw new ArgumentException($"RecommenderEvaluation.Errors: rating {n} is {ratings[n]}, not a finite number.");
            double error = ratings[n] - predictions[n];
            squares += error * error;
            absolute += Math.Abs(error);
        }
        return (Math.Sqrt(squares / predictions.Length), absolute / predictions.Length);
    }

    /// <summary>
    /// The top-<paramref name="k"/> scores of <paramref name="model"/> on held-out interactions: <paramref name="users"/>[n] chose
    /// <paramref name="items"/>[n], relevant when <paramref name="relevant"/>[n] is true (all are when it is null). Users not seen in
    /// training, and users with no relevant held-out item, are left out.
    /// </summary>
    /// <returns>The scores, or null when no user can be scored.</returns>
    /// <exception cref="ArgumentException">The lists differ in length, or k is below 1.</exception>
    public static RankingScores? Ranking(IRecommender model, IReadOnlyList<int> users, IReadOnlyList<int> items, int k = 10, IReadOnlyList<bool>? relevant = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var truth = RelevantByUser(users, items, relevant, k, model.IsKnownUser);
        var lists = model.Recommend(truth.Keys.ToArray(), k);
        return Score(k, model.NItems, [.. lists.Select(list => (IReadOnlyList<int>)[.. list.Select(r => r.Item)])], truth);
    }

    /// <summary>The same scores for the popularity ranking, over a catalogue of <paramref name="catalogSize"/> items; users it has no training interaction of are left out.</summary>
    /// <returns>The scores, or null when no user can be scored.</returns>
    /// <exception cref="ArgumentException">The lists differ in length, k is below 1, or the catalogue size is below 1.</exception>
    public static RankingScores? Ranking(PopularityRanking popularity, int catalogSize, IReadOnlyList<int> users, IReadOnlyList<int> items, int k = 10, IReadOnlyList<bool>? relevant = null)
    {
        ArgumentNullException.ThrowIfNull(popularity);
        ArgumentOutOfRangeException.ThrowIfLessThan(catalogSize, 1);
        var truth = RelevantByUser(users, items, relevant, k, popularity.Knows);
        return Score(k, catalogSize, [.. truth.Keys.Select(user => popularity.Recommend(user, k))], truth);
    }

    /// <summary>Each user's relevant held-out items, in the order users first appear; only users <paramref name="known"/> accepts.</summary>
    private static Dictionary<int, HashSet<int>> RelevantByUser(IReadOnlyList<int> users, IReadOnlyList<int> items, IReadOnlyList<bool>? relevant, int k, Func<int, bool> known)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (users.Count != items.Count || (relevant is not null && relevant.Count != users.Count))
            throw new ArgumentException($"RecommenderEvaluation.Ranking: users, items and relevant must have the same length, got {users.Count}, {items.Count} and {relevant?.Count ?? users.Count}.");
        var truth = new Dictionary<int, HashSet<int>>();
        for (int n = 0; n < users.Count; n++)
        {
            if ((relevant is not null && !relevant[n]) || !known(users[n])) continue;
            if (!truth.TryGetValue(users[n], out var set)) truth[users[n]] = set = [];
            set.Add(items[n]);
        }
        return truth;
    }

    private static RankingScores? Score(int k, int catalogSize, IReadOnlyList<IReadOnlyList<int>> lists, Dictionary<int, HashSet<int>> truth)
    {
        if (lists.Count == 0) return null;
        IReadOnlyList<IReadOnlyCollection<int>> relevant = [.. truth.Values];
        return new RankingScores(k, lists.Count,
            RankingMetrics.PrecisionAtK(lists, relevant, k), RankingMetrics.RecallAtK(lists, relevant, k),
            RankingMetrics.MeanAveragePrecisionAtK(lists, relevant, k), RankingMetrics.NdcgAtK(lists, relevant, k),
            RankingMetrics.HitRateAtK(lists, relevant, k), RankingMetrics.CoverageAtK(lists, k, catalogSize));
    }
}
