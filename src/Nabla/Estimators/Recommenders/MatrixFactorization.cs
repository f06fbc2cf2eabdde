using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Nabla.Kernels;

namespace Nabla.Estimators;

/// <summary>
/// Matrix factorization for recommendations from explicit ratings: the rating of item i by user u is
/// modelled as r̂ = μ + b_u + b_i + p_u·q_i, a global mean, a user bias, an item bias and the dot
/// product of k latent factors, fitted to the known ratings by minimising the sum over them of
/// (r − r̂)² + α(b_u² + b_i² + ‖p_u‖² + ‖q_i‖²) (so a user's terms are penalised once per rating) by stochastic gradient descent, alternating least
/// squares or Adam over mini-batches (<see cref="MatrixFactorizationSolver"/>).
/// </summary>
/// <remarks>
/// Users and items are identified by any integers (they need not be 0…n−1). A user or item not seen
/// in <see cref="Fit"/> falls back to what is known: an unknown user gets μ + b_i, an unknown item
/// μ + b_u, both unknown μ. Every prediction is clipped to the range of the training ratings,
/// [<see cref="MinRating"/>, <see cref="MaxRating"/>]: the model is fitted without bounds, and for
/// a pair far from the data μ + b_u + b_i + p_u·q_i can leave the scale (5.4 on a 1–5 scale), which
/// no rating can be. Seeded by <c>randomState</c>: the same data and seed give the same model,
/// whatever the number of threads.
/// </remarks>
/// <example>
/// <code>
/// var mf = new MatrixFactorization(nFactors: 20, solver: MatrixFactorizationSolver.Als, randomState: 0)
///     .Fit(users, items, ratings);
/// double r = mf.Predict(user: 42, item: 7);
/// var top = mf.Recommend(user: 42, count: 10);          // the best unrated items
/// </code>
/// </example>
public sealed partial class MatrixFactorization : IRecommender
{
    private Dictionary<int, int>? _userIndex, _itemIndex;
    private int[] _itemIds = [];
    private double[] _userBias = [], _itemBias = [], _userFactors = [], _itemFactors = [];
    private SeenItems _seen = SeenItems.None;
    private readonly List<double> _lossCurve = [];

