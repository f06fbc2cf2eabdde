namespace Nabla.Estimators;

/// <summary>
/// The best <c>capacity</c> of a stream of scored item rows, kept in a bounded heap whose root is the
/// worst kept: O(items) comparisons against the threshold and O(log capacity) work per item
/// that gets in, instead of sorting all the items.
/// </summary>
/// <remarks>
/// Better means a higher score, or an equal score and a lower row. The rows are offered in increasing
/// order and must beat the threshold: an item that only ties the worst kept then never gets
/// in, which is what the row order asks, and a score of −∞ (a masked item) or NaN never does.
/// </remarks>
internal sealed class TopItems
{
    private readonly double[] _scores;
    private readonly int[] _rows;
    private int _count;

    // What a score must beat to get in: −∞ until the heap is full, then the worst kept score (+∞ when nothing is kept at all).
    private double _threshold;

    /// <summary>Keeps at most <paramref name="capacity"/> items.</summary>
    public TopItems(int capacity)
    {
        _scores = new double[capacity];
        _rows = new int[capacity];
        Clear();
    }

    /// <summary>Empties the heap for the next user.</summary>
    public void Clear()
    {
        _count = 0;
        _threshold = _scores.Length == 0 ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>Offers every item, row i scored <paramref name="scores"/>[i], in row order; −∞ never gets in.</summary>
    public void AddAll(ReadOnlySpan<double> scores)
    {
        double threshold = _threshold;
        for (int row = 0; row < scores.Length; row++)
        {
            if (!(scores[row] > threshold)) continue;
            Add(scores[row], row);
            threshold = _threshold;
        }
    }

    /// <summary>Keeps (<paramref name="score"/>, <paramref name="row"/>), which the caller found above the threshold, dropping the worst kept when full.</summary>
    private void Add(double score, int row)
    {
        if (_count < _scores.Length)
        {
            int child = _count++;
            while (child > 0)
            {
                int parent = (child - 1) / 2;
                if (!Worse(score, row, _scores[parent], _rows[parent])) break;
                (_scores[child], _rows[child]) = (_scores[parent], _rows[parent]);
                child = parent;
            }
            (_scores[child], _rows[child]) = (score, row);
        }
        else
        {
            SiftDown(score, row, _count);
        }
        if (_count == _scores.Length) _threshold = _scores[0];
    }

    /// <summary>The kept items, best first, as recommendations of <paramref name="itemIds"/>[row] scored <paramref name="offset"/> + score; empties the heap.</summary>
    public Recommendation[] Drain(int[] itemIds, double offset)
    {
        var best = new Recommendation[_count];
        // Taking the root (the worst) off repeatedly fills the list from its end.
        for (int n = _count; n > 0; n--)
        {
            best[n - 1] = new Recommendation(itemIds[_rows[0]], offset + _scores[0]);
            SiftDown(_scores[n - 1], _rows[n - 1], n - 1);
        }
        Clear();
        return best;
    }

    /// <summary>Puts (score, row) at the root of the first <paramref name="size"/> entries and moves it down to its place.</summary>
    private void SiftDown(double score, int row, int size)
    {
        int at = 0;
        while (true)
        {
            int child = 2 * at + 1;
            if (child >= size) break;
            if (child + 1 < size && Worse(_scores[child + 1], _rows[child + 1], _scores[child], _rows[child])) child++;
            if (!Worse(_scores[child], _rows[child], score, row)) break;
            (_scores[at], _rows[at]) = (_scores[child], _rows[child]);
            at = child;
        }
        if (size > 0) (_scores[at], _rows[at]) = (score, row);
    }

    private static bool Worse(double score, int row, double otherScore, int otherRow) =>
        score < otherScore || (score == otherScore && row > otherRow);
}
