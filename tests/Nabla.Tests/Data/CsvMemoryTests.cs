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

        // What stays is the numbers (8 bytes a cell) and little else: no copy of the text (11 MB) or of
        // the rows. GC.GetTotalMemory counts the whole process, and memory that another thread frees
        // during a read makes that read come out low, so the read is tried up to three times. The
        // lower bound only shows the measurement saw the table; a kept copy of the text would put
        // every try above the upper bound.
        long low = 4L * rows * columns, high = 8L * rows * columns * 5 / 4;
        var retained = new List<long>();
        for (int attempt = 0; attempt < 3 && (retained.Count == 0 || retained[^1] < low || retained[^1] > high); attempt++)
        {
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var table = Csv.Read(path);
            retained.Add(GC.GetTotalMemory(forceFullCollection: true) - before);

            Assert.Equal(rows, table.RowCount);
            Assert.Equal(49_999.5 + 19, table["c19"].Numbers[rows - 1]);
            GC.KeepAlive(table);
        }
        Assert.True(retained[^1] >= low && retained[^1] <= high,
            $"The table should keep {low:N0} to {high:N0} bytes; the tries measured {string.Join(", ", retained.Select(r => r.ToString("N0")))}.");
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
