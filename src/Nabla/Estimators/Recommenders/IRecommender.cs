namespace Nabla.Estimators;

/// <summary>
/// A fitted recommender of latent factors: users and items, identified by the integer ids they were
/// fitted with, each have k factors; it scores (user, item) pairs, ranks all items for users and finds
/// items alike. Implemented by <see cref="MatrixFactorization"/> (explicit ratings) and
/// <see cref="ImplicitMatrixFactorization"/> (implicit feedback).
/// </summary>
/// <remarks>
/// Rankings are deterministic: equal scores keep the items' row order (<see cref="ItemIds"/>), and the
/// same model gives the same lists whatever the number of threads, and for a user asked alone or in a batch.
/// A count must be at least 0; a count larger than what is left gives what is left.
/// </remarks>
public interface IRecommender
{
    /// <summary>k, the number of latent factors of each user and item.</summary>
    int NFactors { get; }

    /// <summary>The number of distinct users seen in training.</summary>
    int NUsers { get; }

    /// <summary>The number of distinct items seen in training.</summary>
    int NItems { get; }

    /// <summary>Whether the model was fitted to implicit feedback (scores are preferences) rather than explicit ratings (scores are predicted ratings).</summary>
    bool IsImplicit { get; }

    /// <summary>The user ids seen in training, in the order of the model's user rows.</summary>
    IReadOnlyList<int> UserIds { get; }

    /// <summary>The item ids seen in training, in the order of the model's item rows (the order ties are broken in).</summary>
    IReadOnlyList<int> ItemIds { get; }

    /// <summary>Whether <paramref name="user"/> was seen in training.</summary>
    bool IsKnownUser(int user);

    /// <summary>Whether <paramref name="item"/> was seen in training.</summary>
    bool IsKnownItem(int item);

    /// <summary>
    /// The model's score of <paramref name="item"/> for <paramref name="user"/>: for explicit ratings the
    /// predicted rating, for implicit feedback the preference score; unknown ids fall back to what is known.
    /// </summary>
    double Predict(int user, int item);

    /// <summary>The scores of many (user, item) pairs, as <see cref="Predict(int, int)"/>.</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    double[] Predict(IReadOnlyList<int> users, IReadOnlyList<int> items);

    /// <summary>
    /// The <paramref name="count"/> best-scored items for <paramref name="user"/>, best first; with
    /// <paramref name="excludeSeen"/>, the items the user interacted with in training are left out. An
    /// unknown user gets the cold-start ranking (<see cref="Recommendations.ColdStart"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    Recommendations Recommend(int user, int count, bool excludeSeen = true);

    /// <summary>
    /// <see cref="Recommend(int, int, bool)"/> for each of <paramref name="users"/>, in their order: all
    /// items scored for blocks of users at once, in memory bounded by the block, not by users × items.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    IReadOnlyList<Recommendations> Recommend(IReadOnlyList<int> users, int count, bool excludeSeen = true);

    /// <summary>
    /// The <paramref name="count"/> items whose factors are closest to <paramref name="item"/>'s by
    /// cosine similarity, best first, the item itself left out; an item of zero factors has similarity 0 to every other.
    /// </summary>
    /// <exception cref="KeyNotFoundException"><paramref name="item"/> was not seen in training.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    IReadOnlyList<Recommendation> SimilarItems(int item, int count);

    /// <summary>The training loss after each iteration or epoch (the measure is the model's own; see its documentation).</summary>
    IReadOnlyList<double> LossCurve { get; }
}
