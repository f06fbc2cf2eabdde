using System.Text;

namespace Nabla.Data;

/// <summary>
/// Splits CSV text into records of fields, following RFC 4180: fields separated by commas, records by
/// line breaks (LF or CRLF), a field in double quotes may hold commas, line breaks and quotes written
/// twice. Keeps the line number where each record starts, for messages.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, string source)
{
    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    private long _nextLine = 1;

    /// <summary>The fields of the current record.</summary>
    public IReadOnlyList<string> Fields => _fields;

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>Reads the next record; false at the end of the text.</summary>
    /// <exception cref="InvalidDataException">A quote is not closed, or text follows a closing quote.</exception>
    public bool Next()
    {
        _fields.Clear();
        _field.Clear();
        Line = _nextLine;
        int ch = reader.Read();
        if (ch < 0) return false;
        bool quoted = false, afterQuote = false;
        while (true)
        {
            if (quoted)
            {
                if (ch < 0) throw new InvalidDataException($"{source}, line {Line}: a quoted field is not closed before the end of the file.");
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { _field.Append('"'); reader.Read(); }
                    else { quoted = false; afterQuote = true; }
                }
                else
                {
                    if (ch == '\n') _nextLine++;
                    _field.Append((char)ch);
                }
            }
            else if (ch < 0 || ch == '\n' || (ch == '\r' && reader.Peek() == '\n'))
            {
                if (ch == '\r') reader.Read();
                if (ch >= 0) _nextLine++;
                _fields.Add(_field.ToString());
                return true;
            }
            else if (ch == ',')
            {
                _fields.Add(_field.ToString());
                _field.Clear();
                afterQuote = false;
            }
            else if (ch == '"' && _field.ToString().Trim().Length == 0 && !afterQuote)
            {
                _field.Clear();
                quoted = true;
            }
            else if (afterQuote && !char.IsWhiteSpace((char)ch))
            {
                throw new InvalidDataException($"{source}, line {_nextLine}, field {_fields.Count + 1}: text after a closing quote; a quote inside a quoted field is written twice (\"\").");
            }
            else
            {
                _field.Append((char)ch);
            }
            ch = reader.Read();
        }
    }
}
