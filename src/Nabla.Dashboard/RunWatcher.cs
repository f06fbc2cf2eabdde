using Nabla.Training;

namespace Nabla.Dashboard;

/// <summary>
/// Looks at the log folder every poll interval and keeps a <see cref="RunSnapshot"/> of its runs, reading a log only
/// when its length or write time changed, and then only the lines appended since (<see cref="RunLogTail"/>); the page's
/// streams wait on <see cref="Changed"/>.
/// </summary>
/// <remarks>
/// Polling rather than file-system notifications: notifications are lost on network folders and in containers, and a
/// run log grows by one line an epoch, so a stat per run each quarter second is cheap. Reading is bounded by the
/// reader's limits and by <see cref="MaxLogBytes"/>, so a huge or hostile file in the folder costs bounded memory and time.
/// </remarks>
internal sealed class RunWatcher : IDisposable
{
    /// <summary>The largest log read, in bytes: a million lines of steps is far less.</summary>
    public const long MaxLogBytes = 256L << 20;

    /// <summary>The most lines read of a log.</summary>
    public const int MaxLogLines = 1_000_000;

    private readonly string _logDirectory;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _refreshing = new();
    private readonly Dictionary<string, RunLogTail> _tails = new(StringComparer.Ordinal);
    private RunSnapshot _snapshot = new(0, [], false);
    private TaskCompletionSource _changed = NewSignal();
    private long _versions;
    private Task? _loop;

    /// <summary>Watches <paramref name="logDirectory"/> (a full path); <see cref="Start"/> begins.</summary>
    public RunWatcher(string logDirectory, TimeSpan interval) => (_logDirectory, _interval) = (logDirectory, interval);

    /// <summary>The runs as last read.</summary>
    public RunSnapshot Current => Volatile.Read(ref _snapshot);

    /// <summary>A task that completes at the next change of <see cref="Current"/>: take it before reading <see cref="Current"/>, so no change falls between.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Reads the folder once now, then every interval in the background.</summary>
    public void Start()
    {
        Refresh();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(_interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token)) Refresh();
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });
    }

    /// <summary>Reads the folder now: what changed becomes <see cref="Current"/>, and <see cref="Changed"/> completes.</summary>
    public void Refresh()
    {
        lock (_refreshing)
        {
            var previous = _snapshot;
            var folders = RunCatalog.Find(_logDirectory, out bool truncated);
            var runs = new List<RunState>(folders.Count);
            bool changed = truncated != previous.Truncated || folders.Count != previous.Runs.Count;
            foreach (var folder in folders)
            {
                var old = previous.Find(folder.Name);
                var run = Read(folder, old);
                changed |= !ReferenceEquals(run, old);
                runs.Add(run);
            }
            // A run that went takes its tail along.
            foreach (string log in _tails.Keys.Except(folders.Select(folder => folder.LogPath)).ToList()) _tails.Remove(log);
            if (!changed) return;
            Volatile.Write(ref _snapshot, new RunSnapshot(previous.Version + 1, runs, truncated));
            Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
        }
    }

    /// <summary>The run's state: <paramref name="old"/> itself when its log has not changed since.</summary>
    private RunState Read(RunFolder folder, RunState? old)
    {
        long length;
        DateTime lastWrite;
        try
        {
            var file = new FileInfo(folder.LogPath);
            (length, lastWrite) = (file.Length, file.LastWriteTimeUtc);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone or unreadable since it was found: shown with the reason, like a damaged log.
            return old is { Contents: null, Error: not null } ? old : new RunState(folder, 0, default, null, e.Message, ++_versions);
        }
        if (old is not null && old.Folder == folder && old.Length == length && old.LastWrite == lastWrite) return old;
        if (length > MaxLogBytes)
        {
            _tails.Remove(folder.LogPath);
            return new RunState(folder, length, lastWrite, null,
                $"{folder.Name}: the log is {length >> 20} MiB, more than the {MaxLogBytes >> 20} MiB the dashboard reads; it is not a run log, or one with far too many step events.", ++_versions);
        }
        try
        {
            // A log that shrank was replaced: it is read from its start.
            if (!_tails.TryGetValue(folder.LogPath, out var tail) || old is null || length < old.Length)
                _tails[folder.LogPath] = tail = new RunLogTail(folder.LogPath, RunLogReader.DefaultMaxLineLength, MaxLogLines);
            // Caught while a line is half written (or ends cut off): this once, the whole file as the reader reads it.
            var contents = tail.Follow() ?? RunLogReader.Read(folder.LogPath, maxLines: MaxLogLines);
            return new RunState(folder, length, lastWrite, contents, null, ++_versions);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // The tail stopped at a bad line: a later change is read again from the start.
            _tails.Remove(folder.LogPath);
            return new RunState(folder, length, lastWrite, null, e.Message, ++_versions);
        }
    }

    /// <summary>Stops the background reading.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation only; nothing else to report while stopping.
        }
        _stop.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
