using System.Text;

namespace Nabla.Data;

/// <summary>
/// Reads comma-separated files with a header row (RFC 4180: quoted fields may hold commas, quotes
/// written twice, and line breaks). Each column is numbers when its first present cell is a number,
/// text categories otherwise. Empty cells and NA, N/A, NaN, null (any case) are missing.
/// </summary>
/// <remarks>
/// The file is read once, as a stream, straight into one array per column (numbers as doubles,
/// text as one code per row with each distinct text stored once), so a large file is never held
/// as text or as rows. When the length of the input is known (a file), the arrays are sized from
/// the first rows' length, so they are neither copied to grow nor copied to trim. Every problem is an <see cref="InvalidDataException"/> that names the file,
/// the line and the column: a row with too many or too few cells, a word in a column of numbers,
/// an unterminated quote, a repeated or empty column name, an empty file.
/// </remarks>
public static class Csv
{
    private static readonly string[] MissingMarkers = ["na", "n/a", "nan", "null"];

    /// <summary>After this many rows, the length of a row is known well enough to size the columns for the whole file.</summary>
    private const int RowsToMeasure = 1000;

    /// <summary>Reads the CSV file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed table; the message names the line and column.</exception>
    public static CsvTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return Read(reader, path);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The text is not a well-formed table; the message names the line and column.</exception>
    public static CsvTable Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = new CsvRecordReader(reader, source);
        if (!records.Next()) throw new InvalidDataException($"{source}: the file is empty; expected a header row and data rows.");
        var names = new string[records.FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            names[c] = records.Field(c).Trim().ToString();
            if (names[c].Length == 0) throw new InvalidDataException($"{source}, line 1: column {c + 1} has no name.");
            if (!seen.Add(names[c])) throw new InvalidDataException($"{source}, line 1: the column name '{names[c]}' appears twice.");
        }

        var builders = new ColumnBuilder[names.Length];
        for (int c = 0; c < names.Length; c++) builders[c] = new ColumnBuilder(names[c]);
        int rows = 0;
        var lines = new RowLines();
        long totalChars = reader is StreamReader { BaseStream.CanSeek: true } file ? file.BaseStream.Length : -1;
        long headerChars = records.CharsRead;
        while (records.Next())
        {
            int count = records.FieldCount;
            if (count == 1 && records.Field(0).IsWhiteSpace()) continue;   // a blank line
            if (count != names.Length)
                throw new InvalidDataException($"{source}, line {records.Line}: {count} cells, but the header has {names.Length} columns ({string.Join(", ", names)}).");
            for (int c = 0; c < names.Length; c++) builders[c].Add(records.Field(c), source, records.Line);
            lines.Add(rows, records.Line);
            rows++;
            if (rows == RowsToMeasure && totalChars > 0)
            {
                // Bytes and characters differ only for non-ASCII text; the builders trim any excess at the end.
                double charsPerRow = (double)(records.CharsRead - headerChars) / rows;
                long expected = (long)((totalChars - headerChars) / charsPerRow * 1.02) + 16;
                foreach (var builder in builders) builder.Reserve((int)Math.Min(expected, Array.MaxLength));
            }
        }
        if (rows == 0) throw new InvalidDataException($"{source}: there are no data rows after the header.");
        return new CsvTable(source, [.. builders.Select(b => b.Build())], lines);
    }

    private static bool IsMissing(ReadOnlySpan<char> cell)
    {
        if (cell.Length == 0) return true;
        if ((cell[0] | 0x20) != 'n') return false;   // every marker starts with n
        foreach (string marker in MissingMarkers) if (cell.Equals(marker, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>
    /// Grows one column as rows arrive: numbers until proven text, from its first present cell. Values
    /// go into one array, sized for the whole file once its rows' length is known (<see cref="Reserve"/>),
    /// grown by half when that guess falls short, and handed to the column without a copy unless more
    /// than a sixteenth of it is unused.
    /// </summary>
    private sealed class ColumnBuilder(string name)
    {
        private double[] _numbers = new double[RowsToMeasure];
        private int[] _codes = [];
        private Dictionary<string, int>? _categories;
        private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private int _count;
        private bool? _numeric;
        private long _firstLine;
        private string? _firstValue;

        /// <summary>Makes room for <paramref name="rows"/> values in all.</summary>
        public void Reserve(int rows)
        {
            if (rows <= Capacity) return;
            if (_numeric == false) Array.Resize(ref _codes, rows);
            else Array.Resize(ref _numbers, rows);
        }

        private int Capacity => _numeric == false ? _codes.Length : _numbers.Length;

        public void Add(ReadOnlySpan<char> raw, string source, long line)
        {
            var cell = raw.Trim();
            bool missing = IsMissing(cell);
            double value = double.NaN;
            bool isNumber = !missing && DecimalText.TryParse(cell, out value);
            if (!missing && _numeric is null)
            {
                _numeric = isNumber;
                (_firstLine, _firstValue) = (line, cell.ToString());
                if (!isNumber) SwitchToText();
            }
            if (_count == Capacity) Reserve((int)Math.Min(Array.MaxLength, Capacity + Capacity / 2L + 1));
            if (_numeric == false)
            {
                _codes[_count] = missing ? -1 : CodeOf(cell);
            }
            else
            {
                if (!missing && !isNumber)
                    throw new InvalidDataException(
                        $"{source}, line {line}, column '{name}': \"{cell}\" is not a number, but the column holds numbers (line {_firstLine} has {_firstValue}).");
                _numbers[_count] = value;
            }
            _count++;
        }

        /// <summary>Every earlier cell of a column whose first present cell is text was missing: they become code −1.</summary>
        private void SwitchToText()
        {
            _codes = new int[_numbers.Length];
            _codes.AsSpan(0, _count).Fill(-1);
            _numbers = [];
            _categories = new Dictionary<string, int>(StringComparer.Ordinal);
            _lookup = _categories.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        private int CodeOf(ReadOnlySpan<char> cell)
        {
            if (!_lookup.TryGetValue(cell, out int code)) _categories![cell.ToString()] = code = _categories.Count;
            return code;
        }

        public CsvColumn Build()
        {
            if (_numeric == false)
            {
                var categories = new string[_categories!.Count];
                foreach (var (text, code) in _categories) categories[code] = text;
                return new CsvColumn(name, Trimmed(_codes), _count, categories);
            }
            return new CsvColumn(name, Trimmed(_numbers), _count);
        }

        /// <summary>The values' array, copied to its exact length only when more than a sixteenth of it is unused.</summary>
        private T[] Trimmed<T>(T[] values)
        {
            if (values.Length - _count > values.Length / 16) Array.Resize(ref values, _count);
            return values;
        }
    }
}
