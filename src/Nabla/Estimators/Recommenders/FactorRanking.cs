using System.Buffers;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Estimators;

/// <summary>
/// Ranking with latent factors, shared by the recommenders: a known user's score of item i is
/// offset + b_u + b_i + x_u·y_i (the biases where the model has them), an unknown user gets one
/// fallback ranking of the items (the cold-start scores), and items are alike by the cosine of their factors.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Recommend"/> scores a block of users against every item with one GEMM (X_block · Yᵀ,
/// Yᵀ packed once per call), masks the items each user has seen with −∞, and keeps each user's best
/// <c>count</c> with a bounded heap (<see cref="TopItems"/>): one comparison per item, never a sort of
/// all of them. Blocks run in parallel on fixed pieces, each with a buffer of at most
/// <see cref="MaxBlockScores"/> scores, so memory grows with the block, not with users × items.
/// </para>
/// <para>
/// Every user's scores come from the same GEMM path whatever the block (a block of one is scored as
/// two), so a user's list is the same asked alone or in a batch, and at any thread count.
/// </para>
/// </remarks>
internal sealed class FactorRanking
{
    /// <summary>The most users in one block.</summary>
    internal const int MaxBlockUsers = 256;

    /// <summary>The most scores (users × items) one block holds: 8 MiB, which also sets fewer users per block when there are over 4,096 items.</summary>
    internal const int MaxBlockScores = 1 << 20;

    private readonly string _model;
    private readonly int _factors;
    private readonly Dictionary<int, int> _userIndex, _itemIndex;
    private readonly int[] _itemIds;
    private readonly double[] _userFactors, _itemFactors, _coldScores;
    private readonly double[]? _userBias, _itemBias;
    private readonly double _offset;
    private readonly SeenItems _seen;

    /// <summary>Ranks with a model's fitted arrays (shared, never written).</summary>
    /// <param name="model">The model's class name, for messages.</param>
    /// <param name="factors">k.</param>
    /// <param name="userIndex">User id → row.</param>
    /// <param name="itemIndex">Item id → row.</param>
    /// <param name="itemIds">Item row → id.</param>
    /// <param name="userFactors">Users × k, row-major.</param>
    /// <param name="itemFactors">Items × k, row-major.</param>
    /// <param name="seen">Each user's items, left out when asked.</param>
    /// <param name="coldScores">The score of each item row for an unknown user.</param>
    /// <param name="offset">Added to every known user's scores (μ).</param>
    /// <param name="userBias">Each user row's bias, or null.</param>
    /// <param name="itemBias">Each item row's bias, or null.</param>
    public FactorRanking(string model, int factors, Dictionary<int, int> userIndex, Dictionary<int, int> itemIndex, int[] itemIds,
        double[] userFactors, double[] itemFactors, SeenItems seen, double[] coldScores, double offset = 0, double[]? userBias = null, double[]? itemBias = null)
    {
        (_model, _factors, _userIndex, _itemIndex, _itemIds) = (model, factors, userIndex, itemIndex, itemIds);
        (_userFactors, _itemFactors, _seen, _coldScores) = (userFactors, itemFactors, seen, coldScores);
        (_offset, _userBias, _itemBias) = (offset, userBias, itemBias);
    }

    /// <summary>Whether the ranking was made from these fitted arrays: a model keeps its ranking until a fit replaces them.</summary>
    public bool Uses(Dictionary<int, int> userIndex) => ReferenceEquals(userIndex, _userIndex);

    /// <summary>Each user's best <paramref name="count"/> items, in the order of <paramref name="users"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public Recommendations[] Recommend(IReadOnlyList<int> users, int count, bool excludeSeen)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, $"{_model}.Recommend: count must be at least 0, got {count}.");
        int keep = Math.Min(count, _itemIds.Length);
        var lists = new Recommendations[users.Count];
        var rows = new int[users.Count];
        var known = new List<int>(users.Count);
        Recommendation[]? cold = null;
        for (int p = 0; p < users.Count; p++)
        {
            if (_userIndex.TryGetValue(users[p], out rows[p])) known.Add(p);
            else lists[p] = new Recommendations(users[p], coldStart: true, cold ??= Best(_coldScores, keep));
        }
        if (keep == 0)
        {
            foreach (int p in known) lists[p] = new Recommendations(users[p], coldStart: false, []);
            return lists;
        }
        int items = _itemIds.Length, k = _factors;
        int perBlock = Math.Clamp(MaxBlockScores / items, 1, MaxBlockUsers);
        int blocks = (known.Count + perBlock - 1) / perBlock;
        using var itemsPacked = Gemm.PackB(transB: true, k, items, _itemFactors, 0);
        Parallelism.For(blocks, (long)perBlock * items * k, block =>
        {
            int first = block * perBlock, m = Math.Min(perBlock, known.Count - first);
            // One row of C would be a dot product per item, summed in another order than the blocked
            // kernels sum: a lone user gets a row of zeros beside it, so its scores are a batch's.
            int height = Math.Max(m, 2);
            double[] a = ArrayPool<double>.Shared.Rent(height * k), c = ArrayPool<double>.Shared.Rent(height * items);
            try
            {
                a.AsSpan(0, height * k).Clear();
                for (int r = 0; r < m; r++) _userFactors.AsSpan(rows[known[first + r]] * k, k).CopyTo(a.AsSpan(r * k, k));
                Gemm.Multiply(transA: false, height, a, 0, itemsPacked, c, 0, accumulate: false);
                var top = new TopItems(keep);
                for (int r = 0; r < m; r++)
                {
                    int p = known[first + r], row = rows[p];
                    var scores = c.AsSpan(r * items, items);
                    if (_itemBias is not null) TensorPrimitives.Add(scores, _itemBias, scores);
                    if (excludeSeen)
                        foreach (int item in _seen.Of(row)) scores[item] = double.NegativeInfinity;
                    top.AddAll(scores);
                    lists[p] = new Recommendations(users[p], coldStart: false, top.Drain(_itemIds, _offset + (_userBias?[row] ?? 0)));
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(a);
                ArrayPool<double>.Shared.Return(c);
            }
        });
        return lists;
    }

    /// <summary>The <paramref name="count"/> items of highest cosine similarity to <paramref name="item"/>'s factors, itself left out.</summary>
    /// <exception cref="KeyNotFoundException">The item was not in the training data.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public Recommendation[] SimilarItems(int item, int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, $"{_model}.SimilarItems: count must be at least 0, got {count}.");
        if (!_itemIndex.TryGetValue(item, out int row))
            throw new KeyNotFoundException($"{_model}.SimilarItems: item {item} was not in the training data.");
        int k = _factors;
        var target = _itemFactors.AsSpan(row * k, k);
        double targetNorm = TensorPrimitives.Norm(target);
        var similarity = new double[_itemIds.Length];
        for (int i = 0; i < similarity.Length; i++)
        {
            var other = _itemFactors.AsSpan(i * k, k);
            double norm = targetNorm * TensorPrimitives.Norm(other);
            similarity[i] = norm == 0 ? 0 : TensorPrimitives.Dot(target, other) / norm;
        }
        similarity[row] = double.NegativeInfinity;
        return Best(similarity, Math.Min(count, similarity.Length - 1));
    }

    private Recommendation[] Best(double[] scores, int count)
    {
        var top = new TopItems(count);
        top.AddAll(scores);
        return top.Drain(_itemIds, 0);
    }
}
