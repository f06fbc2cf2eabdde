namespace Nabla.Data;

/// <summary>
/// Where each data row of a CSV file starts, kept as the few rows where the line count jumps (a blank
/// line skipped, a quoted field spanning lines) rather than one number a row, so a file of a million
/// rows costs a few bytes here.
/// </summary>
internal sealed class RowLines
{
    private readonly List<int> _rows = [];
    private readonly List<long> _lines = [];

    /// <summary>Records that data row <paramref name="row"/> starts on <paramref name="line"/>; rows arrive in order.</summary>
    public void Add(int row, long line)
    {
        if (_rows.Count > 0 && line == _lines[^1] + (row - _rows[^1])) return;
        _rows.Add(row);
        _lines.Add(line);
    }

    /// <summary>The line on which data row <paramref name="row"/> starts.</summary>
    public long LineOf(int row)
    {
        int at = _rows.BinarySearch(row);
        if (at < 0) at = ~at - 1;
        return _lines[at] + (row - _rows[at]);
    }
}
