using System.Diagnostics;

namespace Nabla.Kernels;

/// <summary>
/// One background thread of a <see cref="KernelThreadPool"/>: it sleeps until a caller hands it a
/// <see cref="KernelJob"/>, helps run that job's pieces, and is free again.
/// </summary>
/// <remarks>
/// A free worker spins for a few microseconds before it sleeps: the kernels of one training step
/// come one after another, and a worker still awake from the last call joins the next one at once,
/// without the caller paying for a wake-up. Beyond that it blocks, so an idle pool takes no core
/// from other programs.
/// </remarks>
internal sealed class KernelWorker
{
    /// <summary>How long a worker that has just finished stays awake for the next call.</summary>
    private static readonly long IdleSpinTicks = Stopwatch.Frequency * 50 / 1_000_000;

    private readonly SemaphoreSlim _wake = new(0);
    private readonly ContentionBackoff _backoff;
    private KernelJob? _job;
    private int _free = 1;
    private int _sleeping;
    private volatile bool _stopping;

    public KernelWorker(string name, ContentionBackoff backoff)
    {
        _backoff = backoff;
        var thread = new Thread(Loop) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>Reserves this worker for one job; false when it is busy with (or still waking up for) another.</summary>
    public bool TryReserve() => Volatile.Read(ref _free) == 1 && Interlocked.CompareExchange(ref _free, 0, 1) == 1;

    /// <summary>Hands a reserved worker its job, waking it if it sleeps.</summary>
    public void Assign(KernelJob job)
    {
        Volatile.Write(ref _job, job);
        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            _wake.Release();
    }

    /// <summary>Ends the thread once it is free (for a pool that is disposed).</summary>
    public void Stop()
    {
        _stopping = true;
        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            _wake.Release();
    }

    private void Loop()
    {
        KernelThreadPool.EnterPiece();
        while (WaitForJob() is { } job)
        {
            _job = null;
            _backoff.Arrived(job.HandedOutAt);
            job.RunPieces();
            job.Release(byCaller: false);
            Volatile.Write(ref _free, 1);
        }
    }

    /// <summary>The next job, or null when the worker is to stop.</summary>
    private KernelJob? WaitForJob()
    {
        long deadline = Stopwatch.GetTimestamp() + IdleSpinTicks;
        while (true)
        {
            if (Volatile.Read(ref _job) is { } job)
                return job;
            if (_stopping)
                return null;
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(20);
                continue;
            }
            // Announce the sleep, then look once more: a caller that assigns after the announcement
            // sees it and releases the semaphore; one that assigned before is seen here. If a caller
            // took the announcement back already, its release is on the way and is consumed.
            Interlocked.Exchange(ref _sleeping, 1);
            if ((Volatile.Read(ref _job) is null && !_stopping) || Interlocked.Exchange(ref _sleeping, 0) == 0)
                _wake.Wait();
            deadline = Stopwatch.GetTimestamp() + IdleSpinTicks;
        }
    }
}
