using Nabla.Kernels;

namespace Nabla.Tests;

/// <summary>
/// Tests that change the process-wide <see cref="Nabla.Kernels.Parallelism.MaxDegreeOfParallelism"/>.
/// They run one at a time and never beside tests of other collections, so no other test sees the
/// setting change under it. Such a test restores the setting in a <c>finally</c>.
/// </summary>
[CollectionDefinition("Parallelism", DisableParallelization = true)]
public sealed class ParallelismCollection
{
    /// <summary>Runs <paramref name="compute"/> with the kernels limited to <paramref name="threads"/>, then restores the setting.</summary>
    public static T AtThreads<T>(int threads, Func<T> compute)
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = threads;
            return compute();
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }
}
