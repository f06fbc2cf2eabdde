using System.Globalization;
using System.Text;
using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// Ratings drawn from a known low-rank model, for recommenders to be checked against the truth that
/// made them (no public ratings data set ships with Nabla). The model, with μ = 3 on a 1–5 scale:
/// <list type="bullet">
/// <item>user factors pᵤ and item factors qᵢ, each of <c>rank</c> values drawn from a normal distribution
/// of variance √(0.36/rank), so that pᵤ·qᵢ has a standard deviation of 0.6 whatever the rank; user and item
/// biases bᵤ, bᵢ from N(0, 0.3²);</item>
/// <item>which (user, item) pairs are rated: a user's activity drawn log-normal (e^N(0, 1)), an item's
/// popularity falling as a power law of its place in a random order (place^−<c>popularitySkew</c>), each
/// pair drawn with probability proportional to the product and, when <c>tasteSelection</c> is above 0, kept with
/// probability σ(<c>tasteSelection</c> · (bᵤ + bᵢ + pᵤ·qᵢ)), so that users rate more of what they like, as people choose
/// what they watch (at the default 0 every drawn pair is kept), without repeats, until <c>density</c> × users × items
/// pairs are rated;</item>
/// <item>the rating μ + bᵤ + bᵢ + pᵤ·qᵢ + ε, ε ~ N(0, <c>noise</c>²), clipped to [1, 5] (about 2 % of
/// the ratings at the default noise 0.5).</item>
/// </list>
/// <see cref="TrueRatings"/> gives the noiseless μ + bᵤ + bᵢ + pᵤ·qᵢ of any pair, to compare a fitted model with.
/// </summary>
/// <example>
/// <code>
/// var data = SyntheticRatings.Generate(users: 500, items: 300, density: 0.05, seed: 1);
/// data.WriteCsv("ratings.csv");                     // user,item,rating
/// var mf = new MatrixFactorization().Fit(data.Users, data.Items, data.Ratings);
/// </code>
/// </example>
public sealed class SyntheticRatings
{
    /// <summary>The mean rating of the generating model.</summary>
    public const double Mean = 3;

    /// <summary>The lowest rating.</summary>
    public const double MinRating = 1;

    /// <summary>The highest rating.</summary>
    public const double MaxRating = 5;

    private const double BiasScale = 0.3;

    // The standard deviation of pᵤ·qᵢ.
    private const double InteractionScale = 0.6;

    private readonly double[] _userFactors, _itemFactors, _userBias, _itemBias;

    private SyntheticRatings(int users, int items, int rank, double noise, double[] userFactors, double[] itemFactors, double[] userBias, double[] itemBias,
        int[] ratedUsers, int[] ratedItems, double[] ratings)
    {
        (UserCount, ItemCount, Rank, Noise) = (users, items, rank, noise);
        (_userFactors, _itemFactors, _userBias, _itemBias) = (userFactors, itemFactors, userBias, itemBias);
        (Users, Items, Ratings) = (ratedUsers, ratedItems, ratings);
    }

    /// <summary>The number of users (ids 0 … UserCount − 1).</summary>
    public int UserCount { get; }

    /// <summary>The number of items (ids 0 … ItemCount − 1).</summary>
    public int ItemCount { get; }

    /// <summary>The rank of the generating model.</summary>
    public int Rank { get; }

    /// <summary>The standard deviation of the noise added to each rating.</summary>
    public double Noise { get; }

    /// <summary>Each rating's user, in the order drawn.</summary>
    public IReadOnlyList<int> Users { get; }

    /// <summary>Each rating's item.</summary>
    public IReadOnlyList<int> Items { get; }

    /// <summary>The ratings.</summary>
    public IReadOnlyList<double> Ratings { get; }

