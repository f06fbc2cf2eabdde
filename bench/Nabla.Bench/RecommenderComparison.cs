using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// The recommender workloads (bench/compare-recommender.sh): <see cref="MatrixFactorization"/> with
/// Adam on the matrix-factorization workload of <c>../shared/bench/anchors/rnn_anchors.py</c>
/// (training ratings/s, held-out RMSE, bytes allocated per step), ALS's seconds per alternation on
/// 1,000,000 ratings × 64 factors, and with <c>--scale</c> the peak resident memory of fitting
/// 10,000,000 ratings.
/// </summary>
/// <remarks>
/// <para>
/// The Adam workload is the anchor's: 2,000 users × 1,000 items, 200,000 ratings of uniformly drawn
/// (user, item) pairs (repeats allowed), r = pᵤ·qᵢ + N(0, 0.1²) with rank-8 pᵤ, qᵢ ~ N(0, 1/√8), the
/// first 90 % for training; biases and 32 factors (initial deviation 0.1), no L2 penalty, Adam lr 1e-2,
/// batch 1,024, 5 epochs (1 with <c>--quick</c>, as the anchor's). Drawn from Nabla's generator: the
/// same problem, not the same numbers. The RMSE is <see cref="MatrixFactorization.Rmse"/>'s on the
/// held-out 10 % (predictions clipped to the training range, which these ratings' tails rarely reach),
/// the mean over the timed fits (seeds 0 … N − 1).
/// </para>
/// <para>
/// The ALS workload has MovieLens 1M's shape: 6,040 users × 3,706 items, 1,000,000 distinct pairs
/// from <see cref="SyntheticRatings"/> (rank 8, noise 0.5, power-law item popularity), 64 factors with
/// biases, α = 0.1. Seconds per alternation (both halves and the training RMSE) are the difference
/// of the median fits of 3 and 1 alternations, halved, so the fit's one-off setup (id maps, the
/// groupings by user and item, the initial factors) is left out; the one-alternation fit is reported too.
/// </para>
/// <para>
/// <c>--scale</c>: 10,000,000 ratings of 100,000 users × 20,000 items (uniform pairs, r = 3 + pᵤ·qᵢ
/// + noise clipped to 1–5, rank 8), held in three arrays as a caller would; the process's resident set
/// after drawing them, then its peak (<see cref="Process.PeakWorkingSet64"/>) after an SGD epoch and
/// after an ALS alternation, 32 factors each, fitted in that order in one process (so the ALS figure
/// is the peak of both).
/// </para>
/// <para>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- recommender [--quick] [--json] [--runs N] [--scale]</c>.
/// Each speed is the median of N fits (3 by default) on a fresh model after a warm-up fit. The thread
/// count is <see cref="Parallelism.MaxDegreeOfParallelism"/> (<c>NABLA_NUM_THREADS</c>).
/// </para>
/// </remarks>
public static class RecommenderComparison
{
    private const int AnchorUsers = 2_000, AnchorItems = 1_000, AnchorRatings = 200_000, AnchorFactors = 32, AnchorBatch = 1_024;
    // The rank of every generating model here.
    private const int Rank = 8;
    private const int AlsUsers = 6_040, AlsItems = 3_706, AlsRatings = 1_000_000, AlsFactors = 64;
    private const int ScaleUsers = 100_000, ScaleItems = 20_000, ScaleRatings = 10_000_000, ScaleFactors = 32;

