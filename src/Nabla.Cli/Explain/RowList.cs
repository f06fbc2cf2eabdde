using System.Globalization;

namespace Nabla.Cli;

/// <summary>The rows <c>--rows</c> names: 0-based row numbers of the data, a comma list with ranges such as "0,5,10-19".</summary>
internal static class RowList
{
    /// <summary>How many rows are explained when <c>--rows</c> is not given: the first ones.</summary>
    public const int DefaultCount = 5;

    /// <summary>The rows <paramref name="text"/> names, in its order without repeats; the first <see cref="DefaultCount"/> when null.</summary>
    /// <param name="text">The option's value, or null when it was not given.</param>
    /// <param name="rowCount">How many rows the data holds.</param>
    /// <param name="dataPath">The data, for messages.</param>
    /// <exception cref="CommandInputException">A part is not a row number or a range, a range runs downwards, or a row is past the data's last.</exception>
    public static int[] Parse(string? text, int rowCount, string dataPath)
    {
        if (text is null) return [.. Enumerable.Range(0, Math.Min(DefaultCount, rowCount))];
        var rows = new List<int>();
        foreach (string raw in text.Split(','))
        {
            string part = raw.Trim();
            int dash = part.IndexOf('-', 1 < part.Length ? 1 : 0);
            var (first, last) = dash > 0 ? (Number(part[..dash], text), Number(part[(dash + 1)..], text)) : (Number(part, text), Number(part, text));
            if (last < first)
                throw new CommandInputException($"--rows '{text}': the range {part} runs downwards; write it as {last}-{first}.");
            foreach (int row in new[] { first, last })
                if (row >= rowCount)
                    throw new CommandInputException(string.Create(CultureInfo.InvariantCulture,
                        $"--rows: row {row} is out of range: {dataPath} has {rowCount} rows, numbered 0 to {rowCount - 1}."));
            for (int row = first; row <= last; row++) rows.Add(row);
        }
        return [.. rows.Distinct()];
    }

    private static int Number(string part, string text) =>
        int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int row)
            ? row
            : throw new CommandInputException($"--rows '{text}': '{part.Trim()}' is not a row number; give 0-based row numbers separated by commas, and ranges such as 0-9.");
}
