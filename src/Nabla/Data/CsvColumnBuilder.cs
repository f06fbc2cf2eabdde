namespace Nabla.Data;

/// <summary>
/// Grows one column of a <see cref="CsvTable"/> as rows arrive, and decides its type from all of its
/// cells, not from the first: numbers while every cell with a value is a number, text categories from
/// the first cell that is not. Every cell is tried as a number, so that the end tells how many are: a
/// column of text in which numbers are more than half of the cells with a value is kept as text but
/// marked with its <see cref="StrayTexts"/>, which a model refuses to use.
/// </summary>
/// <remarks>
/// Values go into one array, sized for the whole file once its rows' length is known (<see cref="Reserve"/>),
/// grown by half when that guess falls short, and handed to the column without a copy unless more than a
/// sixteenth of it is unused. It starts small, so a table of very many columns and few rows costs little.
/// When a column of numbers turns to text, the numbers read so far become categories spelt as their shortest
/// round-trip text (1.50 as "1.5"): their own spelling was not kept, since almost every column stays numbers.
/// </remarks>
internal sealed class CsvColumnBuilder(string name)
{
    private static readonly string[] MissingMarkers = ["na", "n/a", "nan", "null"];

    private const int InitialCapacity = 16;

    private double[] _numbers = new double[InitialCapacity];
    private int[] _codes = [];
    private Dictionary<string, int>? _categories;
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _count;
    private int _numberCells, _textCells;
    private readonly List<(long Line, string Text)> _firstTexts = [];

    /// <summary>Makes room for <paramref name="rows"/> values in all.</summary>
    public void Reserve(int rows)
    {
        if (rows <= Capacity) return;
        if (IsText) Array.Resize(ref _codes, rows);
        else Array.Resize(ref _numbers, rows);
    }

    private bool IsText => _categories is not null;

    private int Capacity => IsText ? _codes.Length : _numbers.Length;

    /// <summary>Adds the cell of the next row, read on <paramref name="line"/>.</summary>
    public void Add(ReadOnlySpan<char> raw, long line)
    {
        var cell = raw.Trim();
        bool missing = IsMissing(cell);
        double value = double.NaN;
        bool isNumber = !missing && DecimalText.TryParse(cell, out value);
        if (isNumber) _numberCells++;
        else if (!missing)
        {
            _textCells++;
            if (_firstTexts.Count < StrayTexts.Named) _firstTexts.Add((line, StrayTexts.Quoted(cell)));
            if (!IsText) SwitchToText();
        }
        if (_count == Capacity) Reserve((int)Math.Min(Array.MaxLength, Capacity + Capacity / 2L + 1));
        if (IsText) _codes[_count] = missing ? -1 : CodeOf(cell);
        else _numbers[_count] = value;
        _count++;
    }

    /// <summary>The cells read so far as category codes: missing ones −1, numbers by their shortest round-trip text.</summary>
    private void SwitchToText()
    {
        _categories = new Dictionary<string, int>(StringComparer.Ordinal);
        _lookup = _categories.GetAlternateLookup<ReadOnlySpan<char>>();
        _codes = new int[_numbers.Length];
        for (int i = 0; i < _count; i++) _codes[i] = double.IsNaN(_numbers[i]) ? -1 : CodeOf(TransformerState.Text(_numbers[i]));
        _numbers = [];
    }

    private int CodeOf(ReadOnlySpan<char> cell)
    {
        if (!_lookup.TryGetValue(cell, out int code)) _categories![cell.ToString()] = code = _categories.Count;
        return code;
    }

    /// <summary>The column: numbers when every cell with a value is one, text otherwise, marked when numbers are the most cells with a value.</summary>
    public CsvColumn Build()
    {
        if (!IsText) return new CsvColumn(name, Trimmed(_numbers), _count);
        var categories = new string[_categories!.Count];
        foreach (var (text, code) in _categories) categories[code] = text;
        var stray = _numberCells > _textCells ? new StrayTexts(_numberCells, _textCells, _firstTexts) : null;
        return new CsvColumn(name, Trimmed(_codes), _count, categories, stray);
    }

    /// <summary>The values' array, copied to its exact length only when more than a sixteenth of it is unused.</summary>
    private T[] Trimmed<T>(T[] values)
    {
        if (values.Length - _count > values.Length / 16) Array.Resize(ref values, _count);
        return values;
    }

    /// <summary>An empty cell, or NA, N/A, NaN or null in any case.</summary>
    private static bool IsMissing(ReadOnlySpan<char> cell)
    {
        if (cell.Length == 0) return true;
        if ((cell[0] | 0x20) != 'n') return false;   // every marker starts with n
        foreach (string marker in MissingMarkers) if (cell.Equals(marker, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
