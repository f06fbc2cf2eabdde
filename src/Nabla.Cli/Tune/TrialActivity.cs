using System.Diagnostics;

namespace Nabla.Cli;

/// <summary>
/// Measures the time spent in trials, for the overhead <c>nabla tune</c> reports: the wall time during which at least one
/// trial ran (what is left of the search's time is the search's own work), and the trial time summed over the trials
/// running at once (which, against the wall time times the trials allowed at once, tells how busy the parallel slots were).
/// </summary>
internal sealed class TrialActivity
{
    private readonly Lock _lock = new();
    private int _running;
    private long _busySince, _anyTicks, _summedTicks;

    /// <summary>The wall time during which at least one trial ran.</summary>
    public TimeSpan Any
    {
        get
        {
            lock (_lock) return TimeSpan.FromTicks(_anyTicks);
        }
    }

    /// <summary>The time of every trial, summed.</summary>
    public TimeSpan Summed
    {
        get
        {
            lock (_lock) return TimeSpan.FromTicks(_summedTicks);
        }
    }

    /// <summary>Times <paramref name="trial"/> as one trial's work.</summary>
    public T Run<T>(Func<T> trial)
    {
        long start = Stopwatch.GetTimestamp();
        lock (_lock)
            if (_running++ == 0) _busySince = start;
        try
        {
            return trial();
        }
        finally
        {
            long end = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                _summedTicks += Stopwatch.GetElapsedTime(start, end).Ticks;
                if (--_running == 0) _anyTicks += Stopwatch.GetElapsedTime(_busySince, end).Ticks;
            }
        }
    }
}
