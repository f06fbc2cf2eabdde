namespace Nabla.Tests;

/// <summary>
/// Tests that change the process-wide <see cref="Nabla.Kernels.Parallelism.MaxDegreeOfParallelism"/>.
/// They run one at a time and never beside tests of other collections, so no other test sees the
/// setting change under it. Such a test restores the setting in a <c>finally</c>.
/// </summary>
[CollectionDefinition("Parallelism", DisableParallelization = true)]
public sealed class ParallelismCollection
{
}
