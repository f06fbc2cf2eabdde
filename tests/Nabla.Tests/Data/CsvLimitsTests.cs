using System.Text;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>
/// The bounds of a CSV input: a line of too many columns or characters, and a table of too many cells,
/// stop the reading with the file and line named, exactly at the limit; an input that never ends stops
/// after reading about as much as the limit allows, in memory of that order.
/// </summary>
public sealed class CsvLimitsTests
{
    private static CsvTable Read(string text, CsvLimits limits) => Csv.Read(new StringReader(text), "t.csv", limits);

    private static string Line(int columns, int row) => string.Join(',', Enumerable.Range(0, columns).Select(c => row < 0 ? $"c{c}" : $"{c + row}"));

    [Fact]
    public void TheDefaults_AreDocumented()
    {
        Assert.Equal(100_000, CsvLimits.Default.MaxColumns);
        Assert.Equal(1 << 20, CsvLimits.Default.MaxLineLength);
        Assert.Equal(100_000_000, CsvLimits.Default.MaxCells);
        Assert.Equal(new CsvLimits(), CsvLimits.Default);
    }

    [Fact]
    public void ColumnsUpToTheLimit_AreRead_AndOneMoreIsRefused_InTheHeaderOrARow()
    {
        var limits = new CsvLimits { MaxColumns = 10 };
        string ten = $"{Line(10, -1)}\n{Line(10, 0)}\n";

        Assert.Equal(10, Read(ten, limits).Columns.Count);
        Assert.Equal("t.csv, line 1: the line has more than 10 columns, the limit; raise it to read wider tables (CsvLimits.MaxColumns, --max-columns on the command line).",
            Assert.Throws<InvalidDataException>(() => Read($"{Line(11, -1)}\n{Line(11, 0)}\n", limits)).Message);
        Assert.StartsWith("t.csv, line 3: the line has more than 10 columns, the limit;",
            Assert.Throws<InvalidDataException>(() => Read($"{ten}{Line(11, 1)}\n", limits)).Message);
    }

    [Fact]
    public void TheDefaultColumnLimit_ReadsAHundredThousandColumns()
    {
        Assert.Equal(100_000, Read($"{Line(100_000, -1)}\n{Line(100_000, 0)}\n", CsvLimits.Default).Columns.Count);
        Assert.StartsWith("t.csv, line 1: the line has more than 100,000 columns",
            Assert.Throws<InvalidDataException>(() => Read($"{Line(100_001, -1)}\n", CsvLimits.Default)).Message);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("")]        // the last line, with no line break
    public void ALineOfExactlyTheLimit_IsRead_AndOneCharacterMoreIsRefused(string lineBreak)
    {
        var limits = new CsvLimits { MaxLineLength = 20 };
        string exactly = "abc," + new string('x', 16);   // 20 characters

        var table = Read($"abc,text\n1,y\n{exactly}{lineBreak}", limits);
        var e = Assert.Throws<InvalidDataException>(() => Read($"abc,text\n1,y\n{exactly}x{lineBreak}", limits));

        Assert.Equal(new string('x', 16), table["text"].Categories[1]);
        Assert.Equal("t.csv, line 3: the line is longer than 20 characters, the limit, so this may not be a CSV file (a binary file, or a stream with no line break); "
            + "raise the limit to read longer lines (CsvLimits.MaxLineLength, --max-line-length on the command line).", e.Message);
    }

    [Fact]
    public void ARowWhoseQuotedCellHoldsLineBreaks_IsOneLine_NamedByItsFirst()
    {
        var limits = new CsvLimits { MaxLineLength = 11 };

        Assert.Equal("one\ntwo", Read("n,note\n1,\"one\ntwo\"\n", limits)["note"].Categories[0]);   // 1,"one↵two" is 11 characters
        Assert.StartsWith("t.csv, line 2: the line is longer than 11 characters",
            Assert.Throws<InvalidDataException>(() => Read("n,note\n1,\"one\ntwo!\"\n", limits)).Message);
    }

