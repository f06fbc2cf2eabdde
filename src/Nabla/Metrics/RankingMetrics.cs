namespace Nabla.Metrics;

/// <summary>
/// Scores of ranked recommendations against what each user really chose (held-out interactions):
/// precision, recall, average precision, NDCG and hit rate at a cut-off k, averaged over the users,
/// and the catalogue coverage; and scikit-learn's <c>ndcg_score</c> for graded relevance.
/// </summary>
/// <remarks>
/// Relevance is binary for the @k metrics: an item is relevant when it is in the user's set. Users
/// with no relevant item cannot be scored and are left out of the means (as in most recommender
/// libraries); a list may hold fewer than k items, but not one item twice, which would count its hit
/// twice. Definitions, for a user's top-k list and relevant set R:
/// precision@k = hits / k; recall@k = hits / |R|; AP@k = Σ over hit ranks i of precision@i, divided
/// by min(|R|, k); NDCG@k = Σ over hit ranks i of 1/log₂(i + 1), divided by the same sum over ranks
/// 1 … min(|R|, k); hit rate@k = 1 when there is a hit.
/// </remarks>
/// <example>
/// <code>
/// string[][] top = [["a", "b", "c"], ["d", "e", "f"]];
/// string[][] truth = [["b"], ["x", "f"]];
/// double p = RankingMetrics.PrecisionAtK(top, truth, k: 3);   // (1/3 + 1/3) / 2
/// double n = RankingMetrics.NdcgAtK(top, truth, k: 3);        // (0.631 + 0.5/1.631) / 2
/// </code>
/// </example>
public static class RankingMetrics
{
    /// <summary>The mean over users of the share of the top k that is relevant.</summary>
    /// <exception cref="ArgumentException">The lists do not pair up, k is below 1, an item is null, a list repeats an item, or no user has a relevant item.</exception>
    public static double PrecisionAtK<TItem>(IReadOnlyList<IReadOnlyList<TItem>> recommended, IReadOnlyList<IReadOnlyCollection<TItem>> relevant, int k) where TItem : notnull =>
        Mean(nameof(PrecisionAtK), recommended, relevant, k, (hits, _) => hits.Count / (double)k);

    /// <summary>The mean over users of the share of their relevant items found in the top k.</summary>
    /// <exception cref="ArgumentException">As <see cref="PrecisionAtK{TItem}"/>.</exception>
    public static double RecallAtK<TItem>(IReadOnlyList<IReadOnlyList<TItem>> recommended, IReadOnlyList<IReadOnlyCollection<TItem>> relevant, int k) where TItem : notnull =>
        Mean(nameof(RecallAtK), recommended, relevant, k, (hits, relevantCount) => hits.Count / (double)relevantCount);

    /// <summary>The mean average precision at k (MAP@k): per user, the precision at each hit's rank, summed and divided by min(|R|, k).</summary>
    /// <exception cref="ArgumentException">As <see cref="PrecisionAtK{TItem}"/>.</exception>
    public static double MeanAveragePrecisionAtK<TItem>(IReadOnlyList<IReadOnlyList<TItem>> recommended, IReadOnlyList<IReadOnlyCollection<TItem>> relevant, int k) where TItem : notnull =>
        Mean(nameof(MeanAveragePrecisionAtK), recommended, relevant, k, (hits, relevantCount) =>
        {
            double sum = 0;
            for (int h = 0; h < hits.Count; h++) sum += (h + 1) / (double)(hits[h] + 1);
            return sum / Math.Min(relevantCount, k);
        });

    /// <summary>The mean normalised discounted cumulative gain at k with binary relevance: each hit at rank i gains 1/log₂(i + 1), over the best possible.</summary>
    /// <exception cref="ArgumentException">As <see cref="PrecisionAtK{TItem}"/>.</exception>
    public static double NdcgAtK<TItem>(IReadOnlyList<IReadOnlyList<TItem>> recommended, IReadOnlyList<IReadOnlyCollection<TItem>> relevant, int k) where TItem : notnull =>
        Mean(nameof(NdcgAtK), recommended, relevant, k, (hits, relevantCount) =>
        {
            double gain = 0, ideal = 0;
            foreach (int rank in hits) gain += Discount(rank);
            for (int rank = 0; rank < Math.Min(relevantCount, k); rank++) ideal += Discount(rank);
            return gain / ideal;
        });

