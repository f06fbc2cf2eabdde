using System.Globalization;

namespace Nabla.Data;

/// <summary>
/// How large a CSV input <see cref="Csv"/> reads before it stops with an error: the columns of one line,
/// the characters of one line, and the cells of the whole table. Each bounds the memory and time a
/// hostile or mistaken input can take (a binary file or <c>/dev/zero</c> has no line break, a pipe
/// may never end): a table costs about 8 bytes a cell, so the default of 100 million cells stops any
/// input at about 800 MB of table. The defaults are far above the tables a model trains on on a CPU;
/// raising one reads more.
/// </summary>
/// <example><c>Csv.Read("wide.csv", new CsvLimits { MaxColumns = 500_000, MaxLineLength = 8 &lt;&lt; 20 })</c></example>
public sealed record CsvLimits
{
    /// <summary>The most columns a line may have unless set otherwise.</summary>
    public const int DefaultMaxColumns = 100_000;

    /// <summary>The most characters a line may have unless set otherwise: 1 MiB.</summary>
    public const int DefaultMaxLineLength = 1 << 20;

    /// <summary>The most cells after the header unless set otherwise: 800 MB of numbers.</summary>
    public const long DefaultMaxCells = 100_000_000;

    /// <summary>The default limits.</summary>
    public static CsvLimits Default { get; } = new();

    /// <summary>The most columns (cells) a line may have, the header included; at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxColumns
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = DefaultMaxColumns;

    /// <summary>
    /// The most characters a line may have, not counting its line break; a row whose quoted fields hold
    /// line breaks counts as one line, from its first character to its last. At least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1 or more than <see cref="Array.MaxLength"/>.</exception>
    public int MaxLineLength
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Array.MaxLength);
            field = value;
        }
    } = DefaultMaxLineLength;

    /// <summary>
    /// The most cells after the header, all lines together: rows times columns, a blank line (which is skipped)
    /// counting one. It bounds the memory of the table, about 8 bytes a cell; at least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxCells
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = DefaultMaxCells;

    /// <summary>The error for a line with more than <see cref="MaxColumns"/> columns.</summary>
    internal InvalidDataException TooManyColumns(string source, long line) =>
        new($"{source}, line {Count(line)}: the line has more than {Count(MaxColumns)} columns, the limit; "
            + "raise it to read wider tables (CsvLimits.MaxColumns, --max-columns on the command line).");

    /// <summary>The error for a line longer than <see cref="MaxLineLength"/> characters.</summary>
    internal InvalidDataException LineTooLong(string source, long line) =>
        new($"{source}, line {Count(line)}: the line is longer than {Count(MaxLineLength)} characters{Mebibytes(MaxLineLength)}, the limit, "
            + "so this may not be a CSV file (a binary file, or a stream with no line break); "
            + "raise the limit to read longer lines (CsvLimits.MaxLineLength, --max-line-length on the command line).");

    /// <summary>The error for more than <see cref="MaxCells"/> cells after the header.</summary>
    internal InvalidDataException TooManyCells(string source, long line) =>
        new($"{source}, line {Count(line)}: the table has more than {Count(MaxCells)} cells (rows × columns) by this line, the limit; "
            + "raise it to read larger tables (CsvLimits.MaxCells, --max-cells on the command line).");

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>" (1 MiB)" after a whole number of mebibytes, which is how the default reads best; nothing otherwise.</summary>
    private static string Mebibytes(int characters) =>
        characters % (1 << 20) == 0 ? $" ({Count(characters >> 20)} MiB)" : "";
}
