using Nabla.Distributed;
using Nabla.MpiHost;

// Usage: mpirun -np N dotnet Nabla.MpiHost.dll SCENARIO [ARGS...]
// Each rank runs the scenario on the job's communicator. A wrong result aborts the whole job with
// the reason (so no peer waits forever in a collective); success prints one line a rank.
if (args.Length == 0 || !Scenarios.All.TryGetValue(args[0], out var scenario))
{
    Console.Error.WriteLine($"Usage: Nabla.MpiHost SCENARIO [ARGS...]; scenarios: {string.Join(", ", Scenarios.All.Keys.Order(StringComparer.Ordinal))}");
    return 2;
}
if (!Communicator.LaunchedByMpirun)
{
    Console.Error.WriteLine("Nabla.MpiHost: run it under mpirun (OMPI_COMM_WORLD_SIZE and OMPI_COMM_WORLD_RANK are not set).");
    return 2;
}
using var comm = Communicator.FromEnvironment();
try
{
    Expect.That(comm is MpiCommunicator, $"Communicator.FromEnvironment() gave a {comm.GetType().Name} under mpirun");
    Expect.That(comm.Rank == int.Parse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK")!), $"rank {comm.Rank} differs from OMPI_COMM_WORLD_RANK");
    Expect.That(comm.Size == int.Parse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE")!), $"size {comm.Size} differs from OMPI_COMM_WORLD_SIZE");
    scenario(comm, args[1..]);
}
catch (Exception exception)
{
    // The whole exception for whoever debugs it; the abort line carries the reason the tests read.
    Console.Error.WriteLine(exception);
    comm.Abort(1, $"scenario {args[0]} failed: {exception.Message}");
}
Console.WriteLine($"rank {comm.Rank} of {comm.Size}: {args[0]} passed");
return 0;