    /// <summary>Runs the measurements and prints a short table, or one JSON line with <c>--json</c>.</summary>
    public static void Run(string[] args)
    {
        bool scale = args.Contains("--scale");
        var (runs, _, quick, json) = RunnerOptions.Parse("recommender", [.. args.Where(a => a != "--scale")]);
        var inv = CultureInfo.InvariantCulture;
        var result = new Dictionary<string, object>
        {
            ["system"] = $"Nabla {typeof(Tensor).Assembly.GetName().Version?.ToString(3)}",
            ["threads"] = Parallelism.MaxDegreeOfParallelism,
            ["runs"] = runs,
        };
        var lines = new List<string>();

        int epochs = quick ? 1 : 5;
        var adam = AdamWorkload(runs, epochs);
        result["mf_b1024_ratings_per_s"] = Math.Round(adam.RatingsPerSecond);
        result[$"mf_test_rmse_after_{epochs}ep"] = Math.Round(adam.TestRmse, 4);
        result["mf_bytes_per_step"] = Math.Round(adam.BytesPerStep, 1);
        lines.Add(string.Create(inv, $"Adam, anchor workload ({AnchorRatings * 9 / 10:N0} training ratings, k {AnchorFactors}, batch {AnchorBatch}, {epochs} epoch(s)): {adam.RatingsPerSecond:N0} ratings/s, held-out RMSE {adam.TestRmse:F4}, {adam.BytesPerStep:N0} B allocated per step"));

        var als = AlsWorkload(runs);
        result["als_1m_k64_s_per_iter"] = Math.Round(als.SecondsPerIteration, 3);
        result["als_1m_k64_fit_1_iter_s"] = Math.Round(als.OneIterationFit, 3);
        lines.Add(string.Create(inv, $"ALS, {AlsRatings:N0} ratings ({AlsUsers:N0} users × {AlsItems:N0} items), k {AlsFactors}: {als.SecondsPerIteration:F3} s per alternation; a whole fit of one alternation {als.OneIterationFit:F3} s"));

        if (scale)
        {
            var (dataMb, sgdMb, alsMb) = ScaleWorkload();
            result["scale_ratings"] = ScaleRatings;
            result["scale_data_rss_mb"] = Math.Round(dataMb);
            result["scale_sgd_peak_rss_mb"] = Math.Round(sgdMb);
            result["scale_als_peak_rss_mb"] = Math.Round(alsMb);
            lines.Add(string.Create(inv, $"{ScaleRatings:N0} ratings ({ScaleUsers:N0} users × {ScaleItems:N0} items), k {ScaleFactors}: resident {dataMb:N0} MiB with the data; peak {sgdMb:N0} MiB after an SGD epoch, {alsMb:N0} MiB after an ALS alternation"));
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result));
            return;
        }
        Console.WriteLine($"Recommenders; threads {Parallelism.MaxDegreeOfParallelism}; median of {runs} fits");
        foreach (var line in lines) Console.WriteLine(line);
    }

    private readonly record struct AdamFigures(double RatingsPerSecond, double TestRmse, double BytesPerStep);

    /// <summary>The anchor's Adam workload: ratings/s of the median fit, the fits' mean held-out RMSE, the bytes a step allocates (all threads).</summary>
    private static AdamFigures AdamWorkload(int runs, int epochs)
    {
        var (users, items, ratings) = AnchorRatingsData();
        int train = AnchorRatings * 9 / 10;
        int[] trainUsers = users[..train], trainItems = items[..train];
        double[] trainRatings = ratings[..train];
        MatrixFactorization Model(ulong seed, int iterations) => new(nFactors: AnchorFactors, alpha: 0, learningRate: 1e-2, maxIter: iterations,
            solver: MatrixFactorizationSolver.Adam, initStd: 0.1, randomState: seed, batchSize: AnchorBatch);

        // After a warm-up fit, fits of one and three epochs measure what a step allocates, on every
        // thread: their difference is two epochs' steps, without the fit's setup (id maps, index
        // arrays, the optimizer's moments), which both have. The least of three fits each leaves out
        // the few kilobytes the runtime itself allocates now and then.
        long Allocated(int iterations) => Enumerable.Range(0, 3).Min(_ =>
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            Model(99, iterations).Fit(trainUsers, trainItems, trainRatings);
            return GC.GetTotalAllocatedBytes(precise: true) - before;
        });
        Model(99, 1).Fit(trainUsers, trainItems, trainRatings);
        long oneEpoch = Allocated(1), threeEpochs = Allocated(3);
        // The held-out RMSE moves by about 1 % (5 epochs) to 2 % (1 epoch) from one seed to another: the mean of the runs' seeds.
        var rmse = new List<double>();
        ulong seed = 0;
        var seconds = Timing.Sorted(runs, () =>
        {
            var model = Model(seed++, epochs).Fit(trainUsers, trainItems, trainRatings);
            rmse.Add(model.Rmse(users[train..], items[train..], ratings[train..]));
        });
        int steps = (train + AnchorBatch - 1) / AnchorBatch;
        return new AdamFigures(train * (double)epochs / seconds[runs / 2], rmse.Average(), (double)(threeEpochs - oneEpoch) / (2 * steps));
    }

    /// <summary>rnn_anchors.py's ratings: r = pᵤ·qᵢ + N(0, 0.1²), rank-8 factors of deviation 8^−¼, unclipped.</summary>
    private static (int[] Users, int[] Items, double[] Ratings) AnchorRatingsData() =>
        UniformPairs(AnchorUsers, AnchorItems, AnchorRatings, Math.Pow(Rank, -0.25), mean: 0, noise: 0.1, double.NegativeInfinity, double.PositiveInfinity, seed: 0);

    /// <summary>
    /// <paramref name="count"/> uniformly drawn (user, item) pairs, repeats allowed, rated
    /// mean + pᵤ·qᵢ + N(0, noise²) with rank-8 factors of deviation <paramref name="deviation"/>, clipped to [low, high].
    /// </summary>
    private static (int[] Users, int[] Items, double[] Ratings) UniformPairs(int userCount, int itemCount, int count, double deviation,
        double mean, double noise, double low, double high, ulong seed)
    {
        var g = new Generator(seed);
        var p = Enumerable.Range(0, userCount * Rank).Select(_ => g.NextNormal() * deviation).ToArray();
        var q = Enumerable.Range(0, itemCount * Rank).Select(_ => g.NextNormal() * deviation).ToArray();
        var users = new int[count];
        var items = new int[count];
        var ratings = new double[count];
        for (int n = 0; n < count; n++)
        {
            users[n] = g.NextInt(userCount);
            items[n] = g.NextInt(itemCount);
            double dot = 0;
            for (int f = 0; f < Rank; f++) dot += p[users[n] * Rank + f] * q[items[n] * Rank + f];
            ratings[n] = Math.Clamp(mean + dot + noise * g.NextNormal(), low, high);
        }
        return (users, items, ratings);
    }

    /// <summary>ALS on MovieLens 1M's shape: seconds per alternation, and the whole one-alternation fit.</summary>
    private static (double SecondsPerIteration, double OneIterationFit) AlsWorkload(int runs)
    {
        var data = SyntheticRatings.Generate(AlsUsers, AlsItems, density: AlsRatings / ((double)AlsUsers * AlsItems), rank: 8, seed: 1);
        MatrixFactorization Model(int iterations) => new(nFactors: AlsFactors, alpha: 0.1, maxIter: iterations, solver: MatrixFactorizationSolver.Als);
        Model(1).Fit(data.Users.Take(50_000).ToArray(), data.Items.Take(50_000).ToArray(), data.Ratings.Take(50_000).ToArray());
        double Median(int iterations) => Timing.Sorted(runs, () => Model(iterations).Fit(data.Users, data.Items, data.Ratings))[runs / 2];
        double one = Median(1), three = Median(3);
        return ((three - one) / 2, one);
    }

    /// <summary>The resident set with 10M ratings drawn, and the peaks after an SGD epoch and after an ALS alternation, in MiB.</summary>
    private static (double Data, double Sgd, double Als) ScaleWorkload()
    {
        // SyntheticRatings' scale: pᵤ·qᵢ of deviation 0.6 around 3, noise 0.5, on 1–5.
        var (users, items, ratings) = UniformPairs(ScaleUsers, ScaleItems, ScaleRatings, Math.Pow(0.36 / Rank, 0.25), mean: 3, noise: 0.5, 1, 5, seed: 3);
        const double mib = 1 << 20;
        GC.Collect();
        double data = Environment.WorkingSet / mib;
        new MatrixFactorization(nFactors: ScaleFactors, maxIter: 1).Fit(users, items, ratings);
        double sgd = Process.GetCurrentProcess().PeakWorkingSet64 / mib;
        new MatrixFactorization(nFactors: ScaleFactors, alpha: 0.1, maxIter: 1, solver: MatrixFactorizationSolver.Als).Fit(users, items, ratings);
        double als = Process.GetCurrentProcess().PeakWorkingSet64 / mib;
        return (data, sgd, als);
    }
}
