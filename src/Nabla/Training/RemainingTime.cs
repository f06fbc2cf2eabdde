namespace Nabla.Training;

/// <summary>
/// Estimates how long a fit has left from the pace of its steps, leaving out the first step: it pays
/// one-time costs (compiling the code, first allocations) that can be many times a later step, so an
/// estimate that counted it would start several times too long on a short fit.
/// </summary>
/// <example>
/// <code>
/// var clock = Stopwatch.StartNew();
/// var remaining = new RemainingTime();
/// // after each step:
/// remaining.Update(progress.Fraction, clock.Elapsed);
/// Console.Write(remaining.Estimate is { } left ? $"{left:mm\:ss} left" : "--:-- left");
/// </code>
/// </example>
public sealed class RemainingTime
{
    private double _firstFraction, _lastFraction;
    private TimeSpan _firstElapsed, _lastElapsed;
    private int _updates;

    /// <summary>Records that <paramref name="fractionDone"/> of the fit (in [0, 1]) was done after <paramref name="elapsed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside [0, 1] or goes back, or the time is negative or goes back.</exception>
    public void Update(double fractionDone, TimeSpan elapsed)
    {
        if (!(fractionDone >= 0 && fractionDone <= 1))
            throw new ArgumentOutOfRangeException(nameof(fractionDone), fractionDone, $"RemainingTime: the fraction done must be between 0 and 1, got {fractionDone}.");
        if (elapsed < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(elapsed), elapsed, $"RemainingTime: the elapsed time cannot be negative, got {elapsed}.");
        if (_updates > 0 && (fractionDone < _lastFraction || elapsed < _lastElapsed))
            throw new ArgumentOutOfRangeException(nameof(fractionDone), fractionDone,
                $"RemainingTime: progress cannot go back, from {_lastFraction} done after {_lastElapsed} to {fractionDone} after {elapsed}.");
        if (_updates == 0) (_firstFraction, _firstElapsed) = (fractionDone, elapsed);
        (_lastFraction, _lastElapsed) = (fractionDone, elapsed);
        _updates++;
    }

    /// <summary>
    /// The time left at the pace since the first update (the end of the first step), or null until a
    /// second update has shown that pace; zero once all is done.
    /// </summary>
    public TimeSpan? Estimate
    {
        get
        {
            if (_updates > 0 && _lastFraction >= 1) return TimeSpan.Zero;
            double done = _lastFraction - _firstFraction;
            if (_updates < 2 || done <= 0) return null;
            double secondsPerFraction = (_lastElapsed - _firstElapsed).TotalSeconds / done;
            return TimeSpan.FromSeconds(secondsPerFraction * (1 - _lastFraction));
        }
    }
}
