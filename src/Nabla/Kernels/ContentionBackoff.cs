using System.Diagnostics;

namespace Nabla.Kernels;

/// <summary>
/// Tells a <see cref="KernelThreadPool"/> when the machine is too busy for its workers to help:
/// after a worker arrives late at a job, calls run on the caller alone for a while, then wake the
/// workers again to see whether the machine has calmed down.
/// </summary>
/// <remarks>
/// <para>
/// A worker that is woken and still has not run a millisecond later was kept off the cores by
/// other programs. The caller does not wait for it, but such a worker is of little use: when it
/// does run, it takes a core from the caller or from the program it preempts, and a piece it
/// claims may then hold up the caller for a whole scheduler slice. With one busy program per core,
/// Nabla's threads get about the same share of the machine whether it runs one thread or two, so
/// running alone loses little and never waits on a descheduled helper.
/// </para>
/// <para>
/// Only who computes which piece changes, never the pieces, so results stay bit-identical.
/// </para>
/// </remarks>
internal sealed class ContentionBackoff
{
    private readonly long _lateTicks, _aloneTicks;
    private long _aloneUntil;

    /// <summary>
    /// Judges a worker late after 1 ms, far beyond the wake-up of a sleeping thread on an idle
    /// machine, and then runs calls alone for 20 ms: dozens of training steps, against the cost of
    /// one call that wakes the workers to try again.
    /// </summary>
    public ContentionBackoff() : this(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20)) { }

    /// <param name="late">A worker that starts on a job later than this after it was handed the job was kept waiting for a core.</param>
    /// <param name="alone">How long calls then run alone before they try the workers again.</param>
    public ContentionBackoff(TimeSpan late, TimeSpan alone)
    {
        _lateTicks = (long)(late.TotalSeconds * Stopwatch.Frequency);
        _aloneTicks = (long)(alone.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Whether callers should leave the workers asleep for now.</summary>
    public bool RunAlone => Stopwatch.GetTimestamp() < Volatile.Read(ref _aloneUntil);

    /// <summary>Notes that a worker handed a job at <paramref name="handedAt"/> (a <see cref="Stopwatch"/> timestamp) has started on it now.</summary>
    public void Arrived(long handedAt)
    {
        long now = Stopwatch.GetTimestamp();
        if (now - handedAt > _lateTicks)
            Volatile.Write(ref _aloneUntil, now + _aloneTicks);
    }
}
