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
    /// on up to <see cref="MaxDegreeOfParallelism"/> threads; inline when one thread suffices.
    /// The caller decides the pieces, so the split never depends on the thread count.
    /// </summary>
    internal static void For(int pieceCount, Action<int> body)
    {
        int degree = Math.Min(_maxDegreeOfParallelism, pieceCount);
        if (degree <= 1)
        {
            for (int i = 0; i < pieceCount; i++) body(i);
            return;
        }
        Parallel.For(0, pieceCount, new ParallelOptions { MaxDegreeOfParallelism = degree }, body);
    }

    private static int DefaultDegree()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("NABLA_NUM_THREADS");
        return int.TryParse(fromEnvironment, out int n) && n > 0 ? n : Environment.ProcessorCount;
    }
}
