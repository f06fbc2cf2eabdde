using Nabla.Data;

namespace Nabla.Tests.Data;

public sealed class InteractionSplitsTests
{
    [Fact]
    public void LeaveKOutPerUser_HoldsOutKOfEachUserWithMore_AndKeepsSmallUsersWhole()
    {
        // User "a" has 5 rows, "b" 3, "c" 2 (= k), "d" 1.
        string[] users = ["a", "b", "a", "c", "a", "b", "d", "a", "c", "b", "a"];

        var split = InteractionSplits.LeaveKOutPerUser(users, k: 2, randomState: 7);

        Assert.Equal(11, split.NSamples);
        Assert.Equal(Enumerable.Range(0, 11), split.Train.Concat(split.Test).Order());
        Assert.Equal(split.Test.Order(), split.Test);
        var tested = split.Test.GroupBy(row => users[row]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 2 }, tested);
        // Every tested user keeps interactions in training.
        Assert.All(tested.Keys, user => Assert.Contains(split.Train, row => users[row] == user));
        // The same seed gives the same split; another seed may choose other rows but the same counts.
        Assert.Equal(split.Test, InteractionSplits.LeaveKOutPerUser(users, k: 2, randomState: 7).Test);
        var seeds = Enumerable.Range(0, 20).Select(seed => string.Join(',', InteractionSplits.LeaveKOutPerUser(users, 2, (ulong)seed).Test)).Distinct().Count();
        Assert.True(seeds > 1, "the rows held out should depend on the seed");
    }

    [Fact]
    public void ByTime_TestsOnTheLatestRows_AndNeverSplitsATime()
    {
        double[] times = [5, 1, 9, 3, 9, 7, 2, 8];

        var split = InteractionSplits.ByTime(times, testSize: 0.25);

        // The latest quarter (2 rows) is the two rows at time 9.
        Assert.Equal([2, 4], split.Test);
        Assert.Equal([0, 1, 3, 5, 6, 7], split.Train);
        // Asking for 2 of these rows reaches time 7, which three rows share: all three join the test part.
        double[] tied = [1, 2, 7, 7, 7, 9];
        Assert.Equal([2, 3, 4, 5], InteractionSplits.ByTime(tied, testSize: 2).Test);
        Assert.True(split.Train.Max(row => times[row]) < split.Test.Min(row => times[row]));
    }

    [Fact]
    public void BadInputs_AreRefusedNamingThem()
    {
        Assert.Contains("no user has more than 1 interaction", Assert.Throws<ArgumentException>(() => InteractionSplits.LeaveKOutPerUser(new[] { 1, 2, 3 })).Message);
        Assert.Contains("k must be at least 1, got 0", Assert.Throws<ArgumentException>(() => InteractionSplits.LeaveKOutPerUser(new[] { 1, 1 }, 0)).Message);
        Assert.Contains("row 1 has time NaN", Assert.Throws<ArgumentException>(() => InteractionSplits.ByTime([1, double.NaN, 3])).Message);
        Assert.Contains("no row is left to train on", Assert.Throws<ArgumentException>(() => InteractionSplits.ByTime([4, 4, 4, 4], 0.5)).Message);
        Assert.Contains("there are no rows", Assert.Throws<ArgumentException>(() => InteractionSplits.ByTime([])).Message);
    }
}
