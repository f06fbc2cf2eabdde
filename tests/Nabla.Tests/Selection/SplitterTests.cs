using Nabla.Selection;

namespace Nabla.Tests.Selection;

/// <summary>
/// What every splitter promises whatever its random stream: folds disjoint and covering, class counts
/// as unshuffled when shuffled, the same folds from the same seed and others from another; and the
/// errors for impossible splits, as scikit-learn raises them.
/// </summary>
public class SplitterTests
{
    private static readonly int[] s_labels = [.. Enumerable.Range(0, 47).Select(i => i % 7 == 0 ? 2 : i % 3 == 0 ? 1 : 0)];

    public static TheoryData<string> Shuffled() => ["KFold", "StratifiedKFold"];

    private static IReadOnlyList<Fold> ShuffledFolds(string splitter, ulong seed) => splitter == "KFold"
        ? new KFold(5, shuffle: true, randomState: seed).Split(s_labels.Length)
        : new StratifiedKFold(5, shuffle: true, randomState: seed).Split(s_labels.Length, s_labels);

    [Theory]
    [MemberData(nameof(Shuffled))]
    public void ShuffledKFolds_TestEverySampleOnce_AndTrainOnTheRest(string splitter)
    {
        var folds = ShuffledFolds(splitter, 7);
        Assert.Equal(5, folds.Count);
        var tested = folds.SelectMany(f => f.Test).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, s_labels.Length), tested);
        foreach (var fold in folds)
        {
            Assert.Empty(fold.Train.Intersect(fold.Test));
            Assert.Equal(s_labels.Length, fold.Train.Length + fold.Test.Length);
            Assert.True(fold.Train.SequenceEqual(fold.Train.Order()) && fold.Test.SequenceEqual(fold.Test.Order()), "indices come back ascending, as scikit-learn's");
            Assert.InRange(fold.Test.Length, s_labels.Length / 5, s_labels.Length / 5 + 1);
        }
    }

    [Theory]
    [MemberData(nameof(Shuffled))]
    public void ShuffledFolds_RepeatWithTheSeed_AndDifferWithAnother(string splitter)
    {
        var first = ShuffledFolds(splitter, 3);
        var again = ShuffledFolds(splitter, 3);
        var other = ShuffledFolds(splitter, 4);
        Assert.True(first.Zip(again).All(p => p.First.Test.SequenceEqual(p.Second.Test)));
        Assert.False(first.Zip(other).All(p => p.First.Test.SequenceEqual(p.Second.Test)));
        var unshuffled = splitter == "KFold" ? new KFold(5).Split(s_labels.Length) : new StratifiedKFold(5).Split(s_labels.Length, s_labels);
        Assert.False(first.Zip(unshuffled).All(p => p.First.Test.SequenceEqual(p.Second.Test)));
    }

    [Fact]
    public void ShuffledStratifiedKFold_KeepsTheUnshuffledClassCountsInEachFold()
    {
        var shuffled = ShuffledFolds("StratifiedKFold", 11);
        var unshuffled = new StratifiedKFold(5).Split(s_labels.Length, s_labels);
        for (int f = 0; f < 5; f++)
            for (int k = 0; k < 3; k++)
                Assert.Equal(unshuffled[f].Test.Count(i => s_labels[i] == k), shuffled[f].Test.Count(i => s_labels[i] == k));
    }

    [Fact]
    public void ShuffleSplit_DrawsTheSizesAsScikitLearn_FromTheSeed()
    {
        var splits = new ShuffleSplit(4, testSize: 0.25, randomState: 5).Split(30);
        Assert.Equal(4, splits.Count);
        foreach (var split in splits)
        {
            Assert.Equal(8, split.Test.Length);   // ceil(0.25 · 30)
            Assert.Equal(22, split.Train.Length);
            Assert.Equal(30, split.Train.Union(split.Test).Count());
        }
        Assert.False(splits[0].Test.Order().SequenceEqual(splits[1].Test.Order()), "each split shuffles afresh");
        Assert.Equal(splits[2].Test, new ShuffleSplit(4, testSize: 0.25, randomState: 5).Split(30)[2].Test);

        var byDefault = new ShuffleSplit(randomState: 1).Split(25);
        Assert.Equal(10, byDefault.Count);
        Assert.All(byDefault, s => Assert.Equal((3, 22), (s.Test.Length, s.Train.Length)));   // ceil(0.1 · 25) tested
        var bothSizes = new ShuffleSplit(2, testSize: 5, trainSize: 0.5).Split(20);
        Assert.All(bothSizes, s => Assert.Equal((5, 10), (s.Test.Length, s.Train.Length)));
        Assert.Empty(bothSizes[0].Train.Intersect(bothSizes[0].Test));
    }

    [Fact]
    public void FewerThanTwoSplits_IsRefused()
    {
        foreach (var make in new Func<object>[] { () => new KFold(1), () => new StratifiedKFold(0), () => new GroupKFold(1), () => new TimeSeriesSplit(1) })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(make);
            Assert.Contains("at least one train/test split", e.Message);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffleSplit(0));
    }

    [Fact]
    public void MoreSplitsThanSamplesOrGroups_IsRefused()
    {
        Assert.Contains("nSplits=5 greater than the number of samples: 4", Assert.Throws<ArgumentException>(() => new KFold(5).Split(4)).Message);
        Assert.Contains("greater than the number of groups: 2", Assert.Throws<ArgumentException>(() => new GroupKFold(3).Split(["a", "a", "b", "b"])).Message);
        Assert.Contains("number of folds=6", Assert.Throws<ArgumentException>(() => new TimeSeriesSplit(5).Split(5)).Message);
        Assert.Contains("too many splits=3", Assert.Throws<ArgumentException>(() => new TimeSeriesSplit(3, testSize: 4, gap: 2).Split(14)).Message);
    }

    [Fact]
    public void StratifiedKFold_RefusesWhenEveryClassIsSmallerThanTheFolds_AndGoesOnWhenOnlySomeAre()
    {
        var e = Assert.Throws<ArgumentException>(() => new StratifiedKFold(4).Split(["a", "a", "a", "b", "b", "b"]));
        Assert.Contains("nSplits=4 cannot be greater than the number of members in each class", e.Message);
        // scikit-learn warns here; Nabla splits, and the rare class is tested in two folds only.
        var folds = new StratifiedKFold(3).Split(["a", "a", "a", "a", "b", "b"]);
        Assert.Equal(2, folds.Count(f => f.Test.Any(i => i >= 4)));
    }

    [Fact]
    public void MissingOrMismatchedLabelsAndGroups_AreNamed()
    {
        Assert.Contains("needs labels", Assert.Throws<ArgumentException>(() => new StratifiedKFold(2).Split(10)).Message);
        Assert.Contains("groups has 3 values, but there are 4 samples", Assert.Throws<ArgumentException>(() => new GroupKFold(2).Split(4, groups: new[] { 0, 1, 2 })).Message);
    }

    [Fact]
    public void BadSizes_AreRefused_NamingTheSplitter()
    {
        Assert.Contains("ShuffleSplit: testSize=1.5", Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffleSplit(testSize: 1.5).Split(10)).Message);
        Assert.Contains("ShuffleSplit: trainSize + testSize = 12", Assert.Throws<ArgumentException>(() => new ShuffleSplit(testSize: 6, trainSize: 6).Split(10)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeSeriesSplit(3, gap: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeSeriesSplit(3, testSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeSeriesSplit(3, maxTrainSize: 0));
    }
}
