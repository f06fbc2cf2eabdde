using System.Globalization;
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
/// as text or as rows. Every problem is an <see cref="InvalidDataException"/> that names the file,
/// the line and the column: a row with too many or too few cells, a word in a column of numbers,
/// an unterminated quote, a repeated or empty column name, an empty file.
/// </remarks>
public static class Csv
{
    private static readonly string[] MissingMarkers = ["na", "n/a", "nan", "null"];

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
        var names = records.Fields.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            names[c] = names[c].Trim();
            if (names[c].Length == 0) throw new InvalidDataException($"{source}, line 1: column {c + 1} has no name.");
            if (!seen.Add(names[c])) throw new InvalidDataException($"{source}, line 1: the column name '{names[c]}' appears twice.");
        }

        var builders = new ColumnBuilder[names.Length];
        for (int c = 0; c < names.Length; c++) builders[c] = new ColumnBuilder(names[c]);
        int rows = 0;
        while (records.Next())
        {
            var fields = records.Fields;
            if (fields.Count == 1 && fields[0].Length == 0) continue;   // a blank line
            if (fields.Count != names.Length)
                throw new InvalidDataException($"{source}, line {records.Line}: {fields.Count} cells, but the header has {names.Length} columns ({string.Join(", ", names)}).");
            for (int c = 0; c < names.Length; c++) builders[c].Add(fields[c], source, records.Line);
            rows++;
        }
        if (rows == 0) throw new InvalidDataException($"{source}: there are no data rows after the header.");
        return new CsvTable(source, [.. builders.Select(b => b.Build())]);
    }

    private static bool IsMissing(string cell)
    {
        if (cell.Length == 0) return true;
        foreach (string marker in MissingMarkers) if (cell.Equals(marker, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>Grows one column as rows arrive: numbers until proven text, from its first present cell.</summary>
    private sealed class ColumnBuilder(string name)
    {
        private double[] _numbers = new double[1024];
        private int[]? _codes;
        private Dictionary<string, int>? _categories;
        private int _count;
        private bool? _numeric;
        private int _firstLine;
        private string? _firstValue;

        public void Add(string raw, string source, long line)
        {
            string cell = raw.Trim();
            bool missing = IsMissing(cell);
            if (!missing && _numeric is null)
            {
                _numeric = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                (_firstLine, _firstValue) = ((int)line, cell);
                if (_numeric == false) SwitchToText();
            }
            if (_numeric == false)
            {
                if (_count == _codes!.Length) Array.Resize(ref _codes, _count * 2);
                _codes[_count++] = missing ? -1 : CodeOf(cell);
                return;
            }
            double value = double.NaN;
            if (!missing && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                throw new InvalidDataException(
                    $"{source}, line {line}, column '{name}': \"{cell}\" is not a number, but the column holds numbers (line {_firstLine} has {_firstValue}).");
            if (_count == _numbers.Length) Array.Resize(ref _numbers, _count * 2);
            _numbers[_count++] = value;
        }

        /// <summary>Every earlier cell of a column whose first present cell is text was missing: they become code −1.</summary>
        private void SwitchToText()
        {
            _codes = new int[Math.Max(1024, _numbers.Length)];
            Array.Fill(_codes, -1, 0, _count);
            _numbers = [];
            _categories = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        private int CodeOf(string cell)
        {
            if (!_categories!.TryGetValue(cell, out int code)) _categories[cell] = code = _categories.Count;
            return code;
        }

        public CsvColumn Build()
        {
            if (_numeric == false)
            {
                var categories = new string[_categories!.Count];
                foreach (var (text, code) in _categories) categories[code] = text;
                return new CsvColumn(name, _codes![.._count], categories);
            }
            return new CsvColumn(name, _numbers[.._count]);
        }
    }
}
