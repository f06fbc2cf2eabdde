using System.Text;
using Nabla.Distributed;

namespace Nabla.Cli;

/// <summary>
/// The check, at the start of an mpirun job, that every rank was started alike: the same options, and the same data
/// file (by size, as each rank reads its own copy, possibly on another machine). A rank that differs would train on
/// other rows or another model and leave the others waiting, or average nonsense; it is named instead.
/// </summary>
internal static class RankAgreement
{
    /// <summary>
    /// Compares every rank's options and data file with rank 0's. Rank 0 throws, naming the first rank that differs; the
    /// others, which gathered the same and know it, wait for rank 0 to end the job, so the error is said once.
    /// </summary>
    /// <exception cref="CommandInputException">A rank's options or data file differ from rank 0's.</exception>
    public static void Check(Communicator communicator, IReadOnlyList<string> arguments, string? dataPath)
    {
        if (communicator.Size == 1) return;
        string options = string.Join(' ', arguments);
        string data = dataPath is null ? "the built-in data set" : DataText(dataPath);
        byte[][] all = communicator.AllGather(Encoding.UTF8.GetBytes(options + "\n" + data));
        string[] root = Encoding.UTF8.GetString(all[0]).Split('\n', 2);
        for (int rank = 1; rank < all.Length; rank++)
        {
            string[] theirs = Encoding.UTF8.GetString(all[rank]).Split('\n', 2);
            string? difference = theirs[0] != root[0] ? $"rank {rank} of {communicator.Size} was started with other options than rank 0 ('{theirs[0]}' against '{root[0]}'); start every rank with the same command."
                : theirs[1] != root[1] ? $"rank {rank} of {communicator.Size} sees other data than rank 0 ({theirs[1]} against {root[1]}); every rank needs the same file."
                : null;
            if (difference is null) continue;
            // Rank 0's abort ends this wait under MPI; in a group of threads the cancelled wait throws.
            if (!communicator.IsRoot) communicator.Barrier();
            throw new CommandInputException(difference);
        }
    }

    /// <summary>"'data.csv' of 12,345 bytes", or that it is missing (reported later, with the file's own error).</summary>
    private static string DataText(string path)
    {
        if (File.Exists(path)) return $"'{path}' of {new FileInfo(path).Length:N0} bytes";
        if (Directory.Exists(path))
            return $"'{path}', a folder of {Directory.EnumerateFiles(path).Sum(file => new FileInfo(file).Length):N0} bytes";
        return $"'{path}', which does not exist";
    }
}
