namespace Nabla.Estimators;

/// <summary>The ids of a recommender's users or items and their rows: made while fitting, or read back from a saved state.</summary>
internal static class RecommenderIds
{
    /// <summary>The row of <paramref name="id"/>, given the next one when it is new.</summary>
    public static int RowOf(Dictionary<int, int> index, int id)
    {
        if (!index.TryGetValue(id, out int row)) index[id] = row = index.Count;
        return row;
    }

    /// <summary>Id → row for the ids of a saved state, row i being <paramref name="ids"/>[i].</summary>
    /// <exception cref="InvalidDataException">An id appears twice; <paramref name="what"/> ("user", "item") names its kind.</exception>
    public static Dictionary<int, int> Read(int[] ids, string what)
    {
        var index = new Dictionary<int, int>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
            if (!index.TryAdd(ids[i], i)) throw new InvalidDataException($"its {what} id {ids[i]} appears twice (rows {index[ids[i]]} and {i})");
        return index;
    }

    /// <summary>The ids in row order: the inverse of <paramref name="index"/>.</summary>
    public static int[] InRowOrder(Dictionary<int, int> index)
    {
        var ids = new int[index.Count];
        foreach (var (id, row) in index) ids[row] = id;
        return ids;
    }
}
