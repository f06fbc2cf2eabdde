namespace Nabla.Estimators;

/// <summary>How well a recommender's top-k lists found the held-out interactions (see <see cref="RecommenderEvaluation"/>).</summary>
/// <param name="K">The cut-off: the length of each list.</param>
/// <param name="Users">The users scored: those seen in training with at least one relevant held-out item.</param>
/// <param name="Precision">precision@k, the mean share of each list that is relevant.</param>
/// <param name="Recall">recall@k, the mean share of each user's relevant items found.</param>
/// <param name="MeanAveragePrecision">MAP@k.</param>
/// <param name="Ndcg">NDCG@k with binary relevance.</param>
/// <param name="HitRate">The share of users with a relevant item in their list.</param>
/// <param name="Coverage">The share of the catalogue that appears in some list.</param>
public sealed record RankingScores(int K, int Users, double Precision, double Recall, double MeanAveragePrecision, double Ndcg, double HitRate, double Coverage);