    /// <summary>The share of users with at least one relevant item in their top k.</summary>
    /// <exception cref="ArgumentException">As <see cref="PrecisionAtK{TItem}"/>.</exception>
    public static double HitRateAtK<TItem>(IReadOnlyList<IReadOnlyList<TItem>> recommended, IReadOnlyList<IReadOnlyCollection<TItem>> relevant, int k) where TItem : notnull =>
        Mean(nameof(HitRateAtK), recommended, relevant, k, (hits, _) => hits.Count > 0 ? 1 : 0);

    /// <summary>The share of the catalogue's <paramref name="catalogSize"/> items that appear in some user's top k.</summary>
    /// <exception cref="ArgumentException">k or the catalogue size is below 1, an item is null, or more distinct items are recommended than the catalogue holds.</exception>
    public static double CoverageAtK<TItem>(IReadOnlyList<IReadOnlyList<TItem>> recommended, int k, int catalogSize) where TItem : notnull
    {
        ArgumentNullException.ThrowIfNull(recommended);
        if (k < 1) throw new ArgumentException($"RankingMetrics.CoverageAtK: k must be at least 1, got {k}.", nameof(k));
        if (catalogSize < 1) throw new ArgumentException($"RankingMetrics.CoverageAtK: the catalogue needs at least 1 item, got {catalogSize}.", nameof(catalogSize));
        var seen = new HashSet<TItem>();
        for (int user = 0; user < recommended.Count; user++)
        {
            var list = recommended[user] ?? throw new ArgumentException($"RankingMetrics.CoverageAtK: the list of user {user} is null.", nameof(recommended));
            for (int rank = 0; rank < Math.Min(k, list.Count); rank++)
                seen.Add(list[rank] ?? throw new ArgumentException($"RankingMetrics.CoverageAtK: item {rank} of user {user} is null.", nameof(recommended)));
        }
        if (seen.Count > catalogSize)
            throw new ArgumentException($"RankingMetrics.CoverageAtK: {seen.Count} distinct items are recommended, more than the catalogue's {catalogSize}.", nameof(catalogSize));
        return seen.Count / (double)catalogSize;
    }

