using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// Top-N recommendations for every user of a large implicit model: <see cref="ImplicitMatrixFactorization.Recommend(IReadOnlyList{int}, int, bool)"/>
/// over all users at once (blocks of users × all items by one GEMM each, then a bounded heap per user),
/// against the same users asked one at a time. The model is one ALS alternation on
/// <see cref="SyntheticRatings"/>' pairs (10 a user on average), so the factors and the seen items have a
/// real shape; the fit's time is printed too.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- recommend-all [--users N] [--items N]
/// [--factors N] [--count N] [--runs N]</c>; by default 100,000 users, 5,000 items, 64 factors, the best 10
/// each, the median of 3 runs. The one-at-a-time figure is for the first 2,000 users, scaled to all of them.
/// </remarks>
public static class RecommendAllBenchmark
{
    /// <summary>Runs the measurement and prints one line per figure.</summary>
    public static void Run(string[] args)
    {
        int users = 100_000, items = 5_000, factors = 64, count = 10, runs = 3;
        for (int i = 0; i < args.Length; i++)
        {
            int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--users" when i + 1 < args.Length: users = Next(); break;
                case "--items" when i + 1 < args.Length: items = Next(); break;
                case "--factors" when i + 1 < args.Length: factors = Next(); break;
                case "--count" when i + 1 < args.Length: count = Next(); break;
                case "--runs" when i + 1 < args.Length: runs = Next(); break;
                default: throw new ArgumentException($"recommend-all: unknown argument '{args[i]}'; expected --users N, --items N, --factors N, --count N or --runs N.");
            }
        }
        var clock = Stopwatch.StartNew();
        var data = SyntheticRatings.Generate(users, items, density: 10.0 / items, rank: 8, seed: 1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data.Ratings.Count:N0} interactions drawn in {clock.Elapsed.TotalSeconds:F1} s"));
        clock.Restart();
        var model = new ImplicitMatrixFactorization(nFactors: factors, maxIter: 1, randomState: 1).Fit(data.Users, data.Items);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one ALS alternation, {model.NUsers:N0} users × {model.NItems:N0} items, {factors} factors: {clock.Elapsed.TotalSeconds:F2} s; threads {Parallelism.MaxDegreeOfParallelism}"));

        int[] everyone = [.. Enumerable.Range(0, users)];
        model.Recommend(everyone[..1000], count);
        double batch = Timing.Sorted(runs, () => model.Recommend(everyone, count))[runs / 2];
        int sample = Math.Min(2_000, users);
        double single = Timing.Sorted(runs, () =>
        {
            for (int u = 0; u < sample; u++) model.Recommend(u, count);
        })[runs / 2] * users / sample;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"top {count} for all {users:N0} users: {batch:F2} s at once ({users / batch:N0} users/s), {single:F1} s one at a time (median of {runs})"));
    }
}
