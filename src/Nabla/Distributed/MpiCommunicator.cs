using System.Runtime.InteropServices;

namespace Nabla.Distributed;

/// <summary>
/// The processes of a job started by <c>mpirun</c>, talking through Open MPI (3 or 4, libmpi.so.40):
/// the collectives go to MPI_Allreduce, MPI_Bcast and MPI_Allgather(v) on MPI_COMM_WORLD, so Open
/// MPI picks the transport (shared memory between processes of one machine, TCP or a fabric between
/// machines) and the algorithm.
/// </summary>
/// <remarks>
/// A thin binding of the dozen C calls needed, not NuGet's MPI.NET 1.4.0: that package targets
/// Microsoft's MS-MPI on Windows and brings object serialization and hundreds of calls with it.
/// <para>
/// MPI starts once per process: the first communicator calls MPI_Init_thread (unless the process
/// already did), and disposing the last one calls MPI_Finalize, after which MPI cannot start
/// again in that process. Dispose it before the process ends: mpirun reports a rank that exits
/// without finalizing as failed. Calls from several threads are serialized by a lock.
/// </para>
/// <para>
/// Reductions are MPI's own: for a given job size and message length Open MPI repeats its
/// reduction order, so a run repeats bit for bit, but sums may be grouped differently than a
/// loop over the ranks would group them.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // mpirun -np 4 dotnet app.dll
/// using Communicator comm = Communicator.FromEnvironment();
/// double[] count = [1];
/// comm.AllReduce(count); // 4 on every rank
/// </code>
/// </example>
public sealed unsafe class MpiCommunicator : Communicator
{
    /// <summary>Serializes MPI calls and guards the process-wide start and end of MPI.</summary>
    private static readonly object Gate = new();
    private static int _liveCommunicators;
    private static bool _startedHere;
    private static bool _finalized;

    private readonly MpiNative.Handles _mpi;
    private readonly int _rank;
    private readonly int _size;
    private bool _disposed;

    /// <summary>
    /// The largest element count handed to one MPI call; longer messages go in pieces, since MPI
    /// counts are C ints. Lowered only by tests, to exercise the pieces with small messages.
    /// </summary>
    internal static int MaxElementsPerCall { get; set; } = int.MaxValue;

    /// <summary>Joins the job: starts MPI in this process if it has not started yet, and reads this process's rank and the job's size.</summary>
    /// <exception cref="DllNotFoundException">Open MPI's libmpi.so.40 is not installed.</exception>
    /// <exception cref="InvalidOperationException">MPI was already finalized in this process, or failed to start.</exception>
    public MpiCommunicator()
    {
        lock (Gate)
        {
            if (_finalized)
                throw new InvalidOperationException("MpiCommunicator: MPI was finalized in this process and cannot start again; keep one communicator for the whole run.");
            _mpi = MpiNative.Predefined;
            int initialized, provided, rank, size;
            Check(MpiNative.MPI_Initialized(&initialized), "MPI_Initialized");
            if (initialized == 0)
            {
                Check(MpiNative.MPI_Init_thread(null, null, MpiNative.ThreadSerialized, &provided), "MPI_Init_thread");
                _startedHere = true;
            }
            Check(MpiNative.MPI_Comm_rank(_mpi.CommWorld, &rank), "MPI_Comm_rank");
            Check(MpiNative.MPI_Comm_size(_mpi.CommWorld, &size), "MPI_Comm_size");
            (_rank, _size) = (rank, size);
            _liveCommunicators++;
        }
    }

    /// <inheritdoc/>
    public override int Rank => _rank;

    /// <inheritdoc/>
    public override int Size => _size;

    /// <inheritdoc/>
    public override void AllReduce(Span<float> values, ReduceOperation operation = ReduceOperation.Sum) =>
        AllReduce(MemoryMarshal.AsBytes(values), values.Length, sizeof(float), _mpi.Float, operation);

    /// <inheritdoc/>
    public override void AllReduce(Span<double> values, ReduceOperation operation = ReduceOperation.Sum) =>
        AllReduce(MemoryMarshal.AsBytes(values), values.Length, sizeof(double), _mpi.Double, operation);

    /// <inheritdoc/>
    public override void AllReduce(Span<long> values, ReduceOperation operation = ReduceOperation.Sum) =>
        AllReduce(MemoryMarshal.AsBytes(values), values.Length, sizeof(long), _mpi.Int64, operation);

