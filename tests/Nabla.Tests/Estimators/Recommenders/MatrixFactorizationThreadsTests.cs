using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// MatrixFactorization's solvers on problems large enough to be split over threads (ALS into several
/// pieces of rows, Adam's tables into several chunks) give the same bits at 1 and 2 threads; and
/// what a fit allocates grows by a few arrays per rating, not more.
/// </summary>
[Collection("Parallelism")]
public sealed class MatrixFactorizationThreadsTests
{
    [Theory]
    [InlineData(MatrixFactorizationSolver.Als)]
    [InlineData(MatrixFactorizationSolver.Adam)]
    public void Fit_IsBitIdenticalAtOneAndTwoThreads(MatrixFactorizationSolver solver)
    {
        // ALS: 60,000 ratings make 7 pieces of rows per half-step. Adam: 6,000 users × 24 factors is a
        // table of 144,000 values, which the optimizer updates in chunks.
        var data = SyntheticRatings.Generate(users: 6_000, items: 500, density: 0.02, seed: 4);
        int factors = solver == MatrixFactorizationSolver.Als ? 8 : 24;
        (double[] Predictions, double[] Curve) Fit(int threads) => ParallelismCollection.AtThreads(threads, () =>
        {
            var model = new MatrixFactorization(nFactors: factors, alpha: 0.1, learningRate: 0.01, maxIter: 2, solver: solver, batchSize: 4096)
                .Fit(data.Users, data.Items, data.Ratings);
            return (model.Predict(data.Users, data.Items), model.LossCurve.ToArray());
        });

        var (one, two) = (Fit(1), Fit(2));

        Assert.Equal(one.Predictions, two.Predictions);
        Assert.Equal(one.Curve, two.Curve);
    }

    [Theory]
    [InlineData(MatrixFactorizationSolver.Sgd)]
    [InlineData(MatrixFactorizationSolver.Adam)]
    [InlineData(MatrixFactorizationSolver.Als)]
    public void Fit_AllocatesAFewArraysPerRating_AndNothingPerEpoch(MatrixFactorizationSolver solver)
    {
        // 200,000 ratings of 2,000 users. Per rating: user and item rows and the rating (16 bytes), the
        // order (SGD, Adam: 4) or the groupings by user and by item (ALS: 24), and the index of the items
        // each user rated; per epoch, nothing that grows with the ratings.
        var g = new Generator(6);
        const int count = 200_000;
        var users = new int[count];
        var items = new int[count];
        var ratings = new double[count];
        for (int n = 0; n < count; n++)
        {
            users[n] = g.NextInt(2_000);
            items[n] = g.NextInt(1_000);
            ratings[n] = 1 + g.NextInt(5);
        }
        long Allocated(int epochs) => ParallelismCollection.AtThreads(1, () =>
        {
            var model = new MatrixFactorization(nFactors: 8, alpha: 0.1, maxIter: epochs, solver: solver);
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.Fit(users, items, ratings);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });

        long one = Allocated(1), four = Allocated(4);

        Assert.True(one < 100L * count, $"{solver}: {one / (double)count:F1} bytes allocated per rating");
        Assert.True(four - one < 3 * 16_384, $"{solver}: three more epochs allocated {four - one:N0} bytes");
    }
}