    /// <summary>Draws a data set from the model described above.</summary>
    /// <param name="users">The number of users, at least 1.</param>
    /// <param name="items">The number of items, at least 1.</param>
    /// <param name="density">The share of all (user, item) pairs that is rated, in (0, 0.5].</param>
    /// <param name="rank">The number of latent factors, at least 1.</param>
    /// <param name="noise">The noise's standard deviation, at least 0.</param>
    /// <param name="popularitySkew">The power-law exponent of item popularity, at least 0 (0: every item equally likely).</param>
    /// <param name="seed">The seed of every draw.</param>
    /// <param name="tasteSelection">How much a user's taste decides what they rate, at least 0: 0 (the default) picks pairs by activity and popularity alone.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range, or users × items pairs are too many for one array.</exception>
    /// <exception cref="ArgumentException">The skew makes the popular items too few to give that many distinct pairs; lower the density or the skew.</exception>
    public static SyntheticRatings Generate(int users, int items, double density = 0.05, int rank = 8, double noise = 0.5, double popularitySkew = 0.8, ulong seed = 0,
        double tasteSelection = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        if (!(density > 0 && density <= 0.5)) throw new ArgumentOutOfRangeException(nameof(density), density, "SyntheticRatings: density must be in (0, 0.5].");
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        if (!(noise >= 0) || double.IsInfinity(noise)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "SyntheticRatings: noise must be a finite number of at least 0.");
        if (!(popularitySkew >= 0) || double.IsInfinity(popularitySkew)) throw new ArgumentOutOfRangeException(nameof(popularitySkew), popularitySkew, "SyntheticRatings: the skew must be a finite number of at least 0.");
        if (!(tasteSelection >= 0) || double.IsInfinity(tasteSelection)) throw new ArgumentOutOfRangeException(nameof(tasteSelection), tasteSelection, "SyntheticRatings: the taste selection must be a finite number of at least 0.");
        long target = Math.Max(1, (long)Math.Round(density * users * items));
        if (target > Array.MaxLength || (long)users * rank > Array.MaxLength || (long)items * rank > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(users), $"SyntheticRatings: {users} users × {items} items at density {density} is too many ratings for one array.");

        var generator = new Generator(seed);
        // rank products of two N(0, s²) values have variance rank·s⁴: s = (InteractionScale² / rank)^¼.
        double scale = Math.Pow(InteractionScale * InteractionScale / rank, 0.25);
        double[] Normal(int count, double sd)
        {
            var values = new double[count];
            for (int i = 0; i < count; i++) values[i] = sd * generator.NextNormal();
            return values;
        }
        var userFactors = Normal(users * rank, scale);
        var itemFactors = Normal(items * rank, scale);
        var userBias = Normal(users, BiasScale);
        var itemBias = Normal(items, BiasScale);
        var activity = Cumulative(Normal(users, 1).Select(Math.Exp).ToArray());
        var placeOfItem = TrainTestSplit.Permutation(generator, items);
        var popularity = Cumulative([.. Enumerable.Range(0, items).Select(item => Math.Pow(placeOfItem[item] + 1, -popularitySkew))]);

        var model = new SyntheticRatings(users, items, rank, noise, userFactors, itemFactors, userBias, itemBias, [], [], []);
        var rated = new HashSet<long>();
        var ratedUsers = new int[target];
        var ratedItems = new int[target];
        var ratings = new double[target];
        long draws = 0, limit = 50 * target + 1000;
        for (int n = 0; n < target;)
        {
            if (++draws > limit)
                throw new ArgumentException($"SyntheticRatings: after {limit:N0} draws only {n:N0} of {target:N0} distinct pairs were found; the popularity skew {popularitySkew} leaves too few likely pairs for density {density}. Lower one of them.");
            int user = Draw(activity, generator), item = Draw(popularity, generator);
            // Without taste selection no draw is made, so the pairs are those of the model without it.
            if (tasteSelection > 0 && generator.NextDouble() >= 1 / (1 + Math.Exp(-tasteSelection * (model.TrueRating(user, item) - Mean)))) continue;
            if (!rated.Add((long)user * items + item)) continue;
            ratedUsers[n] = user;
            ratedItems[n] = item;
            ratings[n] = Math.Clamp(model.TrueRating(user, item) + noise * generator.NextNormal(), MinRating, MaxRating);
            n++;
        }
        return new SyntheticRatings(users, items, rank, noise, userFactors, itemFactors, userBias, itemBias, ratedUsers, ratedItems, ratings);
    }

    /// <summary>The noiseless rating of each (user, item) pair, μ + bᵤ + bᵢ + pᵤ·qᵢ, not clipped.</summary>
    /// <exception cref="ArgumentException">The lists differ in length, or an id is outside the users or items.</exception>
    public double[] TrueRatings(IReadOnlyList<int> users, IReadOnlyList<int> items)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (users.Count != items.Count) throw new ArgumentException($"SyntheticRatings.TrueRatings: {users.Count} users but {items.Count} items.", nameof(items));
        var result = new double[users.Count];
        for (int i = 0; i < result.Length; i++)
        {
            if ((uint)users[i] >= (uint)UserCount || (uint)items[i] >= (uint)ItemCount)
                throw new ArgumentException($"SyntheticRatings.TrueRatings: pair {i} is (user {users[i]}, item {items[i]}), outside the {UserCount} users and {ItemCount} items.", nameof(users));
            result[i] = TrueRating(users[i], items[i]);
        }
        return result;
    }

    /// <summary>Writes the ratings as a CSV file with the header "user,item,rating", atomically.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void WriteCsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            writer.Write("user,item,rating\n");
            for (int n = 0; n < Ratings.Count; n++)
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{Users[n]},{Items[n]},{Ratings[n]:0.###}\n"));
        });
    }

    private double TrueRating(int user, int item)
    {
        double dot = 0;
        for (int f = 0; f < Rank; f++) dot += _userFactors[user * Rank + f] * _itemFactors[item * Rank + f];
        return Mean + _userBias[user] + _itemBias[item] + dot;
    }

    /// <summary>The running sums of the weights, for drawing an index in proportion to its weight.</summary>
    private static double[] Cumulative(double[] weights)
    {
        for (int i = 1; i < weights.Length; i++) weights[i] += weights[i - 1];
        return weights;
    }

    private static int Draw(double[] cumulative, Generator generator)
    {
        double at = generator.NextDouble() * cumulative[^1];
        int index = Array.BinarySearch(cumulative, at);
        return Math.Min(index < 0 ? ~index : index + 1, cumulative.Length - 1);
    }
}
