namespace Nabla.Cli.Tests;

/// <summary>
/// The test classes that start mpirun jobs run one job at a time: a job already puts up to four processes on the
/// machine's cores, and the fault tests bound how long a job takes to end.
/// </summary>
[CollectionDefinition(nameof(MpiJobs))]
public sealed class MpiJobs;
