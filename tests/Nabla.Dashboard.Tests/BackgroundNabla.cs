using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.Cli.Tests;

namespace Nabla.Dashboard.Tests;

/// <summary>
/// The real <c>nabla</c> running in the background (a dashboard, a training with <c>--dashboard</c>): what it prints,
/// line by line as it comes, the page's address once printed, and signals as a terminal sends them.
/// </summary>
internal sealed partial class BackgroundNabla : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private readonly Process _process;
    private readonly BlockingCollection<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();

    /// <summary>Starts <c>nabla <paramref name="args"/></c>.</summary>
    public BackgroundNabla(params string[] args)
    {
        CommandLine = "nabla " + string.Join(' ', args);
        _process = ProgramRun.StartInBackground(RepositoryLayout.CliAssembly, _output.Add, _errors.Enqueue, args);
    }

    /// <summary>The command line, for failure messages.</summary>
    public string CommandLine { get; }

    /// <summary>Every line written to standard error so far.</summary>
    public IReadOnlyList<string> ErrorLines => [.. _errors];

    /// <summary>The process's id.</summary>
    public int Id => _process.Id;

    /// <summary>Waits for the first line of standard output that <paramref name="match"/> accepts, and returns it.</summary>
    /// <exception cref="TimeoutException">None came within a minute, or the process ended first.</exception>
    public string WaitForLine(Func<string, bool> match)
    {
        var clock = Stopwatch.StartNew();
        bool exited = false;
        // Lines may still arrive just after the process ended: one more look once it has.
        while (clock.Elapsed < Patience && !exited)
        {
            exited = _process.HasExited;
            while (_output.TryTake(out string? line, TimeSpan.FromMilliseconds(100)))
                if (match(line)) return line;
        }
        throw new TimeoutException($"{CommandLine} printed no such line (exited: {_process.HasExited}); standard error:\n{string.Join('\n', _errors)}");
    }

    /// <summary>Waits for the page's address (http://127.0.0.1:PORT/) to be printed, and returns it.</summary>
    public Uri WaitForAddress() => new(Address().Match(WaitForLine(line => Address().IsMatch(line))).Value);

    /// <summary>
    /// Runs <c>nabla train</c> into <paramref name="logDirectory"/>/<paramref name="runName"/> and kills it with SIGKILL once
    /// <paramref name="epochs"/> epochs of its log are on disk, in the middle of the epochs after them; returns the log's path.
    /// </summary>
    public static string KilledTraining(string logDirectory, string runName, string modelPath, int epochs)
    {
        string log = Path.Combine(logDirectory, runName, Training.RunLog.FileName);
        using var train = new BackgroundNabla("train", "--epochs", "100000", "--batch-size", "16", "--out", modelPath,
            "--logdir", logDirectory, "--run-name", runName, "--quiet");
        var waited = Stopwatch.StartNew();
        // Read while it writes, as a dashboard does: a cut-off last line is skipped.
        while (!(File.Exists(log) && Training.RunLogReader.Read(log).Epochs.Count >= epochs) && waited.Elapsed < Patience) Thread.Sleep(20);
        train.KillHard();
        train.WaitForExit();
        return log;
    }

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does.</summary>
    public void Interrupt() => Signal("-INT");

    /// <summary>Sends SIGKILL: the process dies at once, in the middle of whatever it was writing.</summary>
    public void KillHard() => Signal("-KILL");

    /// <summary>Waits for the process to end and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It still runs after a minute.</exception>
    public int WaitForExit()
    {
        if (!_process.WaitForExit(Patience))
            throw new TimeoutException($"{CommandLine} still runs after {Patience.TotalSeconds} s.");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _output.Dispose();
    }

    [GeneratedRegex(@"http://[^\s/]+/")]
    private static partial Regex Address();
}