    /// <summary>
    /// scikit-learn's <c>ndcg_score(y_true, y_score, k=k)</c>: per row (a user or query), the items ranked by
    /// <paramref name="yScore"/> gain their graded relevance <paramref name="yTrue"/> discounted by 1/log₂(rank + 1),
    /// tied scores sharing the mean gain of their group, over the gain of the ideal order; a row with no relevance
    /// scores 0; the mean of the rows.
    /// </summary>
    /// <param name="yTrue">Relevance, (rows, items), non-negative.</param>
    /// <param name="yScore">Scores, (rows, items): higher ranks first.</param>
    /// <param name="k">Only the top k ranks count; all of them when null.</param>
    /// <exception cref="ArgumentException">The shapes differ, there are no rows or fewer than 2 items, a value is not finite, a relevance is negative, or k is below 1.</exception>
    public static double Ndcg(double[,] yTrue, double[,] yScore, int? k = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yScore);
        int rows = yTrue.GetLength(0), items = yTrue.GetLength(1);
        if (yScore.GetLength(0) != rows || yScore.GetLength(1) != items)
            throw new ArgumentException($"RankingMetrics.Ndcg: yTrue is ({rows}, {items}) but yScore is ({yScore.GetLength(0)}, {yScore.GetLength(1)}).", nameof(yScore));
        if (rows == 0 || items < 2)
            throw new ArgumentException($"RankingMetrics.Ndcg: needs at least 1 row and 2 items a row, got ({rows}, {items}).", nameof(yTrue));
        if (k < 1) throw new ArgumentException($"RankingMetrics.Ndcg: k must be at least 1, got {k}.", nameof(k));
        int cut = Math.Min(k ?? items, items);
        double total = 0;
        var truth = new double[items];
        var scores = new double[items];
        for (int row = 0; row < rows; row++)
        {
            for (int item = 0; item < items; item++)
            {
                (truth[item], scores[item]) = (yTrue[row, item], yScore[row, item]);
                if (!double.IsFinite(truth[item]) || !double.IsFinite(scores[item]) || truth[item] < 0)
                    throw new ArgumentException($"RankingMetrics.Ndcg: row {row}, item {item} has relevance {truth[item]} and score {scores[item]}; relevance must be finite and at least 0, scores finite.");
            }
            double ideal = TieAveragedDcg(truth, truth, cut);
            total += ideal == 0 ? 0 : TieAveragedDcg(truth, scores, cut) / ideal;
        }
        return total / rows;
    }

    /// <summary>The DCG of <paramref name="gains"/> ranked by <paramref name="scores"/>, each group of tied scores gaining its mean over its ranks (the first <paramref name="cut"/> ranks count).</summary>
    private static double TieAveragedDcg(double[] gains, double[] scores, int cut)
    {
        int[] order = [.. Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i])];
        double dcg = 0;
        for (int start = 0; start < order.Length && start < cut;)
        {
            int end = start;
            double sum = 0;
            while (end < order.Length && scores[order[end]] == scores[order[start]]) sum += gains[order[end++]];
            double discounts = 0;
            for (int rank = start; rank < Math.Min(end, cut); rank++) discounts += Discount(rank);
            dcg += sum / (end - start) * discounts;
            start = end;
        }
        return dcg;
    }

    /// <summary>1/log₂(rank + 2) for a 0-based rank: rank 0 (the first) counts 1.</summary>
    private static double Discount(int rank) => 1 / Math.Log2(rank + 2);

    /// <summary>
    /// The mean over users with a relevant item of <paramref name="score"/>(hit ranks (0-based, increasing), |R|),
    /// after checking the inputs.
    /// </summary>
    private static double Mean<TItem>(string metric, IReadOnlyList<IReadOnlyList<TItem>> recommended, IReadOnlyList<IReadOnlyCollection<TItem>> relevant, int k,
        Func<List<int>, int, double> score) where TItem : notnull
    {
        ArgumentNullException.ThrowIfNull(recommended);
        ArgumentNullException.ThrowIfNull(relevant);
        string who = $"RankingMetrics.{metric}";
        if (recommended.Count != relevant.Count)
            throw new ArgumentException($"{who}: {recommended.Count} recommendation lists but {relevant.Count} relevant sets; give one of each per user.", nameof(relevant));
        if (k < 1) throw new ArgumentException($"{who}: k must be at least 1, got {k}.", nameof(k));
        double total = 0;
        int scored = 0;
        var hits = new List<int>();
        var listed = new HashSet<TItem>();
        for (int user = 0; user < recommended.Count; user++)
        {
            var list = recommended[user] ?? throw new ArgumentException($"{who}: the list of user {user} is null.", nameof(recommended));
            var truth = relevant[user] ?? throw new ArgumentException($"{who}: the relevant set of user {user} is null.", nameof(relevant));
            var wanted = truth as IReadOnlySet<TItem> ?? new HashSet<TItem>(truth);
            hits.Clear();
            listed.Clear();
            for (int rank = 0; rank < list.Count; rank++)
            {
                var item = list[rank] ?? throw new ArgumentException($"{who}: item {rank} of user {user} is null.", nameof(recommended));
                if (!listed.Add(item)) throw new ArgumentException($"{who}: user {user}'s list holds {item} twice (ranks {list.Take(rank).ToList().IndexOf(item)} and {rank}); a recommendation list names each item once.", nameof(recommended));
                if (rank < k && wanted.Contains(item)) hits.Add(rank);
            }
            if (wanted.Count == 0) continue;
            total += score(hits, wanted.Count);
            scored++;
        }
        if (scored == 0) throw new ArgumentException($"{who}: no user has a relevant item, so there is nothing to score.", nameof(relevant));
        return total / scored;
    }
}
