using System.Runtime.ExceptionServices;

namespace Nabla.Kernels;

/// <summary>
/// The threads that run the pieces of Nabla's parallel kernels: background workers that sleep when
/// idle, created as calls first need them.
/// </summary>
/// <remarks>
/// <para>
/// Built for a machine shared with other programs. <c>Parallel.For</c> joins every worker it
/// queued, so a call of a few hundred microseconds waits a whole scheduler slice for a worker
/// whose core another program holds. Here the caller never waits for a thread that has not
/// started: it runs pieces itself, and once none is left to claim it waits only for pieces other
/// threads have claimed and are still running (see <see cref="KernelJob"/>). A worker busy with
/// another caller's job, or still on its way to an earlier one, is simply not asked.
/// </para>
/// <para>
/// A call made from inside a piece runs inline on that thread: the outer call already keeps the
/// threads busy. Independent callers on several user threads each get their own job; a worker
/// helps one job at a time.
/// </para>
/// <para>
/// When workers arrive late because other programs hold the cores, calls run on the caller alone
/// for a while (<see cref="ContentionBackoff"/>).
/// </para>
/// </remarks>
internal sealed class KernelThreadPool : IDisposable
{
    /// <summary>Whether this thread is running a piece of a call (a pool worker always is).</summary>
    [ThreadStatic] private static bool t_inPiece;

    /// <summary>
    /// The most workers a pool creates, whatever degree a caller asks for (NABLA_NUM_THREADS may say
    /// a million): four per core, and at least 64, is past any useful oversubscription, and each
    /// worker is a thread with its own stack for the life of the process.
    /// </summary>
    internal static int MaxWorkers { get; } = Math.Max(64, 4 * Environment.ProcessorCount);

    private readonly object _growing = new();
    private readonly ContentionBackoff _backoff = new();
    private KernelWorker[] _workers = [];

    /// <summary>The pool behind <see cref="Parallelism"/>.</summary>
    public static KernelThreadPool Shared { get; } = new();

    /// <summary>Whether the calling thread is inside a piece, where a nested call runs inline.</summary>
    public static bool InPiece => t_inPiece;

    /// <summary>Marks the calling thread as running pieces from now on (a worker, at its start).</summary>
    internal static void EnterPiece() => t_inPiece = true;

    /// <summary>Workers created so far.</summary>
    public int WorkerCount => Volatile.Read(ref _workers).Length;

    /// <summary>
    /// Runs <paramref name="body"/> once for each piece in [0, <paramref name="pieceCount"/>) on the
    /// calling thread and up to <paramref name="degree"/> − 1 free workers, and returns when every
    /// piece has run. The first exception a piece throws is rethrown here, after the other pieces
    /// have finished or been skipped.
    /// </summary>
    public void For(int pieceCount, int degree, Action<int> body)
    {
        KernelWorker[] workers = WorkersFor(degree - 1);
        KernelJob job = KernelJob.Rent();
        job.Start(pieceCount, body);
        int helpers = _backoff.RunAlone ? 0 : Math.Min(degree, pieceCount) - 1;
        for (int w = 0; w < workers.Length && helpers > 0; w++)
        {
            if (!workers[w].TryReserve())
                continue;
            job.AddReference();
            workers[w].Assign(job);
            helpers--;
        }
        t_inPiece = true;
        try
        {
            job.RunPieces();
        }
        finally
        {
            t_inPiece = false;
        }
        Exception? error = job.WaitForClaimedPieces();
        job.Release(byCaller: true);
        if (error is not null)
            ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>Stops the workers once they are free; the pool must not be called after this.</summary>
    public void Dispose()
    {
        foreach (KernelWorker worker in Volatile.Read(ref _workers))
            worker.Stop();
    }

    /// <summary>The workers, at least <paramref name="count"/> of them (created on first need).</summary>
    private KernelWorker[] WorkersFor(int count)
    {
        count = Math.Min(count, MaxWorkers);
        KernelWorker[] workers = Volatile.Read(ref _workers);
        if (workers.Length >= count)
            return workers;
        lock (_growing)
        {
            workers = _workers;
            if (workers.Length < count)
            {
                var grown = new KernelWorker[count];
                workers.CopyTo(grown, 0);
                for (int w = workers.Length; w < count; w++)
                    grown[w] = new KernelWorker($"Nabla kernel worker {w + 1}", _backoff);
                Volatile.Write(ref _workers, grown);
                workers = grown;
            }
            return workers;
        }
    }
}
