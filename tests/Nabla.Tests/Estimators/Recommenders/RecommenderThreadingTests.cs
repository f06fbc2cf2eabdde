using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// The recommenders give the same bits at 1 and 2 threads: ALS's factors and loss (rows solved in fixed
/// pieces, the loss's partial sums added in piece order), and rankings of users in parallel blocks; and a
/// user's list is the same asked alone or in a batch.
/// </summary>
[Collection("Parallelism")]
public sealed class RecommenderThreadingTests
{
    // Enough users for many pieces of work and several blocks of the ranking.
    private static readonly Lazy<SyntheticRatings> Data = new(() => SyntheticRatings.Generate(users: 1500, items: 300, density: 0.05, rank: 8, seed: 4));

    private static ImplicitMatrixFactorization FitAls() =>
        new ImplicitMatrixFactorization(nFactors: 16, alpha: 0.5, maxIter: 3, randomState: 5).Fit(Data.Value.Users, Data.Value.Items, Data.Value.Ratings);

    [Fact]
    public void Als_IsBitIdentical_AtOneAndTwoThreads()
    {
        var one = ParallelismCollection.AtThreads(1, FitAls);
        var two = ParallelismCollection.AtThreads(2, FitAls);

        Assert.Equal(one.LossCurve.Select(BitConverter.DoubleToInt64Bits), two.LossCurve.Select(BitConverter.DoubleToInt64Bits));
        foreach (int user in one.UserIds)
            Assert.Equal(one.UserFactors(user).Select(BitConverter.DoubleToInt64Bits), two.UserFactors(user).Select(BitConverter.DoubleToInt64Bits));
        foreach (int item in one.ItemIds)
            Assert.Equal(one.ItemFactors(item).Select(BitConverter.DoubleToInt64Bits), two.ItemFactors(item).Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Recommend_IsTheSame_AtOneAndTwoThreads_AloneOrInABatch()
    {
        var model = FitAls();
        var explicitModel = new MatrixFactorization(nFactors: 8, maxIter: 2, randomState: 1).Fit(Data.Value.Users, Data.Value.Items, Data.Value.Ratings);
        foreach (IRecommender recommender in new IRecommender[] { model, explicitModel })
        {
            int[] users = [.. recommender.UserIds, -1];

            var one = ParallelismCollection.AtThreads(1, () => recommender.Recommend(users, 20));
            var two = ParallelismCollection.AtThreads(2, () => recommender.Recommend(users, 20));

            for (int p = 0; p < users.Length; p++) Assert.Equal(one[p], two[p]);
            // Alone, each user's scores come from the same product as in the batch, to the last bit.
            foreach (int p in new[] { 0, 255, 256, 700, users.Length - 2 })
                Assert.Equal(one[p], recommender.Recommend(users[p], 20));
        }
    }
}
