using System.Text;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>The CSV reader keeps one array per column and nothing of the text: measured on a large file and on a wide one, alone in the process.</summary>
[Collection("Memory")]
public sealed class CsvMemoryTests : TemporaryFolder
{
    [Fact]
    public void ALargeFile_IsReadWithoutKeepingItsText()
    {
        // 100,000 rows × 20 columns of numbers: about 11 MB of text, 16 MB of doubles.
        const int rows = 100_000, columns = 20;
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, columns).Select(c => $"c{c}"))).Append('\n');
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) text.Append(c == 0 ? "" : ",").Append((r * 0.5 + c).ToString(System.Globalization.CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        string path = WriteBytes("large.csv", Encoding.UTF8.GetBytes(text.ToString()));
        text.Clear();

        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var table = Csv.Read(path);
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.Equal(rows, table.RowCount);
        Assert.Equal(49_999.5 + 19, table["c19"].Numbers[rows - 1]);
        // What stays is the numbers (8 bytes a cell) and little else: no copy of the text (11 MB) or of
        // the rows. The lower bound only shows the measurement saw the table (memory freed elsewhere
        // in the process during the measurement can make it read a little under 16 MB).
        Assert.InRange(retained, 4L * rows * columns, 8L * rows * columns * 5 / 4);
        GC.KeepAlive(table);
    }

    [Fact]
    public void AWideFileOfFewRows_CostsLittlePerColumn()
    {
        // 100,000 columns and 2 rows, 1.2 MB of text: each column used to start with room for 1,000 rows (8 kB), 800 MB in all.
        const int columns = 100_000;
        string text = $"{string.Join(',', Enumerable.Range(0, columns).Select(c => $"c{c}"))}\n{string.Join(',', Enumerable.Repeat("1", columns))}\n{string.Join(',', Enumerable.Repeat("2.5", columns))}\n";
        string path = WriteBytes("wide.csv", Encoding.UTF8.GetBytes(text));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var table = Csv.Read(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(columns, table.Columns.Count);
        Assert.Equal([1, 2.5], table["c99999"].Numbers.ToArray());
        // About 400 bytes a column: its name, its builder with room for 16 rows, and the column of 2.
        Assert.InRange(allocated, 100L * columns, 1000L * columns);
    }
}
