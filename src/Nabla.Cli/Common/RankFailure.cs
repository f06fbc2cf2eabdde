using Nabla.Distributed;

namespace Nabla.Cli;

/// <summary>
/// What a rank of an mpirun job does when its work fails: it says so on one line naming itself, then ends the whole
/// job. The other ranks may be waiting for it inside a collective, where they would wait forever, and an orderly
/// MPI_Finalize would wait for them in turn; MPI_Abort stops every process of the job at once.
/// </summary>
internal static class RankFailure
{
    /// <summary>Runs <paramref name="body"/>; in one process a failure propagates as usual, under several ranks it aborts the job.</summary>
    public static int Guard(Communicator communicator, bool verbose, Func<int> body)
    {
        if (communicator.Size == 1) return body();
        try
        {
            return body();
        }
        catch (Exception e)
        {
            int code = ErrorHandling.Report(e, verbose, $"rank {communicator.Rank} of {communicator.Size}: ");
            // The line above said what failed; Abort only ends the job.
            communicator.Abort(code, "");
            return code;
        }
    }
}
