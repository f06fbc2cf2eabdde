namespace Nabla.Training;

/// <summary>
/// Reads a run log that a <see cref="RunLog"/> wrote, without trusting it: every line must be a whole event of the
/// expected shape, except a last line cut off by a writer that was killed, which is skipped and reported
/// (<see cref="RunLogContents.IgnoredPartialLine"/>).
/// </summary>
/// <remarks>
/// Reading is bounded whatever the file holds (a huge one, <c>/dev/zero</c>, a pipe that never ends): a line longer
/// than the line limit, or more lines than the line limit, is an <see cref="InvalidDataException"/> as soon as it is
/// met, so memory stays below about the two limits' product of parsed events and time stays proportional to what is read.
/// </remarks>
public static class RunLogReader
{
    /// <summary>The longest line read by default, in bytes: an epoch event with the gradient norms of some five thousand parameters.</summary>
    public const int DefaultMaxLineLength = 1 << 20;

    /// <summary>The most lines read by default: a million epochs or logged steps.</summary>
    public const int DefaultMaxLines = 1_000_000;

    /// <summary>Reads the log at <paramref name="path"/> into its events.</summary>
    /// <param name="path">The log file (<see cref="RunLog.Path"/>).</param>
    /// <param name="maxLineLength">The longest line allowed, in bytes (≥ 1).</param>
    /// <param name="maxLines">The most lines allowed (≥ 1).</param>
    /// <exception cref="InvalidDataException">A line other than a cut-off last one is not a valid event (the message names the file and the line);
    /// the events are out of order; a line or the file is longer than the limits; or there is no complete settings event.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RunLogContents Read(string path, int maxLineLength = DefaultMaxLineLength, int maxLines = DefaultMaxLines)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        return new RunLogTail(path, maxLineLength, maxLines).ReadToEnd();
    }
}
