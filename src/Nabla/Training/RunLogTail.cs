using System.Text;
using Nabla.IO;

namespace Nabla.Training;

/// <summary>
/// Follows a run log as it grows: each look parses only the lines appended since the one before, so watching a long run
/// (a dashboard looking every quarter second) costs what the run writes, not its whole log again each time.
/// <see cref="RunLogReader.Read"/> is one look to the end.
/// </summary>
/// <remarks>
/// A line counts once its newline is there: a line without one is either being written at this instant or was cut off
/// by a writer that was killed, which only the end of reading (<see cref="ReadToEnd"/>) can tell. The limits bound the
/// whole log, as the reader's do.
/// </remarks>
internal sealed class RunLogTail(string path, int maxLineLength, int maxLines)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly RunLogEvents _events = new(path);
    private readonly List<byte> _line = [];
    private readonly byte[] _buffer = new byte[1 << 16];
    private long _offset;
    private int _number;

    /// <summary>
    /// Parses the whole lines appended since the last look, and returns what the log holds so far; null while the last
    /// line has no newline yet (it is being written, or was cut off), or before the settings event is whole.
    /// </summary>
    /// <exception cref="InvalidDataException">A line is not a valid event, a limit is passed, or the file shrank (it was replaced).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public RunLogContents? Follow()
    {
        Append();
        return _line.Count > 0 || !_events.HasSettings ? null : _events.Contents(partial: null);
    }

    /// <summary>
    /// Parses what is left to the end of the file, its last line without a newline included: an event when it is whole,
    /// skipped and reported when it was cut off. The tail is finished after it.
    /// </summary>
    /// <exception cref="InvalidDataException">A line other than a cut-off last one is not a valid event, a limit is passed, or there is no complete settings event.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public RunLogContents ReadToEnd()
    {
        Append();
        int? partial = null;
        if (_line.Count > 0)
        {
            // No newline after it: the writer ends every event with one, so this line was cut off, unless it parses whole.
            int last = _number + 1;
            StrictJson? whole = null;
            try
            {
                whole = Parse(last);
            }
            catch (InvalidDataException)
            {
                partial = last;
            }
            if (whole is { } json) _events.Add(json, last);
            _line.Clear();
        }
        return _events.Contents(partial);
    }

    private void Append()
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        // The first look reads from the start, which a pipe or a device allows too; a later one goes on where it stopped.
        if (_offset > 0)
        {
            if (stream.Length < _offset)
                throw new InvalidDataException($"{path}: the log is shorter than when it was last read ({stream.Length} bytes, was {_offset}); it was replaced, not appended to.");
            stream.Seek(_offset, SeekOrigin.Begin);
        }
        for (int read; (read = stream.Read(_buffer)) > 0;)
        {
            _offset += read;
            for (int i = 0; i < read; i++)
            {
                if (_buffer[i] != (byte)'\n')
                {
                    if (_line.Count == maxLineLength)
                        throw new InvalidDataException($"{path}, line {_number + 1}: longer than {maxLineLength} bytes, the most a run log's line may hold; it is not a run log, or a damaged one.");
                    _line.Add(_buffer[i]);
                    continue;
                }
                if (++_number > maxLines)
                    throw new InvalidDataException($"{path}: more than {maxLines} lines, the most a run log may hold here; it is not a run log, or a damaged one.");
                _events.Add(Parse(_number), _number);
                _line.Clear();
            }
        }
    }

    private StrictJson Parse(int number)
    {
        string where = $"{path}, line {number}";
        string text;
        try
        {
            text = StrictUtf8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_line));
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{where}: not UTF-8 text; it is not a run log, or a damaged one.");
        }
        if (string.IsNullOrWhiteSpace(text)) throw new InvalidDataException($"{where}: the line is empty; every line of a run log is one event.");
        return StrictJson.Parse(text, where);
    }
}
