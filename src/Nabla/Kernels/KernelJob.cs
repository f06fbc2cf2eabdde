using System.Diagnostics;

namespace Nabla.Kernels;

/// <summary>
/// One parallel call of <see cref="KernelThreadPool"/>: the caller's fixed pieces, handed out one
/// at a time to whichever thread asks next.
/// </summary>
/// <remarks>
/// <para>
/// The caller and the workers it woke all run <see cref="RunPieces"/>, which claims the next piece
/// with an atomic increment until none is left. The pieces are the caller's, so who runs which one
/// changes no result. A worker that wakes after the last piece was claimed finds nothing and leaves:
/// the caller waits only for pieces that were claimed and are still running, never for a thread
/// that has not started.
/// </para>
/// <para>
/// Such a late worker may still touch the job after the caller has returned, so a job is reused
/// only once every thread that was handed it has let go (<see cref="Release"/>).
/// </para>
/// </remarks>
internal sealed class KernelJob
{
    /// <summary>
    /// How long the caller spins for the last running pieces before it blocks: about the time a
    /// small piece takes, so a call whose pieces end together costs no sleep and wake-up, while a
    /// piece whose thread was descheduled does not have the caller burn a core that the thread (or
    /// another program) could run on.
    /// </summary>
    private static readonly long FinishSpinTicks = Stopwatch.Frequency * 20 / 1_000_000;

    [ThreadStatic] private static KernelJob? t_cached;

    private readonly ManualResetEventSlim _allFinished = new(false, spinCount: 0);
    private Action<int>? _body;
    private int _pieceCount;
    private int _next;
    private int _finished;
    private int _references;
    private Exception? _error;

    /// <summary>When the caller handed the job to its workers (a <see cref="Stopwatch"/> timestamp).</summary>
    public long HandedOutAt { get; private set; }

    /// <summary>The calling thread's job, ready for <see cref="Start"/> (a new one if its last is still held by a late worker).</summary>
    public static KernelJob Rent()
    {
        KernelJob? job = t_cached;
        t_cached = null;
        return job ?? new KernelJob();
    }

    /// <summary>Opens the job for <paramref name="pieceCount"/> pieces of <paramref name="body"/>, held by the caller alone.</summary>
    public void Start(int pieceCount, Action<int> body)
    {
        _body = body;
        _pieceCount = pieceCount;
        _next = 0;
        _finished = 0;
        _error = null;
        _allFinished.Reset();
        HandedOutAt = Stopwatch.GetTimestamp();
        // Publishes the fields above before any worker is handed the job.
        Interlocked.Exchange(ref _references, 1);
    }

    /// <summary>One more thread (a woken worker) holds the job until it calls <see cref="Release"/>.</summary>
    public void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>
    /// Claims and runs pieces until none is left; returns how many this thread ran. After a piece
    /// has thrown, the remaining pieces are claimed but skipped, so the call ends soon.
    /// </summary>
    public int RunPieces()
    {
        int ran = 0;
        int count = _pieceCount;
        for (int piece = Interlocked.Increment(ref _next) - 1; piece < count; piece = Interlocked.Increment(ref _next) - 1)
        {
            if (Volatile.Read(ref _error) is null)
            {
                try
                {
                    _body!(piece);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                }
            }
            ran++;
            if (Interlocked.Increment(ref _finished) == count)
                _allFinished.Set();
        }
        return ran;
    }

    /// <summary>
    /// For the caller, once <see cref="RunPieces"/> found nothing left: waits until the pieces other
    /// threads claimed have finished, and returns the first exception a piece threw, if any.
    /// </summary>
    public Exception? WaitForClaimedPieces()
    {
        if (Volatile.Read(ref _finished) != _pieceCount)
        {
            long deadline = Stopwatch.GetTimestamp() + FinishSpinTicks;
            while (Volatile.Read(ref _finished) != _pieceCount && Stopwatch.GetTimestamp() < deadline)
                Thread.SpinWait(20);
            _allFinished.Wait();
        }
        Exception? error = _error;
        _body = null;
        _error = null;
        return error;
    }

    /// <summary>
    /// Lets go of the job. The caller's job goes back to its cache when no late worker still holds
    /// it; otherwise it is left to that worker and, after it, to the garbage collector.
    /// </summary>
    /// <param name="byCaller">Whether the calling thread is the one that started the job.</param>
    public void Release(bool byCaller)
    {
        if (Interlocked.Decrement(ref _references) == 0 && byCaller)
            t_cached = this;
    }
}
