using Nabla.Distributed;

namespace Nabla.MpiHost;

/// <summary>
/// The scenarios the host runs, by the name given on its command line. A scenario runs on every
/// rank with the job's communicator and the arguments after its name; it throws (see
/// <see cref="Expect"/>) when a result is wrong. To add one, write it in a file of its topic and
/// add its name here.
/// </summary>
internal static class Scenarios
{
    public static readonly IReadOnlyDictionary<string, Action<Communicator, string[]>> All = new Dictionary<string, Action<Communicator, string[]>>
    {
        ["allreduce"] = CollectiveScenarios.AllReduce,
        ["broadcast"] = CollectiveScenarios.Broadcast,
        ["allgather"] = CollectiveScenarios.AllGather,
        ["barrier"] = CollectiveScenarios.Barrier,
        ["abort"] = FaultScenarios.Abort,
        ["killed-rank"] = FaultScenarios.KilledRank,
    };
}