    [Fact]
    public void ALineAtTheLimit_WhoseCarriageReturnEndsTheReadBuffer_IsRead()
    {
        // The reader takes 65,536 characters at a time: after the 4 characters of "a,b\n", a line of 65,531 leaves its CR
        // as the buffer's last character and its LF for the next read.
        const int length = 65_531;
        string line = "1," + new string('w', length - 2);

        var table = Read($"a,b\n{line}\r\n2,v\r\n", new CsvLimits { MaxLineLength = length });

        Assert.Equal(2, table.RowCount);
        Assert.Equal(length - 2, table["b"].Categories[0].Length);
    }

    [Fact]
    public void Cells_AreCountedOverTheTable_BlankLinesAsOne()
    {
        var limits = new CsvLimits { MaxCells = 6 };

        Assert.Equal(3, Read("a,b\n1,2\n3,4\n5,6\n", limits).RowCount);
        Assert.Equal("t.csv, line 5: the table has more than 6 cells (rows × columns) by this line, the limit; raise it to read larger tables (CsvLimits.MaxCells, --max-cells on the command line).",
            Assert.Throws<InvalidDataException>(() => Read("a,b\n1,2\n3,4\n5,6\n7,8\n", limits)).Message);
        Assert.StartsWith("t.csv, line 6: the table has more than 6 cells",
            Assert.Throws<InvalidDataException>(() => Read("a,b\n1,2\n\n3,4\n\n\n", limits)).Message);
    }

    [Fact]
    public void ALineThatNeverEnds_StopsAtTheLimit_InMemoryOfTheLimit()
    {
        var endless = new EndlessReader("a,b\n", "0123456789");
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<InvalidDataException>(() => Csv.Read(endless, "/dev/zero"));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("/dev/zero, line 2: the line is longer than 1,048,576 characters (1 MiB), the limit", e.Message);
        // The reader's buffer (64 Ki characters) may be read once more before the limit is checked.
        Assert.InRange(endless.Served, 1 << 20, (1 << 20) + 2 * (1 << 16));
        // The line (2 bytes a character), in a buffer that doubles as it grows: a few MiB, not the input's size.
        Assert.InRange(allocated, 2L << 20, 12L << 20);
    }

    [Fact]
    public void RowsThatNeverEnd_StopAtTheCellLimit_InMemoryOfTheTable()
    {
        var endless = new EndlessReader("a,b,c\n", "1,2,3\n");
        var limits = new CsvLimits { MaxCells = 3_000_000 };
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<InvalidDataException>(() => Csv.Read(endless, "pipe", limits));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("pipe, line 1,000,002: the table has more than 3,000,000 cells", e.Message);
        Assert.InRange(endless.Served, 6_000_000, 6_000_000 + 2 * (1 << 16));
        // 8 bytes a cell, in arrays grown by half as rows arrive: each size allocated once, 3 to 4.5 times the table in all.
        Assert.InRange(allocated, 8L * 3_000_000, 5 * 8L * 3_000_000);
    }

    [Fact]
    public void ValuesBelowOne_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CsvLimits { MaxColumns = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CsvLimits { MaxLineLength = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CsvLimits { MaxLineLength = int.MaxValue });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CsvLimits { MaxCells = 0 });
    }

    /// <summary>A header, then <paramref name="repeated"/> over and over, forever: a pipe that never closes.</summary>
    private sealed class EndlessReader(string header, string repeated) : TextReader
    {
        private readonly string _text = header;
        private int _at;
        private bool _inHeader = true;

        /// <summary>How many characters the reader has handed out.</summary>
        public long Served { get; private set; }

        public override int Read(char[] buffer, int index, int count)
        {
            for (int i = 0; i < count; i++)
            {
                string text = _inHeader ? _text : repeated;
                buffer[index + i] = text[_at++];
                if (_at == text.Length) (_at, _inHeader) = (0, false);
            }
            Served += count;
            return count;
        }
    }
}
