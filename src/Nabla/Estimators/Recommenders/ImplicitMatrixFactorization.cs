using System.Globalization;
using System.Numerics.Tensors;

namespace Nabla.Estimators;

/// <summary>
/// Matrix factorization for implicit feedback (plays, clicks, purchases: what users did, not what they
/// rated): each user u and item i get k latent factors x_u and y_i, and the preference score
/// x_u·y_i (plus an item bias b_i with <see cref="ImplicitSolver.Bpr"/>) ranks the items a user has
/// not interacted with yet.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ImplicitSolver.Als"/> (Hu, Koren and Volinsky, 2008) treats every (user, item) pair as an
/// observation of the preference p = 1 if the user's strength r for the item is positive, else 0,
/// trusted with confidence c = 1 + <see cref="Confidence"/>·r, and minimises
/// Σ over all pairs of c (p − x_u·y_i)² + α(‖X‖² + ‖Y‖²) by alternating exact solves, at a cost per
/// observed pair rather than per pair. <see cref="ImplicitSolver.Bpr"/> (Rendle et al., 2009) learns
/// to rank an interacted item above one not interacted with, by stochastic gradient ascent.
/// </para>
/// <para>
/// Users and items are identified by any integers. A pair given several times adds its strengths; a pair
/// whose strengths add up to 0 counts as not interacted with. Seeded by <c>randomState</c>: the same
/// data and seed give the same model, whatever the number of threads.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var model = new ImplicitMatrixFactorization(nFactors: 64, randomState: 0).Fit(users, items, plays);
/// Recommendations top = model.Recommend(user: 42, count: 10);      // not yet played, best first
/// var alike = model.SimilarItems(item: 7, count: 5);
/// </code>
/// </example>
public sealed partial class ImplicitMatrixFactorization : IRecommender
{
    private Dictionary<int, int>? _userIndex, _itemIndex;
    private int[] _userIds = [], _itemIds = [];
    private double[] _userFactors = [], _itemFactors = [];
    // b_i, learnt by BPR only; null with ALS.
    private double[]? _itemBias;
    private SeenItems _seen = SeenItems.None;
    private readonly List<double> _lossCurve = [];
    private FactorRanking? _ranking;

