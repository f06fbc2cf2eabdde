using Nabla.Selection;

namespace Nabla.Tests.Selection;

/// <summary>
/// The state file: a search interrupted part way and run again ends with the leaderboard of an
/// uninterrupted one; a file saved by another search is refused; parallel trials give the same
/// trials whatever order they finish in.
/// </summary>
[Collection("Parallelism")] // Parallel trials share out the kernels' threads while they run.
public sealed class SearchResumeTests : TemporaryFolder
{
    private static readonly SearchSpace Space = SyntheticObjectives.QuadraticSpace();

    public static TheoryData<string> Searches => ["random", "tpe", "halving", "hyperband"];

    private HyperparameterSearch Search(string kind, string? statePath, int parallelism = 1)
    {
        var pruner = new MedianPruner { StartupTrials = 3, WarmupSteps = 1 };
        return kind switch
        {
            "random" => new RandomSearch(20) { Seed = 4, StatePath = statePath, Pruner = pruner, MaxBudget = 5, DegreeOfParallelism = parallelism },
            "tpe" => new TpeSearch(25) { Seed = 4, StatePath = statePath, Pruner = pruner, MaxBudget = 5, DegreeOfParallelism = parallelism },
            "halving" => new SuccessiveHalving { Seed = 4, StatePath = statePath, MaxBudget = 9, DegreeOfParallelism = parallelism },
            _ => new Hyperband { Seed = 4, StatePath = statePath, MaxBudget = 9, DegreeOfParallelism = parallelism },
        };
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void AnInterruptedSearchResumes_AndEndsWithTheUninterruptedLeaderboard(string kind)
    {
        var uninterrupted = Search(kind, statePath: null).Run(Space, SyntheticObjectives.Quadratic);

        string state = PathOf("search.json");
        using var stop = new CancellationTokenSource();
        int calls = 0;
        var interrupted = Search(kind, state).Run(Space, trial =>
        {
            if (++calls == 7) stop.Cancel();
            return SyntheticObjectives.Quadratic(trial);
        }, stop.Token);
        Assert.False(interrupted.IsFinished);
        Assert.Equal(7, interrupted.Trials.Count);

        int rerun = 0;
        var resumed = Search(kind, state).Run(Space, trial =>
        {
            rerun++;
            return SyntheticObjectives.Quadratic(trial);
        });
        Assert.True(resumed.IsFinished);
        Assert.Equal(uninterrupted.Trials.Count - 7, rerun); // the saved trials are not run again
        Assert.Equal(SyntheticObjectives.Summary(uninterrupted), SyntheticObjectives.Summary(resumed));
        Assert.Equal(uninterrupted.Leaderboard.Select(t => t.Number), resumed.Leaderboard.Select(t => t.Number));
        Assert.Equal(uninterrupted.Best!.Number, resumed.Best!.Number);

        // A finished state replays everything and runs nothing.
        var replayed = Search(kind, state).Run(Space, _ => throw new InvalidOperationException("nothing should run"));
        Assert.Equal(SyntheticObjectives.Summary(uninterrupted), SyntheticObjectives.Summary(replayed));
    }

    [Fact]
    public void AStateSavedByAnotherSearchIsRefused()
    {
        string state = PathOf("search.json");
        new RandomSearch(3) { Seed = 1, StatePath = state }.Run(Space, SyntheticObjectives.Quadratic);

        var otherSeed = Assert.Throws<InvalidDataException>(() => new RandomSearch(3) { Seed = 2, StatePath = state }.Run(Space, SyntheticObjectives.Quadratic));
        Assert.Contains("its seed is \"1\", this search's is \"2\"", otherSeed.Message);
        var otherKind = Assert.Throws<InvalidDataException>(() => new TpeSearch(3) { Seed = 1, StatePath = state }.Run(Space, SyntheticObjectives.Quadratic));
        Assert.Contains("its search is \"random\"", otherKind.Message);
        var otherSpace = Assert.Throws<InvalidDataException>(() =>
            new RandomSearch(3) { Seed = 1, StatePath = state }.Run(SearchSpace.Parse("lr=1e-5..1:log"), SyntheticObjectives.Quadratic));
        Assert.Contains("its space is", otherSpace.Message);
    }

    [Fact]
    public void ARandomSearchWithMoreTrialsExtendsASavedOne()
    {
        string state = PathOf("search.json");
        new RandomSearch(5) { Seed = 1, StatePath = state }.Run(Space, SyntheticObjectives.Quadratic);
        int ran = 0;
        var extended = new RandomSearch(8) { Seed = 1, StatePath = state }.Run(Space, trial => { ran++; return SyntheticObjectives.Quadratic(trial); });
        Assert.Equal(3, ran);
        Assert.Equal(SyntheticObjectives.Summary(new RandomSearch(8) { Seed = 1 }.Run(Space, SyntheticObjectives.Quadratic)), SyntheticObjectives.Summary(extended));
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void ParallelTrialsGiveTheSameTrialsWhateverOrderTheyFinishIn(string kind)
    {
        // Trial n sleeps (n · 7 mod 5) ms, then, in the second run, (4 − that): opposite finishing orders.
        SearchResult RunWithDelays(bool reversed) => Search(kind, null, parallelism: 3).Run(Space, trial =>
        {
            int delay = trial.Number * 7 % 5;
            Thread.Sleep(reversed ? 4 - delay : delay);
            return SyntheticObjectives.Quadratic(trial);
        });
        var first = RunWithDelays(reversed: false);
        var second = RunWithDelays(reversed: true);
        Assert.Equal(SyntheticObjectives.Summary(first), SyntheticObjectives.Summary(second));
    }

    [Fact]
    public void AFailingTrialIsRecorded_AndTheSearchGoesOn()
    {
        var result = new RandomSearch(6) { Seed = 2 }.Run(Space, trial =>
            trial.Number == 2 ? throw new InvalidOperationException("the loss became NaN at epoch 3")
            : trial.Number == 4 ? double.NaN
            : SyntheticObjectives.Quadratic(trial));
        Assert.Equal(TrialState.Failed, result.Trials[2].State);
        Assert.Equal("InvalidOperationException: the loss became NaN at epoch 3", result.Trials[2].Error);
        Assert.Equal(TrialState.Failed, result.Trials[4].State);
        Assert.Contains("NaN", result.Trials[4].Error);
        Assert.Equal([2, 4], result.Leaderboard.TakeLast(2).Select(t => t.Number));
        Assert.Equal(4, result.Trials.Count(t => t.State == TrialState.Complete));
    }

    [Fact]
    public void TrialEnded_HearsOfEveryTrialOnce_ReplayedOnesIncluded_AsTheyEnd()
    {
        string state = PathOf("followed.json");
        using var stop = new CancellationTokenSource();
        var heard = new List<int>();
        int calls = 0;
        var first = new RandomSearch(12) { Seed = 2, StatePath = state, DegreeOfParallelism = 3, TrialEnded = record => heard.Add(record.Number) }
            .Run(Space, trial =>
            {
                if (Interlocked.Increment(ref calls) == 5) stop.Cancel();
                return SyntheticObjectives.Quadratic(trial);
            }, stop.Token);
        // The batch that was running when the search stopped finished; each trial was heard of as it ended.
        Assert.Equal(first.Trials.Select(t => t.Number).Order(), heard.Order());

        var resumedHeard = new List<TrialRecord>();
        var resumed = new RandomSearch(12) { Seed = 2, StatePath = state, DegreeOfParallelism = 3, TrialEnded = resumedHeard.Add }.Run(Space, SyntheticObjectives.Quadratic);
        Assert.Equal(Enumerable.Range(0, 12), resumedHeard.Select(t => t.Number).Order());
        Assert.Equal(resumed.Trials.Select(t => t.Score), resumedHeard.OrderBy(t => t.Number).Select(t => t.Score));
    }
}
