using Nabla.Distributed;

namespace Nabla.Tests.Distributed;

/// <summary>
/// <see cref="MpiCommunicator"/> in real jobs: each scenario of tests/Nabla.MpiHost checks a
/// collective against its definition on every rank and aborts the job when a result is wrong.
/// </summary>
[Collection("Mpi")]
public sealed class MpiCommunicatorTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Each collective at 2 and 4 ranks over shared memory, whole and in pieces of 333 elements (1,000 elements make 3 whole pieces and a remainder of 1).</summary>
    [MpiTheory]
    [InlineData("allreduce", 2, false)]
    [InlineData("allreduce", 4, true)]
    [InlineData("broadcast", 2, true)]
    [InlineData("broadcast", 4, false)]
    [InlineData("allgather", 2, false)]
    [InlineData("allgather", 4, true)]
    [InlineData("barrier", 4, false)]
    public void Collective_GivesItsDefinedResult_OverSharedMemory(string scenario, int ranks, bool inPieces)
    {
        var run = MpiRun.Start(ranks, transport: null, Arguments(scenario, inPieces), JobTimeout);
        AssertEveryRankPassed(run, scenario, ranks);
    }

    /// <summary>The network path a cluster uses: TCP between the processes (on the loopback interface), in pieces.</summary>
    [MpiTheory]
    [InlineData("allreduce")]
    [InlineData("broadcast")]
    [InlineData("allgather")]
    public void Collective_GivesItsDefinedResult_OverTcp(string scenario)
    {
        var run = MpiRun.Start(4, transport: "tcp,self", Arguments(scenario, inPieces: true), JobTimeout);
        AssertEveryRankPassed(run, scenario, 4);
    }

    [Fact]
    public void FromEnvironment_OutsideMpirun_IsASingleProcess()
    {
        // The test runner is not started by mpirun, so OMPI_COMM_WORLD_SIZE is not set here.
        Assert.Null(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE"));
        Assert.False(Communicator.LaunchedByMpirun);
        using var comm = Communicator.FromEnvironment();
        Assert.IsType<SingleProcessCommunicator>(comm);
    }

    private static string[] Arguments(string scenario, bool inPieces) => inPieces ? [scenario, "--piece", "333"] : [scenario];

    private static void AssertEveryRankPassed(MpiRun run, string scenario, int ranks)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        for (int rank = 0; rank < ranks; rank++)
            Assert.Contains($"rank {rank} of {ranks}: {scenario} passed", run.StandardOutput);
    }
}
