namespace Nabla.Data;

/// <summary>A table read by <see cref="Csv.Read(string, CsvLimits?)"/>: named columns of numbers or text categories, all of one length.</summary>
public sealed class CsvTable
{
    private readonly RowLines _lines;

    internal CsvTable(string source, IReadOnlyList<CsvColumn> columns, RowLines lines)
    {
        Source = source;
        Columns = columns;
        _lines = lines;
    }

    /// <summary>Where the table came from (the file's path), for messages.</summary>
    public string Source { get; }

    /// <summary>The columns, in file order.</summary>
    public IReadOnlyList<CsvColumn> Columns { get; }

    /// <summary>The column names, in file order.</summary>
    public IEnumerable<string> ColumnNames => Columns.Select(c => c.Name);

    /// <summary>The number of data rows (the header not counted).</summary>
    public int RowCount => Columns.Count == 0 ? 0 : Columns[0].Length;

    /// <summary>The 1-based line of the file on which data row <paramref name="row"/> (0-based) starts, for messages.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not a row of the table.</exception>
    public long LineOf(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        return _lines.LineOf(row);
    }

    /// <summary>
    /// The column named <paramref name="nameOrIndex"/>, or, when no column has that name and it is a
    /// whole number, the column at that 0-based position (negative counts from the end).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such column; the message lists the columns there are.</exception>
    public CsvColumn this[string nameOrIndex]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(nameOrIndex);
            foreach (var column in Columns) if (column.Name == nameOrIndex) return column;
            if (int.TryParse(nameOrIndex, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int index)
                && index >= -Columns.Count && index < Columns.Count)
                return Columns[index < 0 ? Columns.Count + index : index];
            throw new KeyNotFoundException($"{Source}: there is no column '{nameOrIndex}'; the columns are: {string.Join(", ", ColumnNames)}.");
        }
    }
}
