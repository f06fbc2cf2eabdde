namespace Nabla.Estimators;

// MatrixFactorization as a recommender (IRecommender): rankings of all items, similar items, the ids it knows.
public sealed partial class MatrixFactorization
{
    // Built on first use from the fitted arrays, and again once a fit has replaced them (a fit makes a new user index).
    private FactorRanking? _ranking;
    private Dictionary<int, int>? _userIdsOf;
    private int[] _userIds = [];

    /// <summary>False: the model predicts explicit ratings.</summary>
    public bool IsImplicit => false;

    /// <summary>The user ids seen in <see cref="Fit"/>, in the order of the model's user rows; empty before fitting.</summary>
    public IReadOnlyList<int> UserIds
    {
        get
        {
            if (_userIndex is not null && !ReferenceEquals(_userIdsOf, _userIndex))
            {
                _userIds = RecommenderIds.InRowOrder(_userIndex);
                _userIdsOf = _userIndex;
            }
            return Array.AsReadOnly(_userIds);
        }
    }

    /// <summary>The item ids seen in <see cref="Fit"/>, in the order of the model's item rows (the order ties are broken in); empty before fitting.</summary>
    public IReadOnlyList<int> ItemIds => Array.AsReadOnly(_itemIds);

    /// <summary>Whether <paramref name="user"/> was seen in <see cref="Fit"/>.</summary>
    public bool IsKnownUser(int user) => _userIndex?.ContainsKey(user) ?? false;

    /// <summary>Whether <paramref name="item"/> was seen in <see cref="Fit"/>.</summary>
    public bool IsKnownItem(int item) => _itemIndex?.ContainsKey(item) ?? false;

    /// <summary>
    /// The <paramref name="count"/> items of highest predicted rating μ + b_u + b_i + p_u·q_i for
    /// <paramref name="user"/>, best first, equal ratings in item row order; with
    /// <paramref name="excludeSeen"/> the items the user rated in training are left out. An unknown user
    /// gets the items of highest μ + b_i, the best liked overall (<see cref="Recommendations.ColdStart"/>).
    /// Each score is the rating <see cref="Predict(int, int)"/> gives, clipped to [<see cref="MinRating"/>,
    /// <see cref="MaxRating"/>]; the order is that of the unclipped ratings, so items the model rates above the
    /// scale keep their order rather than tie at the top.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public Recommendations Recommend(int user, int count, bool excludeSeen = true) => Recommend([user], count, excludeSeen)[0];

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public IReadOnlyList<Recommendations> Recommend(IReadOnlyList<int> users, int count, bool excludeSeen = true) =>
        [.. Ranking(nameof(Recommend)).Recommend(users, count, excludeSeen).Select(Clipped)];

    /// <summary>A ranked list with each score clipped to the training ratings' range, as <see cref="Predict(int, int)"/> clips.</summary>
    private Recommendations Clipped(Recommendations list) =>
        new(list.User, list.ColdStart, [.. list.Select(r => r with { Score = Math.Clamp(r.Score, MinRating, MaxRating) })]);

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public IReadOnlyList<Recommendation> SimilarItems(int item, int count) => Ranking(nameof(SimilarItems)).SimilarItems(item, count);

    /// <summary>The ranking of the fitted model, for <paramref name="method"/>.</summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    private FactorRanking Ranking(string method)
    {
        RequireFitted(method);
        if (_ranking is not null && _ranking.Uses(_userIndex!)) return _ranking;
        var cold = new double[_itemIds.Length];
        for (int i = 0; i < cold.Length; i++) cold[i] = GlobalMean + _itemBias[i];
        return _ranking = new FactorRanking(nameof(MatrixFactorization), NFactors, _userIndex!, _itemIndex!, _itemIds, _userFactors, _itemFactors, _seen, cold,
            GlobalMean, _userBias, _itemBias);
    }
}
