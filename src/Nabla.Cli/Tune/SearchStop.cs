using System.Runtime.InteropServices;

namespace Nabla.Cli;

/// <summary>
/// When <c>nabla tune</c> stops searching. The first Ctrl-C (SIGINT) or SIGTERM, or the end of the time budget, asks the
/// search to start no more trials (<see cref="Search"/>); the trials running then finish, and the best model found is
/// still refitted and saved. A second signal ends the running trials at their next batch (<see cref="Trials"/>), as the
/// end of the time budget does; a third is left to its default effect, for a user who will not wait at all.
/// </summary>
internal sealed class SearchStop : IDisposable
{
    private readonly CancellationTokenSource _search = new(), _trials = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly Timer? _budget;
    private readonly DateTime? _deadline;
    private int _signals;

    /// <param name="budget">The wall time the search may take, from now; null for no limit.</param>
    public SearchStop(TimeSpan? budget)
    {
        if (budget is { } time)
        {
            _deadline = DateTime.UtcNow + time;
            // One timer, the search first: a trial ended by the budget must find its search cancelled, or it would count
            // as failed. Two timers of the same time may fire in either order on a busy machine.
            _budget = new Timer(_ => EndBudget(), null, time, Timeout.InfiniteTimeSpan);
        }
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled when no more trials may start.</summary>
    public CancellationToken Search => _search.Token;

    /// <summary>Cancelled when the running trials must end now.</summary>
    public CancellationToken Trials => _trials.Token;

    /// <summary>Whether a signal stopped the search (rather than its end or its time budget).</summary>
    public bool Interrupted => Volatile.Read(ref _signals) > 0;

    /// <summary>The time left of the budget, or null without one.</summary>
    public TimeSpan? Remaining => _deadline is { } deadline ? (deadline - DateTime.UtcNow) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero : null;

    private void EndBudget()
    {
        _search.Cancel();
        _trials.Cancel();
    }

    private void OnSignal(PosixSignalContext context)
    {
        int count = Interlocked.Increment(ref _signals);
        context.Cancel = count <= 2;
        if (count == 1) _search.Cancel();
        else if (count == 2) _trials.Cancel();
    }

    /// <summary>Gives the signals back their default effect (the refit that follows handles them as <c>nabla train</c> does).</summary>
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        if (_budget is not null)
        {
            // Waits for a callback already running, so that it never cancels a disposed source.
            using var callbacksDone = new ManualResetEvent(false);
            if (_budget.Dispose(callbacksDone)) callbacksDone.WaitOne();
        }
        _search.Dispose();
        _trials.Dispose();
    }
}
