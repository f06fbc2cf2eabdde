namespace Nabla.Tests.Distributed;

/// <summary>
/// A rank that fails must end the whole job, never leave its peers waiting in a collective. In both
/// scenarios the other ranks wait in a barrier the failed rank never enters, so only Open MPI can end them.
/// </summary>
/// <remarks>
/// What Open MPI 4.1 does, as observed:
/// <list type="bullet">
/// <item>A rank killed by SIGKILL: mpirun kills the other ranks within about a second, exits with
/// 137 (128 + signal 9), and prints "mpirun noticed that process rank 1 with PID … on node … exited
/// on signal 9 (Killed)."</item>
/// <item>MPI_Abort(MPI_COMM_WORLD, 3) on rank 1: mpirun kills the others, exits with 3 (the error
/// code given), and usually prints "MPI_ABORT was invoked on rank 1 in communicator MPI_COMM_WORLD with
/// errorcode 3." (not always: the teardown can overtake it); the reason is our own line, written to
/// standard error before the call.</item>
/// </list>
/// </remarks>
[Collection("Mpi")]
public sealed class MpiFaultTests
{
    /// <summary>The bound the issue sets for a job to notice a dead rank and end.</summary>
    private static readonly TimeSpan EndsWithin = TimeSpan.FromSeconds(60);

    [MpiFact]
    public void KilledRank_EndsTheJob_NonZero_NamingTheRank()
    {
        var run = MpiRun.Start(4, transport: null, ["killed-rank"], EndsWithin);
        Assert.True(run.ExitCode == 128 + 9, run.ToString());
        Assert.Contains("process rank 1 ", run.Output);
        Assert.Contains("exited on signal 9", run.Output);
        Assert.DoesNotContain("left a barrier", run.Output);
    }

    [MpiFact]
    public void Abort_EndsTheJob_WithItsExitCode_PrintingTheRankAndReason()
    {
        var run = MpiRun.Start(4, transport: null, ["abort"], EndsWithin);
        Assert.True(run.ExitCode == 3, run.ToString());
        // The reason is FaultScenarios.AbortReason in tests/Nabla.MpiHost.
        Assert.Contains("Rank 1 of 4 aborted the job (exit code 3): the abort scenario gives up on purpose", run.StandardError);
        // Open MPI's own "MPI_ABORT was invoked on rank 1 ..." banner is not asserted: it travels through its help
        // system and is lost now and then when the job is torn down first (seen once in CI); the line above is the
        // rank's own, written and flushed before MPI_Abort.
        Assert.DoesNotContain("left a barrier", run.Output);
    }
}
