using System.Diagnostics;

namespace Nabla.Cli.Tests;

/// <summary>The outcome of running a program: its exit code and everything it wrote.</summary>
internal sealed record ProgramRun(int ExitCode, string StandardOutput, string StandardError)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The <c>dotnet</c> host that runs these tests, so a machine with several SDKs runs the programs under test with the same one.</summary>
    internal static string Dotnet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The non-empty lines of standard output.</summary>
    public string[] OutputLines => Lines(StandardOutput);

    /// <summary>The non-empty lines of standard error.</summary>
    public string[] ErrorLines => Lines(StandardError);

    /// <summary>The number on the summary line "NAME:   value" of standard output; the line must be there once.</summary>
    public double SummaryValue(string name)
    {
        string line = Assert.Single(OutputLines, l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <c>dotnet <paramref name="assembly"/> <paramref name="args"/></c> and waits for it to finish.</summary>
    public static ProgramRun Start(string assembly, params string[] args) => Start(heapLimit: null, assembly, args);

    /// <summary>
    /// Runs <c>dotnet <paramref name="assembly"/> <paramref name="args"/></c> with its garbage-collected heap capped at
    /// <paramref name="heapLimit"/> bytes (none when null), and waits for it to finish: a run that needs more fails with
    /// an out-of-memory error, so a test shows that an input is handled in bounded memory.
    /// </summary>
    public static ProgramRun Start(long? heapLimit, string assembly, params string[] args) => Run(RepositoryLayout.Root, heapLimit, assembly, args);

    /// <summary>Runs <c>dotnet <paramref name="assembly"/> <paramref name="args"/></c> in <paramref name="workingDirectory"/> and waits for it to finish.</summary>
    public static ProgramRun StartIn(string workingDirectory, string assembly, params string[] args) => Run(workingDirectory, heapLimit: null, assembly, args);

    private static ProgramRun Run(string workingDirectory, long? heapLimit, string assembly, string[] args)
    {
        using var process = Launch(assembly, args, heapLimit, workingDirectory);
        return WaitFor(process, $"dotnet {Path.GetFileName(assembly)} {string.Join(' ', args)}");
    }

    /// <summary>
    /// Reads everything <paramref name="process"/> writes and waits for it to finish; past the time limit its whole
    /// process tree is killed and the test fails, naming <paramref name="commandLine"/>.
    /// </summary>
    internal static ProgramRun WaitFor(Process process, string commandLine)
    {
        // Read both streams concurrently: a child blocked on a full stderr pipe would never exit.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish within {Timeout.TotalSeconds} s.");
        }
        return new ProgramRun(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="assembly"/> <paramref name="args"/></c> without waiting, its output
    /// read and dropped so that it never blocks on a full pipe: for tests that stop a process themselves.
    /// </summary>
    public static Process StartInBackground(string assembly, params string[] args) => FollowLines(Launch(assembly, args), _ => { }, _ => { });

    /// <summary>
    /// Starts <c>dotnet <paramref name="assembly"/> <paramref name="args"/></c> without waiting, each line it
    /// writes handed to <paramref name="onOutputLine"/> or <paramref name="onErrorLine"/> as it comes: for
    /// tests that act on what a running process has printed so far.
    /// </summary>
    public static Process StartInBackground(string assembly, Action<string> onOutputLine, Action<string> onErrorLine, params string[] args) =>
        FollowLines(Launch(assembly, args), onOutputLine, onErrorLine);

    /// <summary>As <see cref="StartInBackground(string, Action{string}, Action{string}, string[])"/>, in <paramref name="workingDirectory"/>.</summary>
    public static Process StartInBackgroundIn(string workingDirectory, string assembly, Action<string> onOutputLine, Action<string> onErrorLine, params string[] args) =>
        FollowLines(Launch(assembly, args, workingDirectory: workingDirectory), onOutputLine, onErrorLine);

    /// <summary>Hands each line <paramref name="process"/> writes to <paramref name="onOutputLine"/> or <paramref name="onErrorLine"/> as it comes.</summary>
    internal static Process FollowLines(Process process, Action<string> onOutputLine, Action<string> onErrorLine)
    {
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onOutputLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) onErrorLine(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static Process Launch(string assembly, string[] args, long? heapLimit = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryLayout.Root,
        };
        if (heapLimit is { } bytes) info.Environment["DOTNET_GCHeapHardLimit"] = bytes.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        info.ArgumentList.Add(assembly);
        foreach (string arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Dotnet}.");
    }

    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
