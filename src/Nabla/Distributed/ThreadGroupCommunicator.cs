using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.ExceptionServices;

namespace Nabla.Distributed;

/// <summary>
/// Ranks as threads of one process: <see cref="Run"/> starts one thread a rank, each with its own
/// communicator, and the collectives exchange copies through shared memory. It runs code written for
/// many ranks without MPI, for tests and simulations (federated clients, say).
/// </summary>
/// <remarks>
/// Reductions combine the ranks' values in rank order (((r0 ∘ r1) ∘ r2) …), so a run repeats bit for
/// bit. When one rank throws, its peers' waits are cancelled and <see cref="Run"/> rethrows the
/// first failure, so a failing rank never leaves the others blocked.
/// </remarks>
/// <example>
/// <code>
/// double[] sums = ThreadGroupCommunicator.Run(4, comm =>
/// {
///     double[] mine = [comm.Rank];
///     comm.AllReduce(mine);
///     return mine[0]; // 0 + 1 + 2 + 3 on every rank
/// });
/// </code>
/// </example>
public sealed class ThreadGroupCommunicator : Communicator
{
    private readonly Group _group;
    private readonly int _rank;

    private ThreadGroupCommunicator(Group group, int rank) => (_group, _rank) = (group, rank);

    /// <inheritdoc/>
    public override int Rank => _rank;

    /// <inheritdoc/>
    public override int Size => _group.Size;

    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> threads, one a rank, and waits for all.</summary>
    /// <param name="size">The number of ranks (1 to 1024).</param>
    /// <param name="body">The work of one rank, given its communicator.</param>
    /// <returns>Each rank's result, in rank order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is out of range.</exception>
    /// <remarks>An exception thrown by a rank is rethrown here, after the other ranks have stopped.</remarks>
    public static T[] Run<T>(int size, Func<Communicator, T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (size < 1 || size > 1024)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"ThreadGroupCommunicator.Run: the number of ranks must be from 1 to 1024, got {size}.");
        var group = new Group(size);
        var results = new T[size];
        var failures = new Exception?[size];
        var threads = new Thread[size];
        for (int rank = 0; rank < size; rank++)
        {
            int r = rank;
            threads[r] = new Thread(() =>
            {
                try
                {
                    using var communicator = new ThreadGroupCommunicator(group, r);
                    results[r] = body(communicator);
                }
                catch (Exception exception)
                {
                    failures[r] = exception;
                    group.Cancel();
                }
            }) { Name = $"Nabla rank {r}", IsBackground = true };
            threads[r].Start();
        }
        foreach (var thread in threads) thread.Join();
        // The first rank that failed for a reason of its own, not because a peer's failure cancelled its wait.
        var first = failures.FirstOrDefault(f => f is not null and not OperationCanceledException) ?? failures.FirstOrDefault(f => f is not null);
        if (first is not null) ExceptionDispatchInfo.Throw(first);
        return results;
    }

    /// <inheritdoc/>
    public override void AllReduce(Span<float> values, ReduceOperation operation = ReduceOperation.Sum) => Combine(values, operation);

    /// <inheritdoc/>
    public override void AllReduce(Span<double> values, ReduceOperation operation = ReduceOperation.Sum) => Combine(values, operation);

    /// <inheritdoc/>
    public override void AllReduce(Span<long> values, ReduceOperation operation = ReduceOperation.Sum) => Combine(values, operation);

    /// <summary>Every rank's copy of <paramref name="values"/> combined in rank order into <paramref name="values"/>.</summary>
    private void Combine<T>(Span<T> values, ReduceOperation operation) where T : unmanaged, INumber<T>
    {
        T[][] all = _group.Exchange(_rank, values.ToArray());
        all[0].CopyTo(values);
        for (int r = 1; r < all.Length; r++)
        {
            CheckLength(all[r].Length, values.Length, r);
            switch (operation)
            {
                case ReduceOperation.Sum: TensorPrimitives.Add<T>(values, all[r], values); break;
                case ReduceOperation.Max: TensorPrimitives.Max<T>(values, all[r], values); break;
                default: TensorPrimitives.Min<T>(values, all[r], values); break;
            }
        }
        _group.Wait();
    }

    /// <inheritdoc/>
    public override void Broadcast(Span<byte> data, int root = 0)
    {
        CheckRoot(root);
        byte[][] all = _group.Exchange(_rank, _rank == root ? data.ToArray() : []);
        CheckLength(all[root].Length, data.Length, root);
        if (_rank != root) all[root].CopyTo(data);
        _group.Wait();
    }

    /// <inheritdoc/>
    public override byte[][] AllGather(ReadOnlySpan<byte> mine)
    {
        byte[][] all = _group.Exchange(_rank, mine.ToArray());
        var copies = all.Select(a => (byte[])a.Clone()).ToArray();
        _group.Wait();
        return copies;
    }

    /// <inheritdoc/>
    public override void Barrier() => _group.Wait();

    /// <summary>Cancels the other ranks' waits and throws <see cref="InvalidOperationException"/> with <paramref name="reason"/> on this one.</summary>
    public override void Abort(int exitCode, string reason)
    {
        _group.Cancel();
        throw new InvalidOperationException($"Rank {_rank} aborted the group (exit code {exitCode}): {reason}");
    }

    private void CheckLength(int theirs, int mine, int rank)
    {
        if (theirs != mine)
            throw new ArgumentException($"Communicator: rank {_rank} passed {mine} elements but rank {rank} passed {theirs}; every rank must pass the same length.");
    }

    /// <summary>What the ranks of one <see cref="Run"/> share: a barrier that a failure cancels, and one slot a rank.</summary>
    private sealed class Group(int size)
    {
        private readonly Barrier _barrier = new(size);
        private readonly CancellationTokenSource _cancel = new();
        private readonly object?[] _slots = new object?[size];

        public int Size => size;

        public void Cancel() => _cancel.Cancel();

        public void Wait() => _barrier.SignalAndWait(_cancel.Token);

        /// <summary>Puts this rank's array in its slot and, once every rank has, returns all of them; the caller must <see cref="Wait"/> when done reading.</summary>
        public T[][] Exchange<T>(int rank, T[] mine)
        {
            _slots[rank] = mine;
            Wait();
            var all = new T[size][];
            for (int r = 0; r < size; r++)
                all[r] = _slots[r] as T[] ?? throw new InvalidOperationException($"Communicator: rank {r} called a different collective than rank {rank}; every rank must call the same collectives in the same order.");
            return all;
        }
    }
}
