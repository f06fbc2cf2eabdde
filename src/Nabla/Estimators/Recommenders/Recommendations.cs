using System.Collections;

namespace Nabla.Estimators;

/// <summary>
/// One user's recommendations, best first: the items and their scores, with the user they are for
/// and whether the user was unknown to the model, so that the list is the cold-start ranking rather
/// than a personal one.
/// </summary>
public sealed class Recommendations : IReadOnlyList<Recommendation>
{
    private readonly Recommendation[] _items;

    // The array is never written after construction; several unknown users' lists may share one.
    internal Recommendations(int user, bool coldStart, Recommendation[] items)
    {
        User = user;
        ColdStart = coldStart;
        _items = items;
    }

    /// <summary>The user's id, as asked for.</summary>
    public int User { get; }

    /// <summary>
    /// True when the user was not seen in training and the list is the cold-start ranking: the most
    /// popular items for implicit feedback, the highest μ + b_i for explicit ratings (nothing is left
    /// out, since the model knows nothing the user has seen).
    /// </summary>
    public bool ColdStart { get; }

    /// <summary>The number of items in the list.</summary>
    public int Count => _items.Length;

    /// <summary>The item at <paramref name="index"/>, 0 being the best.</summary>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is not in [0, <see cref="Count"/>).</exception>
    public Recommendation this[int index] => _items[index];

    /// <summary>The items, best first.</summary>
    public IEnumerator<Recommendation> GetEnumerator() => ((IEnumerable<Recommendation>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