    private void AllReduce(Span<byte> bytes, int count, int elementSize, nint datatype, ReduceOperation operation)
    {
        nint op = _mpi.Op(operation);
        lock (Gate)
        {
            CheckNotDisposed();
            fixed (byte* start = bytes)
            {
                for (long done = 0; done < count; done += MaxElementsPerCall)
                {
                    int piece = (int)Math.Min(MaxElementsPerCall, count - done);
                    Check(MpiNative.MPI_Allreduce((void*)MpiNative.InPlace, start + done * elementSize, piece, datatype, op, _mpi.CommWorld), "MPI_Allreduce");
                }
            }
        }
    }

    /// <inheritdoc/>
    public override void Broadcast(Span<byte> data, int root = 0)
    {
        CheckRoot(root);
        lock (Gate)
        {
            CheckNotDisposed();
            fixed (byte* start = data)
            {
                for (long done = 0; done < data.Length; done += MaxElementsPerCall)
                {
                    int piece = (int)Math.Min(MaxElementsPerCall, data.Length - done);
                    Check(MpiNative.MPI_Bcast(start + done, piece, _mpi.Byte, root, _mpi.CommWorld), "MPI_Bcast");
                }
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The lengths are gathered first; then the bytes go in rounds, each rank sending at most
    /// <see cref="MaxElementsPerCall"/> / <see cref="Size"/> bytes a round, so that every count and
    /// offset of MPI_Allgatherv fits its C int.
    /// </remarks>
    public override byte[][] AllGather(ReadOnlySpan<byte> mine)
    {
        lock (Gate)
        {
            CheckNotDisposed();
            long[] lengths = new long[_size];
            long myLength = mine.Length;
            fixed (long* all = lengths)
                Check(MpiNative.MPI_Allgather(&myLength, 1, _mpi.Int64, all, 1, _mpi.Int64, _mpi.CommWorld), "MPI_Allgather");
            var gathered = lengths.Select(length => new byte[length]).ToArray();
            long longest = lengths.Max();
            long perRound = Math.Max(1, MaxElementsPerCall / _size);
            int[] counts = new int[_size], offsets = new int[_size];
            for (long done = 0; done < longest; done += perRound)
            {
                int total = 0;
                for (int r = 0; r < _size; r++)
                {
                    counts[r] = (int)Math.Clamp(lengths[r] - done, 0, perRound);
                    offsets[r] = total;
                    total += counts[r];
                }
                byte[] round = new byte[total];
                fixed (byte* send = mine[(int)Math.Min(done, mine.Length)..])
                fixed (byte* receive = round)
                fixed (int* countsPointer = counts, offsetsPointer = offsets)
                    Check(MpiNative.MPI_Allgatherv(send, counts[_rank], _mpi.Byte, receive, countsPointer, offsetsPointer, _mpi.Byte, _mpi.CommWorld), "MPI_Allgatherv");
                for (int r = 0; r < _size; r++)
                    if (counts[r] > 0) round.AsSpan(offsets[r], counts[r]).CopyTo(gathered[r].AsSpan((int)done));
            }
            return gathered;
        }
    }

    /// <inheritdoc/>
    public override void Barrier()
    {
        lock (Gate)
        {
            CheckNotDisposed();
            Check(MpiNative.MPI_Barrier(_mpi.CommWorld), "MPI_Barrier");
        }
    }

    /// <summary>
    /// Writes "Rank R of N aborted the job (exit code C): reason" to standard error and ends every
    /// process of the job through MPI_Abort; mpirun then exits with <paramref name="exitCode"/>. It never returns.
    /// </summary>
    public override void Abort(int exitCode, string reason)
    {
        if (reason.Length > 0) Console.Error.WriteLine($"Rank {_rank} of {_size} aborted the job (exit code {exitCode}): {reason}");
        Console.Error.Flush();
        // No lock: another thread of this rank may be blocked inside a collective, holding it.
        MpiNative.MPI_Abort(_mpi.CommWorld, exitCode);
        // MPI_Abort does not return; should an MPI ever return from it, this process still ends as promised.
        Environment.Exit(exitCode);
    }

    /// <summary>Leaves the job; the last communicator of the process to go calls MPI_Finalize (when this process started MPI).</summary>
    protected override void Dispose(bool disposing)
    {
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (--_liveCommunicators > 0 || !_startedHere) return;
            _finalized = true;
            Check(MpiNative.MPI_Finalize(), "MPI_Finalize");
        }
    }

    private void CheckNotDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static void Check(int code, string call)
    {
        // Under MPI's default error handler (MPI_ERRORS_ARE_FATAL) a failing call ends the job
        // itself; this catches a library or a setting that returns the error instead.
        if (code != MpiNative.Success)
            throw new InvalidOperationException($"MpiCommunicator: {call} failed with MPI error code {code}.");
    }
}
