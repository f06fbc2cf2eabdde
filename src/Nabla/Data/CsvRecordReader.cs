using System.Buffers;

namespace Nabla.Data;

/// <summary>
/// Splits CSV text into records of fields, following RFC 4180: fields separated by commas, records by
/// line breaks (LF or CRLF), a field in double quotes may hold commas, line breaks and quotes written
/// twice. Fields are handed out as spans over one reused buffer, so reading allocates nothing per
/// cell; the line number where each record starts is kept for messages. Runs of ordinary characters
/// are found with a vectorised search and copied at once; only the characters that end a run
/// (comma, quote, line break) are looked at one by one. A record with more columns or characters than
/// <paramref name="limits"/> allows is refused as soon as it crosses the limit, so a line that never
/// ends (a binary file, <c>/dev/zero</c>) costs no more memory than the limit.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, string source, CsvLimits limits)
{
    private static readonly SearchValues<char> PlainStops = SearchValues.Create(",\n\r\"");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\n");
    private readonly char[] _buffer = new char[1 << 16];
    private int _position, _length;
    private char[] _record = new char[1024];
    private int _recordLength;
    private int[] _starts = new int[64], _lengths = new int[64];
    private long _nextLine = 1;
    private long _filled;
    private long _recordStart;

    /// <summary>
    /// Whether a line break inside a quoted field is an error rather than part of the field: a file
    /// read in parts is split at line breaks, which is only safe when no field holds one.
    /// </summary>
    public bool RefuseQuotedLineBreaks { get; init; }

    /// <summary>How many characters of the text have been consumed so far.</summary>
    public long CharsRead => _filled - (_length - _position);

    /// <summary>The number of fields in the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>Field <paramref name="index"/> of the current record, unquoted; valid until the next call of <see cref="Next"/>.</summary>
    public ReadOnlySpan<char> Field(int index) => _record.AsSpan(_starts[index], _lengths[index]);

    /// <summary>Reads the next record; false at the end of the text.</summary>
    /// <exception cref="InvalidDataException">A quote is not closed, text follows a closing quote, or the record has more columns or characters than the limits allow.</exception>
    public bool Next()
    {
        FieldCount = 0;
        _recordLength = 0;
        Line = _nextLine;
        _recordStart = CharsRead;
        if (Peek() < 0) return false;
        int fieldStart = 0;
        bool quoted = false, afterQuote = false;
        while (true)
        {
            // After a closing quote every character is checked, so only other states copy runs.
            if (!afterQuote) CopyRun(quoted ? QuotedStops : PlainStops);
            int ch = Read();
            if (quoted)
            {
                if (ch < 0) throw new InvalidDataException($"{source}, line {Line}: a quoted field is not closed before the end of the file.");
                if (ch == '"')
                {
                    if (Peek() == '"') { Append('"'); Read(); }
                    else { quoted = false; afterQuote = true; }
                }
                else
                {
                    if (ch == '\n' && RefuseQuotedLineBreaks)
                        throw new InvalidDataException($"{source}, line {_nextLine}: a quoted field holds a line break, so the file cannot be split into parts at line breaks; read it whole, or write the field without the line break.");
                    if (ch == '\n') _nextLine++;
                    Append((char)ch);
                }
            }
            else if (ch < 0 || ch == '\n' || (ch == '\r' && Peek() == '\n'))
            {
                // Checked here to the character; while the record is read, Fill checks it to the buffer.
                if (CharsRead - _recordStart - (ch < 0 ? 0 : 1) > limits.MaxLineLength) throw limits.LineTooLong(source, Line);
                if (ch == '\r') Read();
                if (ch >= 0) _nextLine++;
                EndField(fieldStart);
                return true;
            }
            else if (ch == ',')
            {
                EndField(fieldStart);
                fieldStart = _recordLength;
                afterQuote = false;
            }
            else if (ch == '"' && !afterQuote && _record.AsSpan(fieldStart, _recordLength - fieldStart).IsWhiteSpace())
            {
                _recordLength = fieldStart;   // leading spaces before an opening quote are not content
                quoted = true;
            }
            else if (afterQuote && !char.IsWhiteSpace((char)ch))
            {
                throw new InvalidDataException($"{source}, line {_nextLine}, field {FieldCount + 1}: text after a closing quote; a quote inside a quoted field is written twice (\"\").");
            }
            else
            {
                Append((char)ch);
            }
        }
    }

    /// <summary>Appends the characters up to the next one of <paramref name="stops"/> (or the end of the text), leaving that one unread.</summary>
    private void CopyRun(SearchValues<char> stops)
    {
        while (_position < _length || Fill())
        {
            var rest = _buffer.AsSpan(_position, _length - _position);
            int stop = rest.IndexOfAny(stops);
            int run = stop < 0 ? rest.Length : stop;
            if (_recordLength + run > _record.Length) Array.Resize(ref _record, Math.Max(_record.Length * 2, _recordLength + run));
            rest[..run].CopyTo(_record.AsSpan(_recordLength));
            _recordLength += run;
            _position += run;
            if (stop >= 0) return;
        }
    }

    private void EndField(int start)
    {
        if (FieldCount == limits.MaxColumns) throw limits.TooManyColumns(source, Line);
        if (FieldCount == _starts.Length)
        {
            Array.Resize(ref _starts, FieldCount * 2);
            Array.Resize(ref _lengths, FieldCount * 2);
        }
        _starts[FieldCount] = start;
        _lengths[FieldCount++] = _recordLength - start;
    }

    private void Append(char c)
    {
        if (_recordLength == _record.Length) Array.Resize(ref _record, _record.Length * 2);
        _record[_recordLength++] = c;
    }

    private int Read()
    {
        if (_position == _length && !Fill()) return -1;
        return _buffer[_position++];
    }

    private int Peek()
    {
        if (_position == _length && !Fill()) return -1;
        return _buffer[_position];
    }

    private bool Fill()
    {
        // Everything buffered is consumed, so the record's characters so far are those read since it began
        // (one of them may be the CR of a CRLF whose LF comes next, hence the + 1).
        if (_filled - _recordStart > limits.MaxLineLength + 1L) throw limits.LineTooLong(source, Line);
        _length = reader.Read(_buffer, 0, _buffer.Length);
        _filled += _length;
        _position = 0;
        return _length > 0;
    }
}
