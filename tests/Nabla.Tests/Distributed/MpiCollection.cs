namespace Nabla.Tests.Distributed;

/// <summary>
/// The tests that start mpirun jobs run one job at a time: each job already puts up to four
/// processes on the machine's cores, and the fault tests bound how long a job takes to end.
/// </summary>
[CollectionDefinition("Mpi")]
public sealed class MpiCollection;
