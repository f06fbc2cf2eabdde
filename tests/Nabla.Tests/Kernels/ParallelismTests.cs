using System.Collections.Concurrent;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// When <see cref="Parallelism.For(int, Action{int})"/> stays on the calling thread: work below the
/// threshold, and a call made from inside a piece of a pool's call (no nested parallel loops),
/// while that outer call still spreads; every piece runs exactly once either way.
/// </summary>
[Collection("Parallelism")]
public class ParallelismTests
{
    [Fact]
    public void SmallWork_RunsEveryPieceOnTheCallingThread()
    {
        var threads = ParallelismCollection.AtThreads(4, () =>
        {
            var seen = new ConcurrentBag<(int Piece, int Thread)>();
            Parallelism.For(64, Parallelism.MinParallelWork / 64 - 1, p => seen.Add((p, Environment.CurrentManagedThreadId)));
            return seen.ToArray();
        });
        Assert.Equal(Enumerable.Range(0, 64), threads.Select(t => t.Piece).Order());
        Assert.Single(threads.Select(t => t.Thread).Distinct());
    }

    [Fact]
    public void NestedCall_RunsInlineOnThePieceThread_OuterCallSpreads()
    {
        var (outerThreads, nestedOnOwnThread, nestedPieces) = ParallelismCollection.AtThreads(4, () =>
        {
            // A pool of its own: the shared pool's workers may still be on their way to an earlier
            // test's job, or have just reported a late arrival, and would leave this call alone.
            using var pool = new KernelThreadPool();
            var outer = new ConcurrentDictionary<int, bool>();
            using var secondThreadJoined = new ManualResetEventSlim();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            bool allInline = true;
            int pieces = 0;
            pool.For(64, 4, p =>
            {
                int thread = Environment.CurrentManagedThreadId;
                outer[thread] = true;
                if (outer.Count > 1) secondThreadJoined.Set();
                // Each piece waits for a second thread to join the loop, so a spreading loop is
                // seen to spread however the pool schedules it; a loop that stayed on one thread
                // would wait out the one 10 s deadline (shared by all pieces) and fail below.
                var left = deadline - DateTime.UtcNow;
                if (left > TimeSpan.Zero) secondThreadJoined.Wait(left);
                Parallelism.For(8, p2 =>
                {
                    if (Environment.CurrentManagedThreadId != thread) allInline = false;
                    Interlocked.Increment(ref pieces);
                });
            });
            return (outer.Count, allInline, pieces);
        });
        Assert.True(outerThreads > 1, "the outer loop should use more than one thread");
        Assert.True(nestedOnOwnThread);
        Assert.Equal(64 * 8, nestedPieces);
    }
}
