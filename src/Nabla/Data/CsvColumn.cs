namespace Nabla.Data;

/// <summary>
/// One column of a <see cref="CsvTable"/>: numbers (missing cells as NaN), or text categories
/// stored once each with a code per row (missing cells as −1).
/// </summary>
public sealed class CsvColumn
{
    private readonly double[]? _numbers;
    private readonly int[]? _codes;
    private readonly string[]? _categories;

    internal CsvColumn(string name, double[] numbers)
    {
        Name = name;
        _numbers = numbers;
    }

    internal CsvColumn(string name, int[] codes, string[] categories)
    {
        Name = name;
        _codes = codes;
        _categories = categories;
    }

    /// <summary>The column's name from the header row.</summary>
    public string Name { get; }

    /// <summary>Whether every present cell is a number.</summary>
    public bool IsNumeric => _numbers is not null;

    /// <summary>The number of rows.</summary>
    public int Length => _numbers?.Length ?? _codes!.Length;

    /// <summary>The values of a numeric column, NaN where a cell was missing.</summary>
    /// <exception cref="InvalidOperationException">The column holds text.</exception>
    public ReadOnlySpan<double> Numbers => _numbers ?? throw new InvalidOperationException($"Column '{Name}' holds text, not numbers.");

    /// <summary>The category code of each row of a text column (an index into <see cref="Categories"/>), −1 where a cell was missing.</summary>
    /// <exception cref="InvalidOperationException">The column holds numbers.</exception>
    public ReadOnlySpan<int> Codes => _codes ?? throw new InvalidOperationException($"Column '{Name}' holds numbers, not text.");

    /// <summary>The distinct texts of a text column, in order of first appearance.</summary>
    /// <exception cref="InvalidOperationException">The column holds numbers.</exception>
    public IReadOnlyList<string> Categories => _categories ?? throw new InvalidOperationException($"Column '{Name}' holds numbers, not text.");

    /// <summary>The number of missing cells.</summary>
    public int MissingCount
    {
        get
        {
            int missing = 0;
            if (_numbers is not null) { foreach (double v in _numbers) if (double.IsNaN(v)) missing++; }
            else foreach (int c in _codes!) if (c < 0) missing++;
            return missing;
        }
    }
}
