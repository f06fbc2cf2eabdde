using System.Diagnostics;
using Nabla.Kernels;

namespace Nabla.Selection;

/// <summary>
/// One run of a <see cref="HyperparameterSearch"/>: numbers the planned trials, runs them in batches
/// (replaying those a state file saved), and keeps the records the plan reads back.
/// </summary>
internal sealed class SearchRun(
    HyperparameterSearch search, SearchSpace space, Objective objective, IReadOnlyDictionary<int, TrialRecord> saved, CancellationToken cancellation)
{
    /// <summary>The stream of random numbers that seeds the objective's own randomness.</summary>
    private const int TrialSeedStream = 0;

    /// <summary>The stream a search draws trial <c>n</c>'s settings from (draw <c>n</c>).</summary>
    public const int SamplingStream = 1;

    /// <summary>The stream halving draws bracket <c>b</c>'s candidates from (draw <c>b</c>).</summary>
    public const int BracketStream = 2;

    private readonly List<TrialRecord> _trials = [];
    private readonly Lock _endedLock = new();
    private int _nextNumber;

    /// <summary>The search space.</summary>
    public SearchSpace Space => space;

    /// <summary>The direction of the scores.</summary>
    public SearchDirection Direction => search.Direction;

    /// <summary>How many trials run at once.</summary>
    public int DegreeOfParallelism => search.DegreeOfParallelism;

    /// <summary>Every trial finished so far, by number.</summary>
    public IReadOnlyList<TrialRecord> Trials => _trials;

    /// <summary>The records of the group run last, in the order it was planned.</summary>
    public IReadOnlyList<TrialRecord> LastGroup { get; private set; } = [];

    /// <summary>The number the next planned trial will get.</summary>
    public int NextNumber => _nextNumber;

    /// <summary>A generator for draw <paramref name="index"/> of <paramref name="stream"/>, fixed by the search's seed alone.</summary>
    public Generator Random(int stream, int index) => new(Seed(stream, index));

    /// <summary>Settings drawn from the prior: each parameter from its distribution, in the order of the space.</summary>
    public TrialParameters Sample(Generator random) => new(space, space.Parameters.Select(parameter => parameter.Value.Sample(random)).ToArray());

    /// <summary>Parameters for the search space with <paramref name="values"/> in its order.</summary>
    public TrialParameters Parameters(object[] values) => new(space, values);

    /// <summary>Runs <paramref name="group"/> in batches; false when cancelled before the group ended.</summary>
    public bool Execute(IReadOnlyList<TrialRequest> group)
    {
        var records = new List<TrialRecord>(group.Count);
        foreach (var batch in group.Chunk(search.DegreeOfParallelism))
        {
            if (cancellation.IsCancellationRequested) return false;
            var finished = RunBatch(batch);
            foreach (var record in finished.OfType<TrialRecord>())
            {
                _trials.Add(record);
                records.Add(record);
            }
            if (finished.Any(record => record is null)) return false;
        }
        LastGroup = records;
        return true;
    }

    /// <summary>The records of one batch, in order; null for a trial the cancellation stopped.</summary>
    private TrialRecord?[] RunBatch(TrialRequest[] batch)
    {
        // Pruning in this batch sees only earlier batches, whatever order this one finishes in.
        var earlier = _trials.ToArray();
        int first = _nextNumber;
        _nextNumber += batch.Length;
        var records = new TrialRecord?[batch.Length];
        var toRun = new List<int>();
        for (int i = 0; i < batch.Length; i++)
        {
            if (saved.TryGetValue(first + i, out var record)) records[i] = Ended(Replay(record, batch[i]));
            else toRun.Add(i);
        }
        if (toRun.Count == 1) records[toRun[0]] = RunTrial(first + toRun[0], batch[toRun[0]], earlier);
        else if (toRun.Count > 1) RunInParallel(toRun, i => records[i] = RunTrial(first + i, batch[i], earlier));
        if (toRun.Count > 0 && search.StatePath is { } path)
            SearchStateFile.Write(path, search, space, _trials.Concat(records.OfType<TrialRecord>()).OrderBy(record => record.Number).ToList());
        return records;
    }

    private static void RunInParallel(List<int> indices, Action<int> run)
    {
        int kernelThreads = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = Math.Max(1, kernelThreads / indices.Count);
        try
        {
            Parallel.ForEach(indices, new ParallelOptions { MaxDegreeOfParallelism = indices.Count }, run);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = kernelThreads;
        }
    }

    private TrialRecord Replay(TrialRecord record, TrialRequest request)
    {
        if (record.Budget != request.Budget || !record.Parameters.SameAs(request.Parameters))
            throw new InvalidDataException(
                $"{search.StatePath}: trial {record.Number} was saved with {record.Parameters} at budget {record.Budget}, " +
                $"but this search plans {request.Parameters} at budget {request.Budget}; the file belongs to another search.");
        return record;
    }

    private TrialRecord? RunTrial(int number, TrialRequest request, TrialRecord[] earlier)
    {
        var trial = new Trial(number, request.Parameters, request.Budget, Seed(TrialSeedStream, number),
            (running, step) => search.Pruner?.ShouldPrune(running, step, earlier, search.Direction) ?? false, cancellation);
        var clock = Stopwatch.StartNew();
        TrialState state;
        TrialScore? score = null;
        string? error = null;
        try
        {
            score = objective(trial);
            bool finite = double.IsFinite(score.Value.Value) && (score.Value.Std is not { } std || double.IsFinite(std));
            state = finite ? TrialState.Complete : TrialState.Failed;
            if (!finite)
            {
                error = $"the objective returned the score {score.Value.Value} (std {score.Value.Std})";
                score = null;
            }
        }
        catch (TrialPrunedException)
        {
            state = TrialState.Pruned;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return null; // Not finished: a resumed search runs it again.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One bad setting (a diverging learning rate, a shape that does not fit) must not end the search.
            state = TrialState.Failed;
            error = $"{e.GetType().Name}: {e.Message}";
        }
        return Ended(new TrialRecord(number, request.Parameters, request.Budget, state, score, clock.Elapsed, trial.IntermediateValues.ToArray(), error));
    }

    /// <summary>Tells <see cref="HyperparameterSearch.TrialEnded"/> of <paramref name="record"/>, one trial at a time, and returns it.</summary>
    private TrialRecord Ended(TrialRecord record)
    {
        if (search.TrialEnded is { } ended)
            lock (_endedLock) ended(record);
        return record;
    }

    /// <summary>The generator's SplitMix64 spreads these nearby seeds apart.</summary>
    private ulong Seed(int stream, int index) => search.Seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)stream << 40) ^ (uint)index;
}
