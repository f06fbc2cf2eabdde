using System.Diagnostics;

namespace Nabla.Tests.Distributed;

/// <summary>
/// One job of tests/Nabla.MpiHost under the real <c>mpirun</c>: its exit code, everything its ranks
/// and mpirun printed, and how long it took. All traffic stays on the loopback interface.
/// </summary>
internal sealed record MpiRun(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>Why the MPI tests are skipped, or null when <c>mpirun</c> is on PATH.</summary>
    public static string? SkipReason { get; } = FindOnPath("mpirun") is null
        ? "mpirun is not on PATH: install Open MPI (apt-get install openmpi-bin) to run the distributed tests"
        : null;

    /// <summary>What the ranks and mpirun wrote, both streams.</summary>
    public string Output => StandardOutput + StandardError;

    /// <summary>
    /// Runs <paramref name="scenario"/> on <paramref name="ranks"/> processes and waits for the job,
    /// at most <paramref name="timeout"/> (after which the job is killed and the test fails).
    /// </summary>
    /// <param name="ranks">The number of processes; more than the cores is allowed (--oversubscribe).</param>
    /// <param name="transport">Open MPI's byte transfer layers, e.g. "tcp,self" for the network path; null keeps Open MPI's choice (shared memory, "vader", between processes of one machine).</param>
    /// <param name="scenario">The host's scenario name, then its arguments.</param>
    /// <param name="timeout">How long the job may take.</param>
    public static MpiRun Start(int ranks, string? transport, string[] scenario, TimeSpan timeout)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "Nabla.MpiHost.dll");
        // The host that runs these tests, so a machine with several SDKs uses the same one.
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var info = new ProcessStartInfo("mpirun")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Open MPI refuses to run as root unless told twice; CI runs as root. Harmless for other users.
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        // Under mpirun the ranks' output goes through a terminal-like channel; a dumb terminal keeps escape codes out of it.
        info.Environment["TERM"] = "dumb";
        string[] mpirunArgs =
        [
            "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--oversubscribe",
            "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo",
            .. transport is null ? Array.Empty<string>() : ["--mca", "btl", transport],
            dotnet, host, .. scenario,
        ];
        foreach (string arg in mpirunArgs) info.ArgumentList.Add(arg);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start mpirun.");
        // mpirun forwards its standard input to rank 0; closed, nothing waits on it.
        process.StandardInput.Close();
        // Read both streams concurrently: a job blocked on a full stderr pipe would never end.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"mpirun {string.Join(' ', mpirunArgs)} did not end within {timeout.TotalSeconds} s.\n{stdout.Result}{stderr.Result}");
        }
        process.WaitForExit();
        return new MpiRun(process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }

    public override string ToString() => $"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
