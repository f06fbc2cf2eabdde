namespace Nabla.Tests;

/// <summary>
/// Tests that measure the memory the process keeps (<see cref="GC.GetTotalMemory(bool)"/>): they run
/// alone, never beside tests of other collections, so nothing else allocates while they measure.
/// </summary>
[CollectionDefinition("Memory", DisableParallelization = true)]
public sealed class MemoryCollection;