    /// <summary>Sets the model's hyperparameters; <see cref="Fit"/> learns from ratings.</summary>
    /// <param name="nFactors">k, the number of latent factors per user and item.</param>
    /// <param name="alpha">The L2 penalty on biases and factors.</param>
    /// <param name="learningRate">The SGD or Adam step size (unused by ALS).</param>
    /// <param name="maxIter">The number of epochs (SGD, Adam) or alternations (ALS).</param>
    /// <param name="solver">SGD, ALS or Adam.</param>
    /// <param name="useBiases">Whether to learn user and item biases; without them r̂ = μ + p_u·q_i.</param>
    /// <param name="initStd">The standard deviation of the initial factors, drawn from N(0, initStd²).</param>
    /// <param name="randomState">The seed for the initial factors and the SGD and Adam orders.</param>
    /// <param name="batchSize">The ratings per Adam step (unused by SGD and ALS).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range; the message names it.</exception>
    public MatrixFactorization(int nFactors = 10, double alpha = 0.02, double learningRate = 0.005, int maxIter = 20,
        MatrixFactorizationSolver solver = MatrixFactorizationSolver.Sgd, bool useBiases = true, double initStd = 0.1, ulong randomState = 0,
        int batchSize = 1024)
    {
        if (nFactors < 1) throw new ArgumentOutOfRangeException(nameof(nFactors), nFactors, $"nFactors must be at least 1, got {nFactors}.");
        if (!(alpha >= 0) || !double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, Invariant($"alpha must be a finite number >= 0, got {alpha}."));
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, Invariant($"learningRate must be positive, got {learningRate}."));
        if (maxIter < 1) throw new ArgumentOutOfRangeException(nameof(maxIter), maxIter, $"maxIter must be at least 1, got {maxIter}.");
        if (!Enum.IsDefined(solver)) throw new ArgumentOutOfRangeException(nameof(solver), solver, "solver must be Sgd, Als or Adam.");
        if (!(initStd >= 0) || !double.IsFinite(initStd)) throw new ArgumentOutOfRangeException(nameof(initStd), initStd, Invariant($"initStd must be a finite number >= 0, got {initStd}."));
        if (solver == MatrixFactorizationSolver.Als && alpha == 0)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be positive with the ALS solver: a user or item with fewer ratings than factors makes the unregularised least-squares problem singular.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be at least 1, got {batchSize}.");
        NFactors = nFactors;
        Alpha = alpha;
        LearningRate = learningRate;
        MaxIter = maxIter;
        Solver = solver;
        UseBiases = useBiases;
        InitStd = initStd;
        RandomState = randomState;
        BatchSize = batchSize;
    }

    /// <summary>k, the number of latent factors.</summary>
    public int NFactors { get; }

    /// <summary>The L2 penalty.</summary>
    public double Alpha { get; }

    /// <summary>The SGD or Adam step size.</summary>
    public double LearningRate { get; }

    /// <summary>The number of epochs or alternations.</summary>
    public int MaxIter { get; }

    /// <summary>SGD, ALS or Adam.</summary>
    public MatrixFactorizationSolver Solver { get; }

    /// <summary>Whether user and item biases are learned.</summary>
    public bool UseBiases { get; }

    /// <summary>The standard deviation of the initial factors.</summary>
    public double InitStd { get; }

    /// <summary>The seed.</summary>
    public ulong RandomState { get; }

    /// <summary>The ratings per Adam step.</summary>
    public int BatchSize { get; }

    /// <summary>μ, the mean of the training ratings.</summary>
    public double GlobalMean { get; private set; }

    /// <summary>The smallest training rating, the lowest prediction.</summary>
    public double MinRating { get; private set; }

    /// <summary>The largest training rating, the highest prediction.</summary>
    public double MaxRating { get; private set; }

    /// <summary>The training RMSE (of the unclipped estimates the solver fits) after each epoch (SGD, Adam) or alternation (ALS).</summary>
    public IReadOnlyList<double> LossCurve => _lossCurve;

    /// <summary>
    /// Raised by <see cref="Fit"/> after each epoch (SGD, Adam) or alternation (ALS) with its number, from 1, and the training RMSE
    /// <see cref="LossCurve"/> gains: for a progress display.
    /// </summary>
    public event Action<int, double>? EpochEnded;

    /// <summary>Records an epoch's training RMSE and tells <see cref="EpochEnded"/>.</summary>
    private void EndEpoch(double rmse)
    {
        _lossCurve.Add(rmse);
        EpochEnded?.Invoke(_lossCurve.Count, rmse);
    }

    /// <summary>The number of distinct users seen in <see cref="Fit"/>.</summary>
    public int NUsers => _userIndex?.Count ?? 0;

    /// <summary>The number of distinct items seen in <see cref="Fit"/>.</summary>
    public int NItems => _itemIds.Length;

    private bool IsFitted => _userIndex is not null;

    /// <summary>
    /// Learns biases and factors from ratings: <paramref name="users"/>[n] rated <paramref name="items"/>[n]
    /// as <paramref name="ratings"/>[n]. A repeated (user, item) pair counts as two observations.
    /// </summary>
    /// <returns>This model, fitted.</returns>
    /// <exception cref="ArgumentException">The arrays differ in length, are empty, or a rating is not finite (the message names its position).</exception>
    /// <exception cref="InvalidOperationException">SGD or Adam diverged (the training error became infinite or NaN); the message names the epoch.</exception>
    public MatrixFactorization Fit(IReadOnlyList<int> users, IReadOnlyList<int> items, IReadOnlyList<double> ratings) => FitFrom(users, items, ratings, null);

    /// <summary>
    /// <see cref="Fit"/>, with Adam from <paramref name="start"/>'s factors and rating orders instead of
    /// the seeded ones when given: the PyTorch reference test trains from the same point in the same order.
    /// </summary>
    internal MatrixFactorization FitFrom(IReadOnlyList<int> users, IReadOnlyList<int> items, IReadOnlyList<double> ratings, FixedStart? start)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(ratings);
        if (users.Count != items.Count || users.Count != ratings.Count)
            throw new ArgumentException($"MatrixFactorization.Fit: users, items and ratings must have the same length, got {users.Count}, {items.Count} and {ratings.Count}.");
        if (users.Count == 0) throw new ArgumentException("MatrixFactorization.Fit: there are no ratings to learn from.");
        for (int n = 0; n < ratings.Count; n++)
            if (!double.IsFinite(ratings[n]))
                throw new ArgumentException(Invariant($"MatrixFactorization.Fit: rating {n} (user {users[n]}, item {items[n]}) is {ratings[n]}, not a finite number."));

        var userIndex = new Dictionary<int, int>();
        var itemIndex = new Dictionary<int, int>();
        var u = Rows(users, userIndex);
        var i = Rows(items, itemIndex);
        var r = new double[users.Count];
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int n = 0; n < r.Length; n++)
        {
            r[n] = ratings[n];
            sum += r[n];
            min = Math.Min(min, r[n]);
            max = Math.Max(max, r[n]);
        }

        int k = NFactors;
        var generator = new Generator(RandomState);
        _userIndex = userIndex;
        _itemIndex = itemIndex;
        _itemIds = new int[itemIndex.Count];
        foreach (var (id, index) in itemIndex) _itemIds[index] = id;
        GlobalMean = sum / r.Length;
        (MinRating, MaxRating) = (min, max);
        _userBias = new double[userIndex.Count];
        _itemBias = new double[itemIndex.Count];
        _userFactors = Normal(userIndex.Count * k, generator);
        _itemFactors = Normal(itemIndex.Count * k, generator);
        _seen = SeenItems.FromPairs(u, i, userIndex.Count);
        _lossCurve.Clear();

        switch (Solver)
        {
            case MatrixFactorizationSolver.Sgd: FitSgd(u, i, r, generator); break;
            case MatrixFactorizationSolver.Als: FitAls(u, i, r); break;
            default: FitAdam(u, i, r, generator, start); break;
        }
        return this;
    }

    private double[] Normal(int count, Generator generator)
    {
        var values = new double[count];
        for (int n = 0; n < count; n++) values[n] = InitStd * generator.NextNormal();
        return values;
    }

    /// <summary>
    /// Each id's row, numbered in the order of first appearance, and <paramref name="index"/> filled
    /// with id → row. Ids within a range not much wider than the data (0 … n, or 1000 + 7i) are
    /// looked up in an array over that range: a dictionary lookup per rating was most of a large
    /// fit's setup.
    /// </summary>
    private static int[] Rows(IReadOnlyList<int> ids, Dictionary<int, int> index)
    {
        var rows = new int[ids.Count];
        int low = int.MaxValue, high = int.MinValue;
        for (int n = 0; n < rows.Length; n++) (low, high) = (Math.Min(low, ids[n]), Math.Max(high, ids[n]));
        long range = (long)high - low + 1;
        if (range > 2L * rows.Length + 65_536)
        {
            for (int n = 0; n < rows.Length; n++)
            {
                ref int row = ref CollectionsMarshal.GetValueRefOrAddDefault(index, ids[n], out bool seen);
                if (!seen) row = index.Count - 1;
                rows[n] = row;
            }
            return rows;
        }
        var byOffset = new int[range];
        Array.Fill(byOffset, -1);
        for (int n = 0; n < rows.Length; n++)
        {
            ref int row = ref byOffset[ids[n] - low];
            if (row < 0)
            {
                row = index.Count;
                index.Add(ids[n], row);
            }
            rows[n] = row;
        }
        return rows;
    }

    /// <summary>Funk's SGD: for each rating in a fresh random order, step every term along its own gradient.</summary>
    private void FitSgd(int[] u, int[] i, double[] r, Generator generator)
    {
        int k = NFactors;
        double lr = LearningRate, reg = Alpha;
        var order = new int[r.Length];
        for (int n = 0; n < order.Length; n++) order[n] = n;
        for (int epoch = 0; epoch < MaxIter; epoch++)
        {
            generator.Shuffle<int>(order);
            foreach (int n in order)
            {
                double error = r[n] - Estimate(u[n], i[n]);
                if (UseBiases)
                {
                    _userBias[u[n]] += lr * (error - reg * _userBias[u[n]]);
                    _itemBias[i[n]] += lr * (error - reg * _itemBias[i[n]]);
                }
                SgdStep(_userFactors.AsSpan(u[n] * k, k), _itemFactors.AsSpan(i[n] * k, k), lr, error, reg);
            }
            EndEpoch(TrainingRmse(u, i, r, epoch));
        }
    }

    /// <summary>
    /// p += lr·(e·q − α·p) and q += lr·(e·p − α·q), both from the old p and q: vector lanes, then the
    /// scalar tail, each lane computing the scalar formula's operations in its order (no fused
    /// multiply-add), so the two give the same bits.
    /// </summary>
    private static void SgdStep(Span<double> p, Span<double> q, double lr, double error, double reg)
    {
        int f = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<double> rate = new(lr), e = new(error), decay = new(reg);
            for (; f <= p.Length - Vector<double>.Count; f += Vector<double>.Count)
            {
                Vector<double> pf = new(p[f..]), qf = new(q[f..]);
                (pf + rate * (e * qf - decay * pf)).CopyTo(p[f..]);
                (qf + rate * (e * pf - decay * qf)).CopyTo(q[f..]);
            }
        }
        for (; f < p.Length; f++)
        {
            double pf = p[f], qf = q[f];
            p[f] += lr * (error * qf - reg * pf);
            q[f] += lr * (error * pf - reg * qf);
        }
    }

    /// <summary>μ + b_u + b_i + p_u·q_i of a user row and an item row, unclipped: what the solvers fit.</summary>
    private double Estimate(int user, int item)
    {
        int k = NFactors;
        // The rows' first values are bounds-checked; the tables hold whole rows of k.
        double dot = ShortDot.Dot(ref _userFactors[user * k], ref _itemFactors[item * k], k);
        return GlobalMean + _userBias[user] + _itemBias[item] + dot;
    }

    /// <summary><paramref name="estimate"/> clipped to [<see cref="MinRating"/>, <see cref="MaxRating"/>], a rating the scale can hold.</summary>
    private double Clipped(double estimate) => Math.Clamp(estimate, MinRating, MaxRating);

    /// <summary>The training RMSE after <paramref name="epoch"/> (counted from 0) of SGD or Adam, which must be finite.</summary>
    /// <exception cref="InvalidOperationException">It is infinite or NaN: the steps diverged.</exception>
    private double TrainingRmse(int[] u, int[] i, double[] r, int epoch)
    {
        double sum = 0;
        for (int n = 0; n < r.Length; n++)
        {
            double e = r[n] - Estimate(u[n], i[n]);
            sum += e * e;
        }
        double rmse = Math.Sqrt(sum / r.Length);
        if (!double.IsFinite(rmse))
            throw new InvalidOperationException(Invariant($"MatrixFactorization.Fit: the {Solver} training error became {rmse} in epoch {epoch + 1}; the steps diverged. Try a smaller learningRate (now {LearningRate}) or a larger alpha."));
        return rmse;
    }

    /// <summary>
    /// The predicted rating of <paramref name="item"/> by <paramref name="user"/>, μ + b_u + b_i + p_u·q_i
    /// clipped to [<see cref="MinRating"/>, <see cref="MaxRating"/>]; unknown ones fall back to the
    /// biases (μ + b_i, μ + b_u or μ), clipped too.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has not been fitted.</exception>
    public double Predict(int user, int item)
    {
        RequireFitted(nameof(Predict));
        bool knownUser = _userIndex!.TryGetValue(user, out int u), knownItem = _itemIndex!.TryGetValue(item, out int i);
        if (knownUser && knownItem) return Clipped(Estimate(u, i));
        return Clipped(GlobalMean + (knownUser ? _userBias[u] : 0) + (knownItem ? _itemBias[i] : 0));
    }

    /// <summary>The predicted ratings of many (user, item) pairs, each as <see cref="Predict(int, int)"/> gives it (clipped).</summary>
    /// <exception cref="ArgumentException">The arrays differ in length.</exception>
    public double[] Predict(IReadOnlyList<int> users, IReadOnlyList<int> items)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (users.Count != items.Count)
            throw new ArgumentException($"MatrixFactorization.Predict: users and items must have the same length, got {users.Count} and {items.Count}.");
        var predictions = new double[users.Count];
        for (int n = 0; n < predictions.Length; n++) predictions[n] = Predict(users[n], items[n]);
        return predictions;
    }

    /// <summary>The root-mean-square error of the predictions for known ratings, such as held-out ones.</summary>
    public double Rmse(IReadOnlyList<int> users, IReadOnlyList<int> items, IReadOnlyList<double> ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var predictions = Predict(users, items);
        if (ratings.Count != predictions.Length)
            throw new ArgumentException($"MatrixFactorization.Rmse: ratings must have the length of users and items, got {ratings.Count} and {predictions.Length}.");
        if (predictions.Length == 0) throw new ArgumentException("MatrixFactorization.Rmse: there are no ratings to score.");
        double sum = 0;
        for (int n = 0; n < predictions.Length; n++) sum += (ratings[n] - predictions[n]) * (ratings[n] - predictions[n]);
        return Math.Sqrt(sum / predictions.Length);
    }

    /// <summary>The bias b_u of a user seen in training.</summary>
    /// <exception cref="KeyNotFoundException">The user was not in the training data.</exception>
    public double UserBias(int user) => _userBias[Known(_userIndex, user, "user")];

    /// <summary>The bias b_i of an item seen in training.</summary>
    /// <exception cref="KeyNotFoundException">The item was not in the training data.</exception>
    public double ItemBias(int item) => _itemBias[Known(_itemIndex, item, "item")];

    /// <summary>The latent factors p_u of a user seen in training.</summary>
    public double[] UserFactors(int user) => _userFactors.AsSpan(Known(_userIndex, user, "user") * NFactors, NFactors).ToArray();

    /// <summary>The latent factors q_i of an item seen in training.</summary>
    public double[] ItemFactors(int item) => _itemFactors.AsSpan(Known(_itemIndex, item, "item") * NFactors, NFactors).ToArray();

    private int Known(Dictionary<int, int>? index, int id, string what)
    {
        RequireFitted(what == "user" ? nameof(UserFactors) : nameof(ItemFactors));
        return index!.TryGetValue(id, out int position) ? position
            : throw new KeyNotFoundException($"MatrixFactorization: {what} {id} was not in the training data.");
    }

    private void RequireFitted(string method)
    {
        if (!IsFitted) throw new InvalidOperationException($"MatrixFactorization.{method}: the model is not fitted yet; call Fit first.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
