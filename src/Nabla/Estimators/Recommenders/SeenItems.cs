namespace Nabla.Estimators;

/// <summary>
/// Which items each user interacted with in training, as compressed sparse rows: user row u's item
/// rows are <see cref="Items"/>[<see cref="Offsets"/>[u] … <see cref="Offsets"/>[u + 1]), increasing and
/// distinct, so a look-up is a binary search. Four bytes a pair and four a user, where a hash set per
/// user costs 16 to 32 bytes a pair and about a hundred a user (hundreds of megabytes at ten million ratings).
/// </summary>
/// <remarks>
/// The same layout holds the other way round, each item's users (<see cref="Transpose"/>), for the
/// item half-step of alternating least squares. Never written after it is built, so models and saved
/// states may share one.
/// </remarks>
internal sealed class SeenItems
{
    private SeenItems(int[] offsets, int[] items)
    {
        Offsets = offsets;
        Items = items;
    }

    /// <summary>No users and no pairs: the state of a model not fitted yet.</summary>
    public static SeenItems None { get; } = new([0], []);

    /// <summary>Where each row's items start in <see cref="Items"/>, rows + 1 values from 0 to <see cref="Pairs"/>.</summary>
    public int[] Offsets { get; }

    /// <summary>Every row's item rows, row after row, each row's increasing.</summary>
    public int[] Items { get; }

    /// <summary>The number of rows (users).</summary>
    public int Rows => Offsets.Length - 1;

    /// <summary>The number of distinct (row, item) pairs.</summary>
    public int Pairs => Items.Length;

    /// <summary>The item rows of <paramref name="row"/>, increasing.</summary>
    public ReadOnlySpan<int> Of(int row) => Items.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>Whether <paramref name="row"/> interacted with <paramref name="item"/>.</summary>
    public bool Contains(int row, int item) => Of(row).BinarySearch(item) >= 0;

    /// <summary>The distinct pairs of (<paramref name="rows"/>[n], <paramref name="items"/>[n]); a pair given twice is kept once.</summary>
    public static SeenItems FromPairs(int[] rows, int[] items, int rowCount) => Group(rows, items, null, rowCount).Seen;

    /// <summary>
    /// The distinct pairs with the sum of their <paramref name="values"/> (a pair given twice adds its
    /// values), in the order of <see cref="Items"/>; pairs whose values add up to 0 are left out.
    /// </summary>
    public static (SeenItems Seen, double[] Sums) FromPairs(int[] rows, int[] items, double[] values, int rowCount)
    {
        var (seen, sums) = Group(rows, items, values, rowCount);
        return (seen, sums!);
    }

    /// <summary>Each item's rows (users), increasing, with the values of the pairs in the new order.</summary>
    public (SeenItems ByItem, double[] Values) Transpose(int itemCount, double[] values)
    {
        var offsets = new int[itemCount + 1];
        foreach (int item in Items) offsets[item + 1]++;
        for (int i = 0; i < itemCount; i++) offsets[i + 1] += offsets[i];
        var next = offsets[..^1];
        var rows = new int[Pairs];
        var moved = new double[Pairs];
        // Rows are visited in increasing order, so each item's rows come out increasing.
        for (int row = 0; row < Rows; row++)
        {
            for (int n = Offsets[row]; n < Offsets[row + 1]; n++)
            {
                int at = next[Items[n]]++;
                rows[at] = row;
                moved[at] = values[n];
            }
        }
        return (new SeenItems(offsets, rows), moved);
    }

    /// <summary>How many rows (users) interacted with each of <paramref name="itemCount"/> items.</summary>
    public int[] CountsPerItem(int itemCount)
    {
        var counts = new int[itemCount];
        foreach (int item in Items) counts[item]++;
        return counts;
    }

    /// <summary>
    /// The pairs a saved state lists as "<paramref name="name"/>_offsets" and "<paramref name="name"/>_items",
    /// checked: offsets from 0 to the pairs, never decreasing; item rows in range, increasing within a row.
    /// </summary>
    /// <exception cref="InvalidDataException">A check fails; the message names the tensor, the row and the value.</exception>
    public static SeenItems Read(int[] offsets, int[] items, int itemCount, string name)
    {
        if (offsets[0] != 0 || offsets[^1] != items.Length)
            throw new InvalidDataException($"its \"{name}_offsets\" must run from 0 to {items.Length}, the {name} pairs, but run from {offsets[0]} to {offsets[^1]}");
        // All the offsets first: a row is read only once every offset is known to lie within the items.
        for (int row = 0; row + 1 < offsets.Length; row++)
            if (offsets[row + 1] < offsets[row])
                throw new InvalidDataException($"its \"{name}_offsets\" decrease at user row {row}, from {offsets[row]} to {offsets[row + 1]}");
        for (int row = 0; row + 1 < offsets.Length; row++)
        {
            for (int n = offsets[row]; n < offsets[row + 1]; n++)
            {
                if ((uint)items[n] >= (uint)itemCount)
                    throw new InvalidDataException($"its \"{name}_items\" holds item row {items[n]} at {n}; there are {itemCount} items");
                if (n == offsets[row] || items[n] > items[n - 1]) continue;
                throw new InvalidDataException(items[n] == items[n - 1]
                    ? $"its \"{name}_items\" lists item row {items[n]} twice for user row {row}"
                    : $"its \"{name}_items\" are not in increasing order for user row {row} (item row {items[n - 1]} before {items[n]})");
            }
        }
        return new SeenItems(offsets, items);
    }

    /// <summary>
    /// Sorts the pairs by row (a counting sort), then each row's items (with their values), then merges
    /// equal pairs, adding their values, and drops pairs whose values add up to 0.
    /// </summary>
    private static (SeenItems Seen, double[]? Sums) Group(int[] rows, int[] items, double[]? values, int rowCount)
    {
        var offsets = new int[rowCount + 1];
        foreach (int row in rows) offsets[row + 1]++;
        for (int r = 0; r < rowCount; r++) offsets[r + 1] += offsets[r];
        var next = offsets[..^1];
        var sorted = new int[rows.Length];
        var sums = values is null ? null : new double[rows.Length];
        for (int n = 0; n < rows.Length; n++)
        {
            int at = next[rows[n]]++;
            sorted[at] = items[n];
            if (sums is not null) sums[at] = values![n];
        }
        int kept = 0, start = 0;
        for (int r = 0; r < rowCount; r++)
        {
            int end = offsets[r + 1];
            if (sums is null) Array.Sort(sorted, start, end - start);
            else Array.Sort(sorted, sums, start, end - start);
            offsets[r] = kept;
            for (int n = start; n < end;)
            {
                int item = sorted[n];
                double sum = 0;
                for (; n < end && sorted[n] == item; n++) sum += sums?[n] ?? 0;
                if (sums is not null && sum == 0) continue;
                sorted[kept] = item;
                if (sums is not null) sums[kept] = sum;
                kept++;
            }
            start = end;
        }
        offsets[rowCount] = kept;
        Array.Resize(ref sorted, kept);
        if (sums is not null) Array.Resize(ref sums, kept);
        return (new SeenItems(offsets, sorted), sums);
    }
}
