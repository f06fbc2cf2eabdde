using Nabla.Estimators;

namespace Nabla.Cli;

/// <summary>A recommender's scores on the held-out interactions, and the popularity ranking's beside them.</summary>
/// <param name="Rmse">The root-mean-square error of the held-out ratings; null for implicit feedback.</param>
/// <param name="Mae">The mean absolute error of the held-out ratings; null for implicit feedback.</param>
/// <param name="Ranking">The model's top-k scores, or null when no held-out user can be scored.</param>
/// <param name="Popularity">The popularity ranking's top-k scores on the same users.</param>
/// <param name="RelevantFrom">The lowest held-out rating that counts as relevant for the ranking; null for implicit feedback.</param>
/// <param name="ColdRows">The held-out rows whose user or item was not seen in training.</param>
/// <param name="TestRows">The held-out rows.</param>
internal sealed record RecommenderScores(double? Rmse, double? Mae, RankingScores? Ranking, RankingScores? Popularity, double? RelevantFrom, int ColdRows, int TestRows)
{
    /// <summary>The scores by the names the model file and the JSON give them: rmse, mae, precision_at_10, ..., popularity_ndcg_at_10.</summary>
    public IReadOnlyDictionary<string, double> ByKey
    {
        get
        {
            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            if (Rmse is { } rmse) scores["rmse"] = rmse;
            if (Mae is { } mae) scores["mae"] = mae;
            if (Ranking is { } ranking)
                foreach (var (name, value) in RecommenderEvaluation.Named(ranking)) scores[name] = value;
            if (Popularity is { } popularity)
                foreach (var (name, value) in RecommenderEvaluation.Named(popularity)) scores[$"popularity_{name}"] = value;
            return scores;
        }
    }
}
