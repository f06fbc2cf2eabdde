namespace Nabla.Data;

/// <summary>
/// One column of a <see cref="CsvTable"/>: numbers (missing cells as NaN), or text categories
/// stored once each with a code per row (missing cells as −1). A column is numbers when every cell
/// with a value is a number, whichever row it is on; a column of text whose cells are mostly numbers
/// is marked (<see cref="IsMostlyNumbers"/>).
/// </summary>
public sealed class CsvColumn
{
    private readonly double[]? _numbers;
    private readonly int[]? _codes;
    private readonly string[]? _categories;

    /// <summary>A number column of the first <paramref name="length"/> values of <paramref name="numbers"/>, taken without a copy.</summary>
    internal CsvColumn(string name, double[] numbers, int length)
    {
        Name = name;
        _numbers = numbers;
        Length = length;
    }

    /// <summary>
    /// A text column of the first <paramref name="length"/> codes of <paramref name="codes"/>, taken without a copy;
    /// <paramref name="stray"/> when numbers are more than half of its cells with a value.
    /// </summary>
    internal CsvColumn(string name, int[] codes, int length, string[] categories, StrayTexts? stray = null)
    {
        Name = name;
        _codes = codes;
        _categories = categories;
        Length = length;
        Stray = stray;
    }

    /// <summary>The column's name from the header row.</summary>
    public string Name { get; }

    /// <summary>Whether every present cell is a number.</summary>
    public bool IsNumeric => _numbers is not null;

    /// <summary>
    /// Whether the column holds text, but more than half of its cells with a value are numbers: most likely a column
    /// of numbers with a few mistakes ("5.1x", "?"). It reads as text, and <see cref="TabularPreprocessor"/> refuses
    /// to use it, naming the lines of its texts.
    /// </summary>
    public bool IsMostlyNumbers => Stray is not null;

    /// <summary>The text cells of a column that <see cref="IsMostlyNumbers"/>, or null.</summary>
    internal StrayTexts? Stray { get; }

    /// <summary>The number of rows.</summary>
    public int Length { get; }

    /// <summary>The values of a numeric column, NaN where a cell was missing.</summary>
    /// <exception cref="InvalidOperationException">The column holds text.</exception>
    public ReadOnlySpan<double> Numbers => _numbers is not null ? _numbers.AsSpan(0, Length) : throw new InvalidOperationException($"Column '{Name}' holds text, not numbers.");

    /// <summary>The category code of each row of a text column (an index into <see cref="Categories"/>), −1 where a cell was missing.</summary>
    /// <exception cref="InvalidOperationException">The column holds numbers.</exception>
    public ReadOnlySpan<int> Codes => _codes is not null ? _codes.AsSpan(0, Length) : throw new InvalidOperationException($"Column '{Name}' holds numbers, not text.");

    /// <summary>The distinct texts of a text column, in order of first appearance.</summary>
    /// <exception cref="InvalidOperationException">The column holds numbers.</exception>
    public IReadOnlyList<string> Categories => _categories ?? throw new InvalidOperationException($"Column '{Name}' holds numbers, not text.");

    /// <summary>The text of each row of a text column, in row order, with "" where a cell was missing.</summary>
    /// <exception cref="InvalidOperationException">The column holds numbers.</exception>
    public string[] Texts()
    {
        var codes = Codes;
        var categories = Categories;
        var texts = new string[codes.Length];
        for (int row = 0; row < texts.Length; row++) texts[row] = codes[row] < 0 ? "" : categories[codes[row]];
        return texts;
    }

    /// <summary>
    /// The first row of a text column whose cell holds text that is not a number (as the reader parses numbers), so an error can
    /// name the culprit rather than a number that merely shares the column; -1 when there is none, or the column holds numbers.
    /// </summary>
    public int FirstNonNumberRow()
    {
        if (_codes is null) return -1;
        var codes = Codes;
        var categories = Categories;
        for (int row = 0; row < codes.Length; row++)
            if (codes[row] >= 0 && !DecimalText.TryParse(categories[codes[row]], out _)) return row;
        return -1;
    }

    /// <summary>The number of missing cells.</summary>
    public int MissingCount
    {
        get
        {
            int missing = 0;
            if (_numbers is not null) { foreach (double v in Numbers) if (double.IsNaN(v)) missing++; }
            else foreach (int c in Codes) if (c < 0) missing++;
            return missing;
        }
    }
}
