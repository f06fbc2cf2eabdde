namespace Nabla.Estimators;

/// <summary>One recommended item and the score it was ranked by, higher first (see <see cref="IRecommender.Recommend(int, int, bool)"/>).</summary>
/// <param name="Item">The item's id, as given to the recommender's <c>Fit</c>.</param>
/// <param name="Score">
/// What the ranking is by: for a known user the model's score of the item (a predicted rating for
/// <see cref="MatrixFactorization"/>, a preference score for <see cref="ImplicitMatrixFactorization"/>);
/// for a cold-start list the fallback's score (μ + b_i, or the item's popularity); for
/// <see cref="IRecommender.SimilarItems"/> the cosine similarity.
/// </param>
public readonly record struct Recommendation(int Item, double Score);
