namespace Nabla.Data;

/// <summary>
/// Splits of a recommender's interactions (rows of user, item and maybe a time) into training and
/// test rows, besides the random split of <see cref="TrainTestSplit.Create"/>: some of each user's
/// interactions held out, so every tested user was seen in training; or the latest interactions held
/// out, so the model is tested on the future of what it learnt from.
/// </summary>
/// <example>
/// <code>
/// var split = InteractionSplits.LeaveKOutPerUser(userIds, k: 2, randomState: 1);
/// var (trainRows, testRows) = split.Apply(ratings);
/// var byTime = InteractionSplits.ByTime(timestamps, testSize: 0.2);
/// </code>
/// </example>
public static class InteractionSplits
{
    /// <summary>
    /// For each user with more than <paramref name="k"/> interactions, k of them chosen at random go to the test
    /// part; a user with k or fewer keeps them all in training (a user cannot be tested on what the model never saw
    /// of them). Both parts list their rows in increasing order.
    /// </summary>
    /// <param name="users">Each row's user.</param>
    /// <param name="k">How many interactions of each user to hold out, at least 1.</param>
    /// <param name="randomState">The seed of the choice.</param>
    /// <exception cref="ArgumentException">There are no rows, a user is null, k is below 1, or no user has more than k interactions (nothing to test).</exception>
    public static TrainTestSplit LeaveKOutPerUser<TUser>(IReadOnlyList<TUser> users, int k = 1, ulong randomState = 0) where TUser : notnull
    {
        ArgumentNullException.ThrowIfNull(users);
        if (users.Count == 0) throw new ArgumentException("InteractionSplits.LeaveKOutPerUser: there are no rows.", nameof(users));
        if (k < 1) throw new ArgumentException($"InteractionSplits.LeaveKOutPerUser: k must be at least 1, got {k}.", nameof(k));
        var rowsOfUser = new Dictionary<TUser, List<int>>();
        for (int row = 0; row < users.Count; row++)
        {
            var user = users[row] ?? throw new ArgumentException($"InteractionSplits.LeaveKOutPerUser: row {row} has no user.", nameof(users));
            if (!rowsOfUser.TryGetValue(user, out var rows)) rowsOfUser[user] = rows = [];
            rows.Add(row);
        }
        var generator = new Generator(randomState);
        var test = new List<int>();
        // Users in the order they first appear, so the draws do not depend on the dictionary's order.
        foreach (var rows in rowsOfUser.Values.OrderBy(rows => rows[0]))
        {
            if (rows.Count <= k) continue;
            var chosen = TrainTestSplit.Permutation(generator, rows.Count);
            for (int i = 0; i < k; i++) test.Add(rows[chosen[i]]);
        }
        if (test.Count == 0)
            throw new ArgumentException($"InteractionSplits.LeaveKOutPerUser: no user has more than {k} interaction{(k == 1 ? "" : "s")}, so nothing can be held out; lower k.", nameof(k));
        return Split(users.Count, test);
    }

    /// <summary>
    /// The latest interactions go to the test part: the rows sorted by time, the last <paramref name="testSize"/> of them;
    /// rows at the same time as the first test row join it, so that every training row comes strictly before every
    /// test row (the test part may be a little larger than asked). Both parts list their rows in increasing order.
    /// </summary>
    /// <param name="timestamps">Each row's time, as any increasing number (seconds since an epoch, a day count, …).</param>
    /// <param name="testSize">The test part: a fraction in (0, 1) (rounded up) or a count; 0.25 by default.</param>
    /// <exception cref="ArgumentException">There are no rows, a time is not finite, the size is out of range, or every row shares the boundary time (no training row is left).</exception>
    public static TrainTestSplit ByTime(IReadOnlyList<double> timestamps, SplitSize? testSize = null)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        if (timestamps.Count == 0) throw new ArgumentException("InteractionSplits.ByTime: there are no rows.", nameof(timestamps));
        for (int row = 0; row < timestamps.Count; row++)
            if (!double.IsFinite(timestamps[row]))
                throw new ArgumentException($"InteractionSplits.ByTime: row {row} has time {timestamps[row]}; every time must be a finite number.", nameof(timestamps));
        var (_, nTest) = TrainTestSplit.Sizes(timestamps.Count, testSize, null);
        int[] order = [.. Enumerable.Range(0, timestamps.Count).OrderBy(row => timestamps[row])];
        int first = order.Length - nTest;
        double boundary = timestamps[order[first]];
        while (first > 0 && timestamps[order[first - 1]] == boundary) first--;
        if (first == 0)
            throw new ArgumentException($"InteractionSplits.ByTime: the rows from time {boundary} on are all of them, so no row is left to train on; give a smaller test size.", nameof(testSize));
        return Split(timestamps.Count, order[first..]);
    }

    private static TrainTestSplit Split(int rows, IEnumerable<int> testRows)
    {
        var isTest = new bool[rows];
        foreach (int row in testRows) isTest[row] = true;
        return TrainTestSplit.Of(rows, [.. Enumerable.Range(0, rows).Where(row => !isTest[row])], [.. Enumerable.Range(0, rows).Where(row => isTest[row])]);
    }
}
