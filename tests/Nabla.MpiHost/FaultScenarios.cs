using System.Diagnostics;
using Nabla.Distributed;

namespace Nabla.MpiHost;

/// <summary>
/// Ranks that fail: each scenario leaves the other ranks blocked in a collective that can never
/// complete, so the job ends only if Open MPI ends it. The tests time mpirun and read what it prints.
/// </summary>
internal static class FaultScenarios
{
    /// <summary>The reason rank 1 gives in <see cref="Abort"/>, which the test looks for.</summary>
    public const string AbortReason = "the abort scenario gives up on purpose";

    /// <summary>After a barrier, rank 1 aborts the job with exit code 3 while the others wait in a second barrier.</summary>
    public static void Abort(Communicator comm, string[] args)
    {
        comm.Barrier();
        if (comm.Rank == 1) comm.Abort(3, AbortReason);
        comm.Barrier();
        throw new InvalidOperationException($"rank {comm.Rank} left a barrier that rank 1 never entered");
    }

    /// <summary>After a barrier, rank 1 kills itself (SIGKILL: no handler, no goodbye) while the others wait in a second barrier.</summary>
    public static void KilledRank(Communicator comm, string[] args)
    {
        comm.Barrier();
        if (comm.Rank == 1) Process.GetCurrentProcess().Kill();
        comm.Barrier();
        throw new InvalidOperationException($"rank {comm.Rank} left a barrier that rank 1 never entered");
    }
}
