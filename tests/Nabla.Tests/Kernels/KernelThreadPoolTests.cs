using System.Collections.Concurrent;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// <see cref="KernelThreadPool"/>: every piece runs exactly once whoever claims it, a call never
/// waits for a worker that cannot start, and a piece's exception reaches the caller. Each test has
/// a pool of its own, so other tests' calls do not occupy its workers.
/// </summary>
public class KernelThreadPoolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    public void EveryPieceRunsExactlyOnce(int degree)
    {
        using var pool = new KernelThreadPool();
        foreach (int pieceCount in new[] { 1, 2, 3, 5, 8, 17, 64, 1000 })
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                var runs = new int[pieceCount];
                pool.For(pieceCount, degree, p => Interlocked.Increment(ref runs[p]));
                Assert.All(runs, count => Assert.Equal(1, count));
            }
        }
        Assert.Equal(degree - 1, pool.WorkerCount);
    }

    [Fact]
    public void AHugeDegree_RunsEveryPieceOnce_WithAtMostMaxWorkers()
    {
        // NABLA_NUM_THREADS=1000000 must not become a million threads.
        using var pool = new KernelThreadPool();
        var runs = new int[5000];
        pool.For(runs.Length, 1_000_000, p => Interlocked.Increment(ref runs[p]));
        Assert.All(runs, count => Assert.Equal(1, count));
        Assert.Equal(KernelThreadPool.MaxWorkers, pool.WorkerCount);
    }

    [Fact]
    public void ConcurrentCallers_EachRunEveryPieceOfTheirOwnCallOnce()
    {
        using var pool = new KernelThreadPool();
        const int Callers = 4, Calls = 200, Pieces = 37;
        var runs = new int[Callers, Calls, Pieces];
        var callers = Enumerable.Range(0, Callers).Select(c => new Thread(() =>
        {
            for (int call = 0; call < Calls; call++)
                pool.For(Pieces, 3, p => Interlocked.Increment(ref runs[c, call, p]));
        })).ToArray();
        foreach (var caller in callers) caller.Start();
        foreach (var caller in callers) Assert.True(caller.Join(Patience));
        Assert.All(runs.Cast<int>(), count => Assert.Equal(1, count));
    }

    [Fact]
    public void CallFinishesOnTheCallerAlone_WhenEveryWorkerIsBlocked()
    {
        using var pool = new KernelThreadPool();
        using var gate = new ManualResetEventSlim();
        using var workersInside = new CountdownEvent(2);
        bool workersJoined = false;
        // The first caller's three pieces hold its thread and both workers: its own piece waits
        // until the two workers are inside theirs, and theirs wait at the gate.
        var blocker = new Thread(() => pool.For(3, 3, _ =>
        {
            if (Thread.CurrentThread.Name?.StartsWith("Nabla kernel worker", StringComparison.Ordinal) == true)
            {
                workersInside.Signal();
                gate.Wait();
            }
            else
            {
                workersJoined = workersInside.Wait(Patience);
            }
        }));
        blocker.Start();
        Assert.True(workersInside.Wait(Patience), "both workers should have joined the first call");

        int caller = Environment.CurrentManagedThreadId;
        var threads = new ConcurrentBag<int>();
        pool.For(50, 3, _ => threads.Add(Environment.CurrentManagedThreadId));

        Assert.False(gate.IsSet);
        Assert.Equal(50, threads.Count);
        Assert.All(threads, thread => Assert.Equal(caller, thread));
        gate.Set();
        Assert.True(blocker.Join(Patience));
        Assert.True(workersJoined);
        Assert.Equal(2, pool.WorkerCount);
    }

    [Fact]
    public void ExceptionInAPiece_ReachesTheCaller_AfterTheOtherPiecesStopped()
    {
        using var pool = new KernelThreadPool();
        int running = 0;
        var error = Assert.Throws<InvalidOperationException>(() => pool.For(200, 2, p =>
        {
            Interlocked.Increment(ref running);
            if (p == 37) throw new InvalidOperationException("piece 37 failed");
            Thread.SpinWait(100);
            Interlocked.Decrement(ref running);
        }));
        Assert.Equal("piece 37 failed", error.Message);
        // Only the failed piece never finished: none is still running when the call has thrown.
        Assert.Equal(1, Volatile.Read(ref running));

        var runs = new int[100];
        pool.For(100, 2, p => runs[p]++);
        Assert.All(runs, count => Assert.Equal(1, count));
    }

    [Fact]
    public void ExceptionOnAWorker_ReachesTheCaller()
    {
        using var pool = new KernelThreadPool();
        int caller = Environment.CurrentManagedThreadId;
        using var workerThrew = new ManualResetEventSlim();
        var error = Assert.Throws<ArithmeticException>(() => pool.For(2, 2, _ =>
        {
            // The caller's piece waits for the worker, so the worker is sure to take the other piece.
            if (Environment.CurrentManagedThreadId == caller)
            {
                workerThrew.Wait(Patience);
                return;
            }
            workerThrew.Set();
            throw new ArithmeticException("thrown on a worker");
        }));
        Assert.Equal("thrown on a worker", error.Message);
        Assert.True(workerThrew.IsSet);
    }

    [Fact]
    public void WorkersRunPiecesAsNested_SoParallelismRunsTheirInnerCallsInline()
    {
        using var pool = new KernelThreadPool();
        var inPiece = new ConcurrentBag<bool>();
        bool callerBefore = KernelThreadPool.InPiece;
        pool.For(64, 3, _ => inPiece.Add(KernelThreadPool.InPiece));
        Assert.False(callerBefore);
        Assert.False(KernelThreadPool.InPiece);
        Assert.Equal(64, inPiece.Count);
        Assert.All(inPiece, Assert.True);
    }
}
