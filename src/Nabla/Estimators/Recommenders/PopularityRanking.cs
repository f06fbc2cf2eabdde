namespace Nabla.Estimators;

/// <summary>
/// The baseline every recommender must beat: items ranked by how many training interactions they
/// have, most first (ties by item id), the same list for every user less what the user already has.
/// </summary>
/// <example>
/// <code>
/// var popular = new PopularityRanking(trainUsers, trainItems);
/// IReadOnlyList&lt;int&gt; top = popular.Recommend(user: 42, count: 10);
/// </code>
/// </example>
public sealed class PopularityRanking
{
    private readonly int[] _order;
    private readonly Dictionary<int, HashSet<int>> _seen = [];

    /// <summary>Counts the interactions: <paramref name="users"/>[n] interacted with <paramref name="items"/>[n].</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public PopularityRanking(IReadOnlyList<int> users, IReadOnlyList<int> items)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (users.Count != items.Count)
            throw new ArgumentException($"PopularityRanking: users and items must have the same length, got {users.Count} and {items.Count}.");
        if (users.Count == 0) throw new ArgumentException("PopularityRanking: there are no interactions to count.");
        var counts = new Dictionary<int, int>();
        for (int n = 0; n < users.Count; n++)
        {
            counts[items[n]] = counts.GetValueOrDefault(items[n]) + 1;
            if (!_seen.TryGetValue(users[n], out var seen)) _seen[users[n]] = seen = [];
            seen.Add(items[n]);
        }
        _order = [.. counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key).Select(pair => pair.Key)];
    }

    /// <summary>Whether <paramref name="user"/> had interactions in training.</summary>
    public bool Knows(int user) => _seen.ContainsKey(user);

    /// <summary>The items seen in training, most interactions first.</summary>
    public IReadOnlyList<int> Items => _order;

    /// <summary>The <paramref name="count"/> most popular items, leaving out (with <paramref name="excludeSeen"/>) those <paramref name="user"/> had in training.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public IReadOnlyList<int> Recommend(int user, int count, bool excludeSeen = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var seen = excludeSeen ? _seen.GetValueOrDefault(user) : null;
        var top = new List<int>(Math.Min(count, _order.Length));
        for (int i = 0; i < _order.Length && top.Count < count; i++)
            if (seen is null || !seen.Contains(_order[i])) top.Add(_order[i]);
        return top;
    }
}
