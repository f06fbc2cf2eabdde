namespace Nabla.Distributed;

/// <summary>
/// Splits a data set's samples among federated clients: disjoint shards that together cover every
/// sample, drawn from a seed. <see cref="Iid"/> gives each client a random share of equal size;
/// <see cref="DirichletLabelSkew"/> gives each client its own mix of classes, as real devices have.
/// </summary>
/// <remarks>Each shard lists sample indices in ascending order.</remarks>
public static class ClientPartition
{
    /// <summary>Random shards of equal size (sizes differ by at most one), as McMahan et al.'s IID setting.</summary>
    /// <param name="sampleCount">The number of samples.</param>
    /// <param name="clients">The number of clients, from 1 to <paramref name="sampleCount"/>.</param>
    /// <param name="seed">Seeds the shuffle that deals the samples out.</param>
    /// <returns>One array of sample indices per client.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clients"/> is below 1 or above <paramref name="sampleCount"/>.</exception>
    public static int[][] Iid(int sampleCount, int clients, ulong seed)
    {
        CheckClients(sampleCount, clients, nameof(Iid));
        var order = new int[sampleCount];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new Generator(seed).Shuffle<int>(order);
        var shards = new int[clients][];
        for (int k = 0; k < clients; k++)
        {
            int start = (int)((long)sampleCount * k / clients), end = (int)((long)sampleCount * (k + 1) / clients);
            shards[k] = order[start..end];
            Array.Sort(shards[k]);
        }
        return shards;
    }

    /// <summary>
    /// Non-IID shards by label skew (Hsu et al. 2019): for each class, proportions over the clients
    /// are drawn from a symmetric Dirichlet(<paramref name="alpha"/>) and the class's samples, in a
    /// shuffled order, are cut at those proportions. A small alpha (0.1) leaves most clients with one
    /// or two classes; a large one (100) comes close to <see cref="Iid"/>.
    /// </summary>
    /// <param name="labels">The class of each sample (any non-negative integers).</param>
    /// <param name="clients">The number of clients, from 1 to the number of samples.</param>
    /// <param name="alpha">The Dirichlet concentration, positive and finite.</param>
    /// <param name="seed">Seeds the shuffles and the proportions.</param>
    /// <returns>One array of sample indices per client, none empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clients"/> or <paramref name="alpha"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A label is negative.</exception>
    /// <remarks>
    /// Every client gets at least one sample. A draw that leaves clients empty is repaired, not
    /// redrawn (a redraw could loop for long at small alpha and many clients): each empty client, in
    /// order, takes one sample from the client that holds the most, the last sample of that client's
    /// largest class. That moves as few samples as possible (one per empty client) and keeps the
    /// donor's class mix almost unchanged, so the skew the seed drew is kept.
    /// </remarks>
    public static int[][] DirichletLabelSkew(ReadOnlySpan<int> labels, int clients, double alpha, ulong seed)
    {
        CheckClients(labels.Length, clients, nameof(DirichletLabelSkew));
        if (!(alpha > 0) || !double.IsFinite(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"ClientPartition.DirichletLabelSkew: alpha must be positive and finite, got {alpha}.");
        var byClass = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
                throw new ArgumentException($"ClientPartition.DirichletLabelSkew: label {labels[i]} of sample {i} is negative; labels are class numbers from 0.", nameof(labels));
            if (!byClass.TryGetValue(labels[i], out var members)) byClass[labels[i]] = members = [];
            members.Add(i);
        }
        var generator = new Generator(seed);
        // shards[k][c]: the samples of class c that client k holds, kept apart for the repair step.
        var shards = new List<List<int>>[clients];
        for (int k = 0; k < clients; k++) shards[k] = [];
        var proportions = new double[clients];
        foreach (var members in byClass.Values)
        {
            var order = members.ToArray();
            generator.Shuffle<int>(order);
            generator.NextDirichlet(alpha, proportions);
            double cumulative = 0;
            int start = 0;
            // Rounding the running total (not each share) keeps the cuts in order and loses no sample.
            for (int k = 0; k < clients; k++)
            {
                cumulative += proportions[k];
                int end = k == clients - 1 ? order.Length : Math.Min(order.Length, (int)Math.Round(cumulative * order.Length));
                shards[k].Add([.. order[start..end]]);
                start = end;
            }
        }
        FillEmptyClients(shards);
        return [.. shards.Select(classes => { var shard = classes.SelectMany(c => c).ToArray(); Array.Sort(shard); return shard; })];
    }

    /// <summary>Gives each empty client one sample from the largest client's largest class (see <see cref="DirichletLabelSkew"/>).</summary>
    private static void FillEmptyClients(List<List<int>>[] shards)
    {
        for (int k = 0; k < shards.Length; k++)
        {
            if (shards[k].Any(c => c.Count > 0)) continue;
            var donor = shards.MaxBy(classes => classes.Sum(c => c.Count))!;
            var largestClass = donor.MaxBy(c => c.Count)!;
            shards[k].Add([largestClass[^1]]);
            largestClass.RemoveAt(largestClass.Count - 1);
        }
    }

    private static void CheckClients(int sampleCount, int clients, string method)
    {
        if (clients < 1 || clients > sampleCount)
            throw new ArgumentOutOfRangeException(nameof(clients), clients, $"ClientPartition.{method}: the number of clients must be from 1 to the number of samples ({sampleCount}), got {clients}.");
    }
}
