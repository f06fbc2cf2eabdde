using System.Text.Json.Serialization;
using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// MatrixFactorization's Adam solver: the same trajectory as PyTorch's <c>torch.optim.Adam</c> over
/// <c>nn.Embedding</c> tables from the same start in the same batch order
/// (Fixtures/torch_matrix_factorization.json, tools/fixtures/torch_matrix_factorization.py), and, on
/// ratings drawn from a known low-rank model, a held-out error near the noise.
/// </summary>
public sealed class MatrixFactorizationAdamTests
{
    public static TheoryData<string> CaseNames() => [.. Fixture.Value.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Adam_FollowsPyTorchsTrajectory(string name)
    {
        var c = Fixture.Value.Cases.Single(c => c.Name == name);
        var model = new MatrixFactorization(nFactors: c.Factors, alpha: c.Alpha, learningRate: c.LearningRate, maxIter: c.Epochs,
            solver: MatrixFactorizationSolver.Adam, useBiases: c.UseBiases, batchSize: c.BatchSize);

        model.FitFrom(c.Users, c.Items, c.Ratings, new MatrixFactorization.FixedStart(c.InitialUserFactors, c.InitialItemFactors, c.Orders));

        int k = c.Factors;
        var users = c.Users.Distinct().ToArray();
        var items = c.Items.Distinct().ToArray();
        for (int row = 0; row < users.Length; row++)
        {
            AssertClose(c.UserFactors.AsSpan(row * k, k).ToArray(), model.UserFactors(users[row]), $"user {users[row]}'s factors");
            Assert.Equal(c.UserBias[row], model.UserBias(users[row]), 1e-10);
        }
        for (int row = 0; row < items.Length; row++)
        {
            AssertClose(c.ItemFactors.AsSpan(row * k, k).ToArray(), model.ItemFactors(items[row]), $"item {items[row]}'s factors");
            Assert.Equal(c.ItemBias[row], model.ItemBias(items[row]), 1e-10);
        }
        AssertClose(c.Rmse, [.. model.LossCurve], "training RMSE per epoch");
    }

    [Fact]
    public void Adam_RecoversTheGeneratingModel_AsWellAsAls()
    {
        var data = SyntheticRatings.Generate(users: 300, items: 200, density: 0.2, rank: 3, noise: 0.1, seed: 5);
        int train = data.Ratings.Count * 9 / 10;
        int[] trainUsers = [.. data.Users.Take(train)], trainItems = [.. data.Items.Take(train)];
        double[] trainRatings = [.. data.Ratings.Take(train)];
        int[] testUsers = [.. data.Users.Skip(train)], testItems = [.. data.Items.Skip(train)];
        double[] testRatings = [.. data.Ratings.Skip(train)];
        var model = new MatrixFactorization(nFactors: 3, alpha: 0.003, learningRate: 0.01, maxIter: 100, solver: MatrixFactorizationSolver.Adam,
            batchSize: 256, randomState: 2).Fit(trainUsers, trainItems, trainRatings);
        // ALS solves each half exactly: the error a good fit of this data reaches (0.133 held out).
        var als = new MatrixFactorization(nFactors: 3, alpha: 0.5, maxIter: 20, solver: MatrixFactorizationSolver.Als).Fit(trainUsers, trainItems, trainRatings);

        double rmse = model.Rmse(testUsers, testItems, testRatings);
        // Against the noiseless truth: closer to it than the noisy ratings themselves are.
        var truth = data.TrueRatings(testUsers, testItems).Select(r => Math.Clamp(r, SyntheticRatings.MinRating, SyntheticRatings.MaxRating)).ToArray();
        double truthRmse = model.Rmse(testUsers, testItems, truth);

        Assert.True(rmse <= 1.05 * als.Rmse(testUsers, testItems, testRatings), $"Adam {rmse}, ALS {als.Rmse(testUsers, testItems, testRatings)}");
        Assert.True(truthRmse < data.Noise, $"RMSE against the true ratings {truthRmse}");
        Assert.True(model.LossCurve[^1] < 0.2 * model.LossCurve[0], $"{model.LossCurve[0]} → {model.LossCurve[^1]}");
    }

    [Fact]
    public void Adam_SameSeedSameModel_BatchSizeMatters()
    {
        var data = SyntheticRatings.Generate(users: 100, items: 80, density: 0.2, seed: 1);
        MatrixFactorization Fit(ulong seed, int batch) => new MatrixFactorization(nFactors: 4, learningRate: 0.01, maxIter: 3,
            solver: MatrixFactorizationSolver.Adam, randomState: seed, batchSize: batch).Fit(data.Users, data.Items, data.Ratings);

        Assert.Equal(Fit(7, 64).Predict(data.Users, data.Items), Fit(7, 64).Predict(data.Users, data.Items));
        Assert.NotEqual(Fit(7, 64).Predict(data.Users, data.Items), Fit(8, 64).Predict(data.Users, data.Items));
        Assert.NotEqual(Fit(7, 64).Predict(data.Users, data.Items), Fit(7, 65).Predict(data.Users, data.Items));
    }

    [Fact]
    public void Adam_Divergence_NamesTheEpoch()
    {
        // A step of 10⁶ throws the factors to ±10⁶ in one step: their products overflow within a few epochs.
        var data = SyntheticRatings.Generate(users: 30, items: 20, density: 0.3, seed: 1);
        var model = new MatrixFactorization(nFactors: 2, alpha: 0, learningRate: 1e200, maxIter: 5, solver: MatrixFactorizationSolver.Adam, batchSize: 16);

        var error = Assert.Throws<InvalidOperationException>(() => model.Fit(data.Users, data.Items, data.Ratings));

        Assert.Contains("the Adam training error became", error.Message);
        Assert.Contains("in epoch 1", error.Message);
        Assert.Contains("smaller learningRate", error.Message);
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int n = 0; n < expected.Length; n++)
            Assert.True(Math.Abs(expected[n] - actual[n]) <= 1e-10, $"{what}[{n}]: PyTorch {expected[n]:R}, Nabla {actual[n]:R}");
    }

    private static readonly Lazy<MfFixture> Fixture = new(() => FixtureFile.Load<MfFixture>("torch_matrix_factorization.json"));

    private sealed record MfFixture(string Torch, MfCase[] Cases);

    private sealed record MfCase(
        string Name, int[] Users, int[] Items, double[] Ratings, int Factors,
        [property: JsonPropertyName("batch_size")] int BatchSize,
        int Epochs,
        [property: JsonPropertyName("learning_rate")] double LearningRate,
        double Alpha,
        [property: JsonPropertyName("use_biases")] bool UseBiases,
        [property: JsonPropertyName("initial_user_factors")] double[] InitialUserFactors,
        [property: JsonPropertyName("initial_item_factors")] double[] InitialItemFactors,
        int[][] Orders,
        [property: JsonPropertyName("user_factors")] double[] UserFactors,
        [property: JsonPropertyName("item_factors")] double[] ItemFactors,
        [property: JsonPropertyName("user_bias")] double[] UserBias,
        [property: JsonPropertyName("item_bias")] double[] ItemBias,
        double[] Rmse)
    {
        public override string ToString() => Name;
    }
}
