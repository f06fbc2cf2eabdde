using Nabla.Data;

namespace Nabla.Tests.Data;

public sealed class SyntheticRatingsTests
{
    [Fact]
    public void Generate_FollowsItsDocumentedModel()
    {
        var data = SyntheticRatings.Generate(users: 400, items: 300, density: 0.1, rank: 5, noise: 0.5, popularitySkew: 0.8, seed: 3);

        // density × users × items distinct pairs, ids in range.
        Assert.Equal(12_000, data.Ratings.Count);
        Assert.Equal(12_000, data.Users.Zip(data.Items).Distinct().Count());
        Assert.All(data.Users, user => Assert.InRange(user, 0, 399));
        Assert.All(data.Items, item => Assert.InRange(item, 0, 299));
        Assert.All(data.Ratings, rating => Assert.InRange(rating, 1, 5));
        // The ratings are the true ratings plus noise of sd 0.5 (clipping aside): the residuals' sd is 0.5 within sampling error.
        var truth = data.TrueRatings(data.Users, data.Items);
        var unclipped = Enumerable.Range(0, truth.Length).Where(n => data.Ratings[n] is > 1 and < 5).ToArray();
        Assert.InRange(unclipped.Length, 0.95 * truth.Length, truth.Length);
        double residualSd = Math.Sqrt(unclipped.Average(n => (data.Ratings[n] - truth[n]) * (data.Ratings[n] - truth[n])));
        Assert.InRange(residualSd, 0.47, 0.53);
        // Mean about μ = 3; the true ratings vary (biases and factors), with an sd near √(0.6² + 2·0.3²) ≈ 0.73.
        Assert.InRange(truth.Average(), 2.8, 3.2);
        double truthSd = Math.Sqrt(truth.Average(t => (t - truth.Average()) * (t - truth.Average())));
        Assert.InRange(truthSd, 0.6, 0.9);
        // Popularity follows a power law: the most rated tenth of the items holds far more than a tenth of the ratings; so does activity.
        var perItem = data.Items.GroupBy(item => item).Select(g => g.Count()).OrderDescending().ToArray();
        Assert.True(perItem.Take(30).Sum() > 0.25 * 12_000, $"top 30 items hold {perItem.Take(30).Sum()} ratings");
        var perUser = data.Users.GroupBy(user => user).Select(g => g.Count()).OrderDescending().ToArray();
        Assert.True(perUser.Take(40).Sum() > 0.2 * 12_000, $"top 40 users hold {perUser.Take(40).Sum()} ratings");
    }

    [Fact]
    public void SameSeed_SameData_AndNoSkewSpreadsItemsEvenly()
    {
        var a = SyntheticRatings.Generate(50, 40, 0.2, seed: 9);
        var b = SyntheticRatings.Generate(50, 40, 0.2, seed: 9);
        Assert.Equal(a.Ratings, b.Ratings);
        Assert.Equal(a.Items, b.Items);
        Assert.NotEqual(a.Ratings, SyntheticRatings.Generate(50, 40, 0.2, seed: 10).Ratings);

        var flat = SyntheticRatings.Generate(200, 20, 0.3, popularitySkew: 0, seed: 2);
        var counts = flat.Items.GroupBy(item => item).Select(g => g.Count()).ToArray();
        Assert.Equal(20, counts.Length);
        Assert.True(counts.Max() < 2.5 * counts.Min(), $"item counts {counts.Min()} to {counts.Max()}");
    }

    [Fact]
    public void WriteCsv_WritesAFileTheCsvReaderReadsBack()
    {
        var data = SyntheticRatings.Generate(30, 20, 0.2, seed: 4);
        string path = Path.Combine(Path.GetTempPath(), $"nabla-ratings-{Guid.NewGuid():N}.csv");
        try
        {
            data.WriteCsv(path);
            var table = Csv.Read(path);
            Assert.Equal(["user", "item", "rating"], table.ColumnNames);
            Assert.Equal(data.Ratings.Count, table.RowCount);
            Assert.Equal(data.Users.Select(u => (double)u), table["user"].Numbers.ToArray());
            Assert.All(Enumerable.Range(0, table.RowCount), n => Assert.Equal(data.Ratings[n], table["rating"].Numbers[n], 0.0005));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BadSettings_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticRatings.Generate(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticRatings.Generate(10, 10, density: 0.6));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticRatings.Generate(10, 10, noise: double.NaN));
        Assert.Contains("too few likely pairs", Assert.Throws<ArgumentException>(() => SyntheticRatings.Generate(100, 1000, density: 0.5, popularitySkew: 6)).Message);
        Assert.Contains("outside the 10 users", Assert.Throws<ArgumentException>(() => SyntheticRatings.Generate(10, 10).TrueRatings([10], [0])).Message);
    }
}
