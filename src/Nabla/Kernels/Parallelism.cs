namespace Nabla.Kernels;

/// <summary>
/// How many threads Nabla's kernels may use. Work is always cut into the same fixed pieces and
/// combined in the same order, so results are bit-identical whatever this is set to.
/// </summary>
/// <remarks>
/// The default is the <c>NABLA_NUM_THREADS</c> environment variable when it holds a positive
/// integer, otherwise <see cref="Environment.ProcessorCount"/>.
/// </remarks>
public static class Parallelism
{
    private static int _maxDegreeOfParallelism = DefaultDegree();

    /// <summary>The largest number of threads one kernel call may use (at least 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxDegreeOfParallelism must be at least 1, got {value}.");
            _maxDegreeOfParallelism = value;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every piece index in [0, <paramref name="pieceCount"/>),
    /// on up to <see cref="MaxDegreeOfParallelism"/> threads of <see cref="KernelThreadPool.Shared"/>;
    /// inline when one thread suffices. The caller decides the pieces, so the split never depends
    /// on the thread count. The first exception a piece throws reaches the caller as it is.
    /// </summary>
    /// <remarks>
    /// A call made from inside a piece (a GEMM inside a convolution's per-sample loop) runs inline:
    /// the outer loop already keeps the threads busy, and nesting would only queue more work items
    /// behind them and oversubscribe the cores.
    /// </remarks>
    internal static void For(int pieceCount, Action<int> body)
    {
        int degree = Math.Min(_maxDegreeOfParallelism, pieceCount);
        if (degree <= 1 || KernelThreadPool.InPiece)
        {
            for (int i = 0; i < pieceCount; i++) body(i);
            return;
        }
        KernelThreadPool.Shared.For(pieceCount, degree, body);
    }

    /// <summary>
    /// Below this much work in all (in multiply-adds or elements touched), a call runs on the
    /// caller's thread: waking a worker and handing it a piece costs a few microseconds, more than
    /// such work takes, and two threads then lose to one.
    /// </summary>
    internal const long MinParallelWork = 1L << 17;

    /// <summary>
    /// <see cref="For(int, Action{int})"/> for pieces of about <paramref name="workPerPiece"/> each:
    /// inline when the whole call is below <see cref="MinParallelWork"/>. The pieces are the same
    /// either way, so the result is too.
    /// </summary>
    internal static void For(int pieceCount, long workPerPiece, Action<int> body)
    {
        if (workPerPiece * pieceCount < MinParallelWork)
        {
            for (int i = 0; i < pieceCount; i++) body(i);
            return;
        }
        For(pieceCount, body);
    }

    private static int DefaultDegree()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("NABLA_NUM_THREADS");
        return int.TryParse(fromEnvironment, out int n) && n > 0 ? n : Environment.ProcessorCount;
    }
}
