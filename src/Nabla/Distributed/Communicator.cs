using System.Runtime.InteropServices;

namespace Nabla.Distributed;

/// <summary>
/// A group of processes (ranks) that work on one job and exchange numbers: the collective
/// operations of MPI that data-parallel training and the distributed estimators need, behind one
/// small contract. Every rank of the group must call the same collectives in the same order with
/// the same lengths, as in MPI.
/// </summary>
/// <remarks>
/// Implementations: <see cref="SingleProcessCommunicator"/> (a group of one; every collective is a
/// copy or nothing), <see cref="ThreadGroupCommunicator"/> (ranks as threads of one process, for tests
/// and simulations; sums in rank order, so results repeat bit for bit), and the Open MPI binding for
/// processes started by <c>mpirun</c> (<see cref="MpiCommunicator"/>); <see cref="FromEnvironment"/> picks
/// the one that fits how the process was started.
/// <para>
/// A failure on one rank must not leave the others waiting forever: the thread group cancels its
/// peers, and under MPI <see cref="Abort"/> ends the whole job.
/// </para>
/// </remarks>
public abstract class Communicator : IDisposable
{
    /// <summary>
    /// Whether this process was started by Open MPI's <c>mpirun</c> (or <c>mpiexec</c>), which sets
    /// <c>OMPI_COMM_WORLD_SIZE</c> and <c>OMPI_COMM_WORLD_RANK</c> in each process it starts.
    /// </summary>
    public static bool LaunchedByMpirun =>
        int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE"), out _)
        && int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK"), out _);

    /// <summary>
    /// The group this process belongs to: an <see cref="MpiCommunicator"/> when it was started by
    /// <c>mpirun</c> (<see cref="LaunchedByMpirun"/>), otherwise a <see cref="SingleProcessCommunicator"/>,
    /// so the same program runs alone or as one rank of many. Dispose it before the process ends.
    /// </summary>
    /// <exception cref="DllNotFoundException">Started by mpirun, but Open MPI's libmpi.so.40 cannot be loaded.</exception>
    public static Communicator FromEnvironment() => LaunchedByMpirun ? new MpiCommunicator() : new SingleProcessCommunicator();

    /// <summary>This process's (or thread's) number in the group, from 0 to <see cref="Size"/> − 1.</summary>
    public abstract int Rank { get; }

    /// <summary>The number of ranks in the group (≥ 1).</summary>
    public abstract int Size { get; }

    /// <summary>Whether this is rank 0, the one that prints and writes files.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>Replaces each element of <paramref name="values"/>, on every rank, by its combination over the ranks.</summary>
    /// <param name="values">This rank's values in, the combined values out; the same length on every rank.</param>
    /// <param name="operation">How the values are combined.</param>
    public abstract void AllReduce(Span<float> values, ReduceOperation operation = ReduceOperation.Sum);

    /// <inheritdoc cref="AllReduce(Span{float}, ReduceOperation)"/>
    public abstract void AllReduce(Span<double> values, ReduceOperation operation = ReduceOperation.Sum);

    /// <inheritdoc cref="AllReduce(Span{float}, ReduceOperation)"/>
    public abstract void AllReduce(Span<long> values, ReduceOperation operation = ReduceOperation.Sum);

    /// <summary>Copies <paramref name="data"/> from rank <paramref name="root"/> into <paramref name="data"/> on every other rank.</summary>
    /// <param name="data">The root's bytes in; the other ranks' buffer of the same length, overwritten.</param>
    /// <param name="root">The rank whose bytes are sent.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="root"/> is not a rank of the group.</exception>
    public abstract void Broadcast(Span<byte> data, int root = 0);

    /// <summary>Copies <paramref name="values"/> from rank <paramref name="root"/> to every other rank.</summary>
    public void Broadcast(Span<float> values, int root = 0) => Broadcast(MemoryMarshal.AsBytes(values), root);

    /// <summary>Copies <paramref name="values"/> from rank <paramref name="root"/> to every other rank.</summary>
    public void Broadcast(Span<double> values, int root = 0) => Broadcast(MemoryMarshal.AsBytes(values), root);

    /// <summary>
    /// Gathers every rank's <paramref name="mine"/>, which may differ in length from rank to rank, on every rank.
    /// </summary>
    /// <param name="mine">This rank's bytes.</param>
    /// <returns>One array a rank, in rank order; element <see cref="Rank"/> is a copy of <paramref name="mine"/>.</returns>
    public abstract byte[][] AllGather(ReadOnlySpan<byte> mine);

    /// <summary>Waits until every rank has called it.</summary>
    public abstract void Barrier();

    /// <summary>
    /// Ends the whole group because this rank cannot go on: under MPI every process stops with
    /// <paramref name="exitCode"/>; in one process the other ranks' waits end with an exception.
    /// </summary>
    /// <param name="exitCode">The exit status the processes end with.</param>
    /// <param name="reason">What went wrong: under MPI written to standard error with the rank, unless empty (the caller has said it already).</param>
    public abstract void Abort(int exitCode, string reason);

    /// <summary>Throws unless <paramref name="root"/> is a rank of this group.</summary>
    protected void CheckRoot(int root)
    {
        if (root < 0 || root >= Size)
            throw new ArgumentOutOfRangeException(nameof(root), root, $"Communicator: the root must be a rank from 0 to {Size - 1}, got {root}.");
    }

    /// <summary>Releases what the communicator holds (an MPI library's state); collectives fail afterwards.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the communicator's resources.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>, false from a finalizer.</param>
    protected virtual void Dispose(bool disposing) { }
}