    /// <summary>Sets the model's hyperparameters; <see cref="Fit"/> learns from interactions.</summary>
    /// <param name="nFactors">k, the number of latent factors per user and item.</param>
    /// <param name="alpha">The L2 penalty on the factors (and BPR's item biases).</param>
    /// <param name="confidence">α of Hu, Koren and Volinsky: an observed pair of strength r has confidence 1 + confidence·r (ALS only).</param>
    /// <param name="maxIter">The number of alternations (ALS) or epochs (BPR).</param>
    /// <param name="solver">ALS or BPR.</param>
    /// <param name="learningRate">BPR's step size (unused by ALS).</param>
    /// <param name="initStd">The standard deviation of the initial factors, drawn from N(0, initStd²).</param>
    /// <param name="randomState">The seed for the initial factors and BPR's samples.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range; the message names it.</exception>
    public ImplicitMatrixFactorization(int nFactors = 32, double alpha = 0.01, double confidence = 40, int maxIter = 15,
        ImplicitSolver solver = ImplicitSolver.Als, double learningRate = 0.05, double initStd = 0.01, ulong randomState = 0)
    {
        if (nFactors < 1) throw new ArgumentOutOfRangeException(nameof(nFactors), nFactors, $"nFactors must be at least 1, got {nFactors}.");
        if (!(alpha >= 0) || !double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, Invariant($"alpha must be a finite number >= 0, got {alpha}."));
        if (!(confidence >= 0) || !double.IsFinite(confidence)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, Invariant($"confidence must be a finite number >= 0, got {confidence}."));
        if (maxIter < 1) throw new ArgumentOutOfRangeException(nameof(maxIter), maxIter, $"maxIter must be at least 1, got {maxIter}.");
        if (!Enum.IsDefined(solver)) throw new ArgumentOutOfRangeException(nameof(solver), solver, "solver must be Als or Bpr.");
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, Invariant($"learningRate must be positive, got {learningRate}."));
        if (!(initStd > 0) || !double.IsFinite(initStd))
            throw new ArgumentOutOfRangeException(nameof(initStd), initStd, Invariant($"initStd must be a positive finite number, got {initStd}: factors that start at zero stay at zero."));
        if (solver == ImplicitSolver.Als && alpha == 0)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be positive with the ALS solver: with fewer items (or users) than factors the unregularised least-squares problem is singular.");
        NFactors = nFactors;
        Alpha = alpha;
        Confidence = confidence;
        MaxIter = maxIter;
        Solver = solver;
        LearningRate = learningRate;
        InitStd = initStd;
        RandomState = randomState;
    }

    /// <summary>k, the number of latent factors.</summary>
    public int NFactors { get; }

    /// <summary>The L2 penalty.</summary>
    public double Alpha { get; }

    /// <summary>The confidence scale: an observed pair of strength r counts 1 + Confidence·r times as much as an unobserved one (ALS).</summary>
    public double Confidence { get; }

    /// <summary>The number of alternations or epochs.</summary>
    public int MaxIter { get; }

    /// <summary>ALS or BPR.</summary>
    public ImplicitSolver Solver { get; }

    /// <summary>BPR's step size.</summary>
    public double LearningRate { get; }

    /// <summary>The standard deviation of the initial factors.</summary>
    public double InitStd { get; }

    /// <summary>The seed.</summary>
    public ulong RandomState { get; }

    /// <summary>True: the model scores preferences learnt from implicit feedback.</summary>
    public bool IsImplicit => true;

    /// <summary>
    /// After each alternation (ALS) the weighted loss Σ c (p − x_u·y_i)² + α(‖X‖² + ‖Y‖²) over all pairs,
    /// which never rises; after each epoch (BPR) the mean of −ln σ(x̂_ui − x̂_uj) over the epoch's samples,
    /// each taken before its step.
    /// </summary>
    public IReadOnlyList<double> LossCurve => _lossCurve;

    /// <summary>
    /// Raised by <see cref="Fit"/> after each alternation (ALS) or epoch (BPR) with its number, from 1, and the loss
    /// <see cref="LossCurve"/> gains: for a progress display.
    /// </summary>
    public event Action<int, double>? EpochEnded;

    /// <summary>Records an epoch's loss and tells <see cref="EpochEnded"/>.</summary>
    private void EndEpoch(double loss)
    {
        _lossCurve.Add(loss);
        EpochEnded?.Invoke(_lossCurve.Count, loss);
    }

    /// <summary>The number of distinct users seen in <see cref="Fit"/>.</summary>
    public int NUsers => _userIds.Length;

    /// <summary>The number of distinct items seen in <see cref="Fit"/>.</summary>
    public int NItems => _itemIds.Length;

    /// <summary>The user ids seen in <see cref="Fit"/>, in the order of the model's user rows; empty before fitting.</summary>
    public IReadOnlyList<int> UserIds => Array.AsReadOnly(_userIds);

    /// <summary>The item ids seen in <see cref="Fit"/>, in the order of the model's item rows (the order ties are broken in); empty before fitting.</summary>
    public IReadOnlyList<int> ItemIds => Array.AsReadOnly(_itemIds);

    private bool IsFitted => _userIndex is not null;

    /// <summary>
    /// Learns the factors from interactions: <paramref name="users"/>[n] interacted with
    /// <paramref name="items"/>[n], <paramref name="strengths"/>[n] times (or as strongly: plays, seconds,
    /// purchases); null strengths count 1 each. A repeated pair adds its strengths.
    /// </summary>
    /// <returns>This model, fitted.</returns>
    /// <exception cref="ArgumentException">
    /// The lists differ in length or are empty, a strength is negative or not finite (the message names its
    /// position), no strength is positive, or (BPR) every user interacted with every item, leaving nothing to rank below.
    /// </exception>
    public ImplicitMatrixFactorization Fit(IReadOnlyList<int> users, IReadOnlyList<int> items, IReadOnlyList<double>? strengths = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (users.Count != items.Count || (strengths is not null && strengths.Count != users.Count))
            throw new ArgumentException($"ImplicitMatrixFactorization.Fit: users, items and strengths must have the same length, got {users.Count}, {items.Count} and {strengths?.Count}.");
        if (users.Count == 0) throw new ArgumentException("ImplicitMatrixFactorization.Fit: there are no interactions to learn from.");
        var userIndex = new Dictionary<int, int>();
        var itemIndex = new Dictionary<int, int>();
        var u = new int[users.Count];
        var i = new int[users.Count];
        var r = new double[users.Count];
        for (int n = 0; n < u.Length; n++)
        {
            r[n] = strengths?[n] ?? 1;
            if (!(r[n] >= 0) || !double.IsFinite(r[n]))
                throw new ArgumentException(Invariant($"ImplicitMatrixFactorization.Fit: strength {n} (user {users[n]}, item {items[n]}) is {r[n]}, not a finite number of at least 0."));
            u[n] = RecommenderIds.RowOf(userIndex, users[n]);
            i[n] = RecommenderIds.RowOf(itemIndex, items[n]);
        }
        var (seen, summed) = SeenItems.FromPairs(u, i, r, userIndex.Count);
        if (seen.Pairs == 0) throw new ArgumentException("ImplicitMatrixFactorization.Fit: every strength is 0, so there is no interaction to learn from.");
        if (Solver == ImplicitSolver.Bpr && seen.Pairs == (long)userIndex.Count * itemIndex.Count)
            throw new ArgumentException("ImplicitMatrixFactorization.Fit: every user interacted with every item, so BPR has no item to rank below another.");

        var generator = new Generator(RandomState);
        _userIndex = userIndex;
        _itemIndex = itemIndex;
        _userIds = RecommenderIds.InRowOrder(userIndex);
        _itemIds = RecommenderIds.InRowOrder(itemIndex);
        _userFactors = Normal(userIndex.Count * NFactors, generator);
        _itemFactors = Normal(itemIndex.Count * NFactors, generator);
        _itemBias = Solver == ImplicitSolver.Bpr ? new double[itemIndex.Count] : null;
        _seen = seen;
        _ranking = null;
        _lossCurve.Clear();

        if (Solver == ImplicitSolver.Als) FitAls(summed);
        else FitBpr(generator);
        return this;
    }

    private double[] Normal(int count, Generator generator)
    {
        var values = new double[count];
        generator.FillNormal(values);
        TensorPrimitives.Multiply(values, InitStd, values);
        return values;
    }

    /// <summary>
    /// The preference score x_u·y_i (+ b_i with BPR) of <paramref name="item"/> for <paramref name="user"/>;
    /// an unknown user or item has zero factors, so an unknown user scores an item its bias (0 with ALS).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double Predict(int user, int item)
    {
        RequireFitted(nameof(Predict));
        if (!_itemIndex!.TryGetValue(item, out int i)) return 0;
        double bias = _itemBias?[i] ?? 0;
        if (!_userIndex!.TryGetValue(user, out int u)) return bias;
        return bias + TensorPrimitives.Dot(_userFactors.AsSpan(u * NFactors, NFactors), _itemFactors.AsSpan(i * NFactors, NFactors));
    }

    /// <summary>The preference scores of many (user, item) pairs, as <see cref="Predict(int, int)"/>.</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double[] Predict(IReadOnlyList<int> users, IReadOnlyList<int> items)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (users.Count != items.Count)
            throw new ArgumentException($"ImplicitMatrixFactorization.Predict: users and items must have the same length, got {users.Count} and {items.Count}.");
        RequireFitted(nameof(Predict));
        var scores = new double[users.Count];
        for (int n = 0; n < scores.Length; n++) scores[n] = Predict(users[n], items[n]);
        return scores;
    }

    /// <summary>The latent factors x_u of a user seen in training.</summary>
    /// <exception cref="KeyNotFoundException">The user was not in the training data.</exception>
    public double[] UserFactors(int user) => _userFactors.AsSpan(Row(_userIndex, user, "user", nameof(UserFactors)) * NFactors, NFactors).ToArray();

    /// <summary>The latent factors y_i of an item seen in training.</summary>
    /// <exception cref="KeyNotFoundException">The item was not in the training data.</exception>
    public double[] ItemFactors(int item) => _itemFactors.AsSpan(Row(_itemIndex, item, "item", nameof(ItemFactors)) * NFactors, NFactors).ToArray();

    /// <summary>The bias b_i of an item seen in training: learnt by BPR, 0 with ALS.</summary>
    /// <exception cref="KeyNotFoundException">The item was not in the training data.</exception>
    public double ItemBias(int item)
    {
        int row = Row(_itemIndex, item, "item", nameof(ItemBias));
        return _itemBias?[row] ?? 0;
    }

    /// <summary>How many users interacted with each item in training (a positive strength), in the order of <see cref="ItemIds"/>: the cold-start ranking's scores.</summary>
    public IReadOnlyList<int> Popularity => Array.AsReadOnly(_seen.CountsPerItem(_itemIds.Length));

    /// <summary>Whether <paramref name="user"/> was seen in <see cref="Fit"/>.</summary>
    public bool IsKnownUser(int user) => _userIndex?.ContainsKey(user) ?? false;

    /// <summary>Whether <paramref name="item"/> was seen in <see cref="Fit"/>.</summary>
    public bool IsKnownItem(int item) => _itemIndex?.ContainsKey(item) ?? false;

    private int Row(Dictionary<int, int>? index, int id, string what, string method)
    {
        RequireFitted(method);
        return index!.TryGetValue(id, out int row) ? row
            : throw new KeyNotFoundException($"ImplicitMatrixFactorization.{method}: {what} {id} was not in the training data.");
    }

    private void RequireFitted(string method)
    {
        if (!IsFitted) throw new InvalidOperationException($"ImplicitMatrixFactorization.{method}: the model is not fitted yet; call Fit first.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
