using System.Text;

namespace Nabla.Data;

/// <summary>
/// Reads comma-separated files with a header row (RFC 4180: quoted fields may hold commas, quotes
/// written twice, and line breaks). Empty cells and NA, N/A, NaN, null (any case) are missing. A column
/// is numbers when every cell with a value is a number, whichever rows they are on; otherwise it is text
/// categories. A column of text whose cells are mostly numbers (more than half of those with a value)
/// is marked <see cref="CsvColumn.IsMostlyNumbers"/>: most likely numbers with a few mistakes, which
/// <see cref="TabularPreprocessor"/> refuses, naming their lines, rather than one-hot encode each number.
/// </summary>
/// <remarks>
/// The file is read once, as a stream, straight into one array per column (numbers as doubles,
/// text as one code per row with each distinct text stored once), so a large file is never held
/// as text or as rows. When the length of the input is known (a file), the arrays are sized from
/// the first rows' length, so they are neither copied to grow nor copied to trim. <see cref="CsvLimits"/>
/// bounds the columns and characters of a line and the cells of the table, so an input that never ends
/// (a pipe, <c>/dev/zero</c>) stops with an error in bounded memory and time. Every problem is an
/// <see cref="InvalidDataException"/> that names the file, the line and the column: a row with too many or
/// too few cells, an unterminated quote, a repeated or empty column name, an empty file, a limit crossed.
/// </remarks>
public static class Csv
{
    /// <summary>After this many rows, the length of a row is known well enough to size the columns for the whole file.</summary>
    private const int RowsToMeasure = 1000;

    /// <summary>
    /// <paramref name="text"/> as one CSV field: quoted (with its quotes doubled) when it holds a comma, a quote or a line break,
    /// or starts or ends with white space, which a reader would otherwise split or trim; as it is otherwise.
    /// </summary>
    public static string Field(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : text;
    }

    /// <summary>Reads the CSV file at <paramref name="path"/>, within <paramref name="limits"/> (by default <see cref="CsvLimits.Default"/>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed table, or crosses a limit; the message names the line and column.</exception>
    public static CsvTable Read(string path, CsvLimits? limits = null) => Read(path, limits, columnsToRead: null);

    /// <summary>
    /// Reads the CSV file at <paramref name="path"/>, keeping only the columns <paramref name="columnsToRead"/> names
    /// when given the header's names (line 1), in file order; the others are skipped, neither parsed nor stored.
    /// It is called before any data row is read, so it may refuse the file by throwing.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="limits">The bounds of the file (by default <see cref="CsvLimits.Default"/>).</param>
    /// <param name="columnsToRead">Given the header's names, the columns to keep; null keeps them all.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed table, or crosses a limit; the message names the file and line.</exception>
    public static CsvTable Read(string path, CsvLimits? limits, Func<IReadOnlyList<string>, IEnumerable<string>>? columnsToRead)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return Read(reader, path, limits, columnsToRead);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/> within <paramref name="limits"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The text is not a well-formed table, or crosses a limit; the message names the line and column.</exception>
    public static CsvTable Read(TextReader reader, string source, CsvLimits? limits = null) => Read(reader, source, limits, columnsToRead: null);

    /// <summary>
    /// Reads only part <paramref name="part"/> (0-based) of <paramref name="parts"/> of the CSV file at
    /// <paramref name="path"/>: the header, then the rows whose line starts in that part's share of the
    /// bytes (<see cref="CsvPart"/>), so N processes each hold 1/N of a file none could hold whole, and the
    /// parts' rows, in part order, are the file's rows. A part may hold no rows (a file of fewer rows than
    /// parts). Column kinds are decided from the part's own cells; a distributed job checks that they agree.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="part">Which part, from 0 to <paramref name="parts"/> − 1 (a process's rank).</param>
    /// <param name="parts">How many parts (the number of processes).</param>
    /// <param name="limits">The bounds of the file (by default <see cref="CsvLimits.Default"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is below 1, or <paramref name="part"/> out of range.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The part is not a well-formed table, or a quoted field holds a line break (a split at line breaks could cut it,
    /// so such files are refused in parts); the message names the file, the part and the line within the part.
    /// </exception>
    public static CsvTable ReadPart(string path, int part, int parts, CsvLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var (header, start, end) = CsvPart.Locate(file, part, parts);
        using var reader = new StreamReader(new PrefixedStream(header, CsvPart.Range(file, start, end)), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return Read(reader, $"{path} (part {part + 1} of {parts}, lines counted from the part's start)", limits, columnsToRead: null, inParts: true);
    }

    private static CsvTable Read(TextReader reader, string source, CsvLimits? limits, Func<IReadOnlyList<string>, IEnumerable<string>>? columnsToRead, bool inParts = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        limits ??= CsvLimits.Default;
        var records = new CsvRecordReader(reader, source, limits) { RefuseQuotedLineBreaks = inParts };
        if (!records.Next()) throw new InvalidDataException($"{source}: the file is empty; expected a header row and data rows.");
        var names = new string[records.FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            names[c] = records.Field(c).Trim().ToString();
            if (names[c].Length == 0) throw new InvalidDataException($"{source}, line 1: column {c + 1} has no name.");
            if (!seen.Add(names[c])) throw new InvalidDataException($"{source}, line 1: the column name '{names[c]}' appears twice.");
        }

        var kept = columnsToRead is null ? seen : new HashSet<string>(columnsToRead(names), StringComparer.Ordinal);
        // A skipped column has no builder: its cells are split from the line, as they must be to find the others, and dropped.
        var builders = names.Select(name => kept.Contains(name) ? new CsvColumnBuilder(name) : null).ToArray();
        int rows = 0;
        long cells = 0;
        var rowLines = new RowLines();
        long totalChars = reader is StreamReader { BaseStream.CanSeek: true } file ? file.BaseStream.Length : -1;
        long headerChars = records.CharsRead;
        while (records.Next())
        {
            int count = records.FieldCount;
            if ((cells += count) > limits.MaxCells) throw limits.TooManyCells(source, records.Line);
            if (count == 1 && records.Field(0).IsWhiteSpace()) continue;   // a blank line
            if (count != names.Length)
                throw new InvalidDataException($"{source}, line {records.Line}: {count} cells, but the header has {names.Length} columns ({NameList.Abridged(names)}).");
            for (int c = 0; c < names.Length; c++) builders[c]?.Add(records.Field(c), records.Line);
            rowLines.Add(rows, records.Line);
            rows++;
            if (rows == RowsToMeasure && totalChars > 0)
            {
                // Bytes and characters differ only for non-ASCII text; the builders trim any excess at the end.
                double charsPerRow = (double)(records.CharsRead - headerChars) / rows;
                long expected = (long)((totalChars - headerChars) / charsPerRow * 1.02) + 16;
                long most = Math.Min(limits.MaxCells / names.Length, Array.MaxLength);
                foreach (var builder in builders) builder?.Reserve((int)Math.Min(expected, most));
            }
        }
        if (rows == 0 && !inParts) throw new InvalidDataException($"{source}: there are no data rows after the header.");
        return new CsvTable(source, [.. builders.OfType<CsvColumnBuilder>().Select(b => b.Build())], rowLines);
    }
}
