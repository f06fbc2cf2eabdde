namespace Nabla.Estimators;

// ImplicitMatrixFactorization's rankings: all items for users, and similar items.
public sealed partial class ImplicitMatrixFactorization
{
    /// <summary>
    /// The <paramref name="count"/> items of highest preference score for <paramref name="user"/>, best
    /// first, equal scores in item row order; with <paramref name="excludeSeen"/> the items the user
    /// interacted with in training are left out. An unknown user gets the most popular items, by the
    /// number of users who interacted with them (<see cref="Recommendations.ColdStart"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Recommendations Recommend(int user, int count, bool excludeSeen = true) => Recommend([user], count, excludeSeen)[0];

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public IReadOnlyList<Recommendations> Recommend(IReadOnlyList<int> users, int count, bool excludeSeen = true) => Ranking(nameof(Recommend)).Recommend(users, count, excludeSeen);

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public IReadOnlyList<Recommendation> SimilarItems(int item, int count) => Ranking(nameof(SimilarItems)).SimilarItems(item, count);

    /// <summary>The ranking of the fitted model, for <paramref name="method"/>; made on first use (a fit or a load starts without one).</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    private FactorRanking Ranking(string method)
    {
        RequireFitted(method);
        return _ranking ??= new FactorRanking(nameof(ImplicitMatrixFactorization), NFactors, _userIndex!, _itemIndex!, _itemIds,
            _userFactors, _itemFactors, _seen, [.. _seen.CountsPerItem(_itemIds.Length).Select(count => (double)count)], itemBias: _itemBias);
    }
}
