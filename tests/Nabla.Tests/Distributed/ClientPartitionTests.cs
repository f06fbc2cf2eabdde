using Nabla.Distributed;

namespace Nabla.Tests.Distributed;

public sealed class ClientPartitionTests
{
    private static int[] DigitLabels => Digits.Train.Y.ToArray<int>();

    private static void AssertDisjointAndCovering(int[][] shards, int sampleCount)
    {
        var all = shards.SelectMany(s => s).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, sampleCount), all);
        Assert.All(shards, s => Assert.NotEmpty(s));
    }

    [Fact]
    public void Iid_DealsEqualDisjointShards_ThatCoverEverySample_AndRepeatWithTheSeed()
    {
        var shards = ClientPartition.Iid(1438, 10, seed: 4);
        AssertDisjointAndCovering(shards, 1438);
        Assert.All(shards, s => Assert.InRange(s.Length, 143, 144));
        Assert.Equal(shards, ClientPartition.Iid(1438, 10, seed: 4));
        Assert.NotEqual(shards, ClientPartition.Iid(1438, 10, seed: 5));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(100)]
    public void DirichletLabelSkew_GivesDisjointNonEmptyShards_ThatCoverEverySample_AndRepeatWithTheSeed(double alpha)
    {
        var labels = DigitLabels;
        var shards = ClientPartition.DirichletLabelSkew(labels, 10, alpha, seed: 2);
        AssertDisjointAndCovering(shards, labels.Length);
        Assert.Equal(shards, ClientPartition.DirichletLabelSkew(labels, 10, alpha, seed: 2));
        Assert.NotEqual(shards, ClientPartition.DirichletLabelSkew(labels, 10, alpha, seed: 3));
    }

    /// <summary>
    /// 30 samples of 2 classes over 25 clients at α = 0.05: each class goes almost whole to one or
    /// two clients, so most clients come out of the draw empty and the repair must fill every one.
    /// </summary>
    [Fact]
    public void DirichletLabelSkew_FillsClientsTheDrawLeftEmpty()
    {
        int[] labels = [.. Enumerable.Range(0, 30).Select(i => i % 2)];
        for (ulong seed = 0; seed < 20; seed++)
        {
            var shards = ClientPartition.DirichletLabelSkew(labels, 25, 0.05, seed);
            AssertDisjointAndCovering(shards, labels.Length);
        }
    }

    /// <summary>
    /// Skew measured as the mean, over clients, of the total-variation distance between a client's
    /// label mix and the whole set's (0 for a perfect IID share, near 0.9 for one class of ten),
    /// averaged over five seeds.
    /// </summary>
    [Fact]
    public void DirichletLabelSkew_SkewsMoreAsAlphaShrinks()
    {
        var labels = DigitLabels;
        double Skew(double alpha) => Enumerable.Range(0, 5).Average(seed =>
            MeanLabelDistance(ClientPartition.DirichletLabelSkew(labels, 10, alpha, (ulong)seed), labels));
        double iid = MeanLabelDistance(ClientPartition.Iid(labels.Length, 10, seed: 0), labels);
        double[] skews = [Skew(100), Skew(1), Skew(0.5), Skew(0.1)];
        Assert.True(iid < 0.1 && skews[0] < 0.1, $"IID {iid}, alpha 100 {skews[0]}");
        for (int i = 1; i < skews.Length; i++)
            Assert.True(skews[i] > skews[i - 1], $"skew at alpha 100, 1, 0.5, 0.1: {string.Join(", ", skews)}");
        Assert.True(skews[^1] > 0.5, $"alpha 0.1 leaves most clients with few classes, skew {skews[^1]}");
    }

    internal static double MeanLabelDistance(int[][] shards, int[] labels)
    {
        int classes = labels.Max() + 1;
        var whole = new double[classes];
        foreach (int label in labels) whole[label] += 1.0 / labels.Length;
        return shards.Average(shard =>
        {
            var mix = new double[classes];
            foreach (int i in shard) mix[labels[i]] += 1.0 / shard.Length;
            return 0.5 * mix.Zip(whole, (a, b) => Math.Abs(a - b)).Sum();
        });
    }

    [Fact]
    public void BadSettings_AreRefused_NamingTheValue()
    {
        Assert.Contains("got 11", Assert.Throws<ArgumentOutOfRangeException>(() => ClientPartition.Iid(10, 11, 0)).Message);
        Assert.Contains("got 0", Assert.Throws<ArgumentOutOfRangeException>(() => ClientPartition.DirichletLabelSkew([0, 1, 1], 2, 0, 0)).Message);
        Assert.Contains("label -1 of sample 1", Assert.Throws<ArgumentException>(() => ClientPartition.DirichletLabelSkew([0, -1, 1], 2, 1, 0)).Message);
    }
}
