using System.Diagnostics;
using System.Globalization;

namespace Nabla.Cli.Tests;

/// <summary>
/// The real <c>nabla</c> command run under the real <c>mpirun</c> (Open MPI), as a user starts a job: every rank is
/// <c>dotnet nabla.dll ...</c>, several of them on this machine's cores, all traffic on the loopback interface.
/// </summary>
internal static class MpiJob
{
    /// <summary>Why the tests that start mpirun jobs are skipped, or null when <c>mpirun</c> is on PATH.</summary>
    public static string? SkipReason { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(folder => File.Exists(Path.Combine(folder, "mpirun")))
            ? null
            : "mpirun is not on PATH: install Open MPI (apt-get install openmpi-bin) to run the tests of nabla under mpirun";

    /// <summary>Runs <c>mpirun -np <paramref name="ranks"/> nabla <paramref name="args"/></c> and waits for the job to end.</summary>
    public static ProgramRun Run(int ranks, params string[] args) => Run(transport: null, [(ranks, args)]);

    /// <summary>Runs <c>mpirun -np <paramref name="ranks"/> nabla <paramref name="args"/></c> in <paramref name="workingDirectory"/> and waits for the job to end.</summary>
    public static ProgramRun RunIn(string workingDirectory, int ranks, params string[] args)
    {
        using var process = Start(transport: null, [(ranks, args)], workingDirectory);
        return ProgramRun.WaitFor(process, $"mpirun -np {ranks} nabla {string.Join(' ', args)}");
    }

    /// <summary>
    /// Runs one job of several programs (Open MPI's MPMD form, <c>mpirun -np 1 nabla A : -np 1 nabla B</c>), each
    /// entry its number of ranks and its arguments, and waits for it to end.
    /// </summary>
    /// <param name="transport">Open MPI's byte transfer layers, "tcp,self" for the network path a cluster uses; null for its own choice (shared memory between processes of one machine).</param>
    /// <param name="programs">Each program's ranks and <c>nabla</c> arguments, in rank order.</param>
    public static ProgramRun Run(string? transport, IReadOnlyList<(int Ranks, string[] Args)> programs)
    {
        using var process = Start(transport, programs);
        return ProgramRun.WaitFor(process, "mpirun " + string.Join(" : ", programs.Select(program => $"-np {program.Ranks} nabla {string.Join(' ', program.Args)}")));
    }

    /// <summary>
    /// Starts <c>mpirun -np <paramref name="ranks"/> nabla <paramref name="args"/></c> without waiting, each line the
    /// job writes handed to <paramref name="onOutputLine"/> or <paramref name="onErrorLine"/> as it comes: for tests that
    /// act on a running job. The caller must end it (<see cref="Process.Kill(bool)"/> of the whole tree) if the test fails.
    /// </summary>
    public static Process StartInBackground(int ranks, Action<string> onOutputLine, Action<string> onErrorLine, params string[] args) =>
        ProgramRun.FollowLines(Start(transport: null, [(ranks, args)]), onOutputLine, onErrorLine);

    /// <summary>
    /// The process id of rank <paramref name="rank"/> of a running job: the child of <paramref name="mpirun"/> (by the parent
    /// id in <c>/proc/PID/stat</c>) whose environment says <c>OMPI_COMM_WORLD_RANK=<paramref name="rank"/></c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No child of mpirun is that rank (yet).</exception>
    public static int RankProcessId(Process mpirun, int rank)
    {
        string wanted = $"OMPI_COMM_WORLD_RANK={rank.ToString(CultureInfo.InvariantCulture)}";
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            try
            {
                // "pid (command name) state ppid ...": the name may hold spaces and parentheses, so count from the last ')'.
                string stat = File.ReadAllText(Path.Combine(folder, "stat"));
                string[] afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(afterName[1], CultureInfo.InvariantCulture) != mpirun.Id) continue;
                if (File.ReadAllText(Path.Combine(folder, "environ")).Split('\0').Contains(wanted)) return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read, or is not ours to read: not a rank of this job.
            }
        }
        throw new InvalidOperationException($"mpirun (process {mpirun.Id}) has no child process of rank {rank}.");
    }

    private static Process Start(string? transport, IReadOnlyList<(int Ranks, string[] Args)> programs, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("mpirun")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryLayout.Root,
        };
        // Open MPI refuses to run as root unless told twice; CI runs as root. Harmless for other users.
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        // More ranks than cores are allowed, and no traffic leaves the machine: the loopback interface only.
        string[] options = ["--oversubscribe", "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo", .. transport is null ? Array.Empty<string>() : ["--mca", "btl", transport]];
        foreach (string option in options) info.ArgumentList.Add(option);
        for (int i = 0; i < programs.Count; i++)
        {
            if (i > 0) info.ArgumentList.Add(":");
            foreach (string arg in (string[])["-np", programs[i].Ranks.ToString(CultureInfo.InvariantCulture), ProgramRun.Dotnet, RepositoryLayout.CliAssembly, .. programs[i].Args])
                info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start mpirun.");
        // mpirun forwards its standard input to rank 0; closed, nothing waits on it.
        process.StandardInput.Close();
        return process;
    }
}
