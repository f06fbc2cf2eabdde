using System.Globalization;
using Nabla.Data;

namespace Nabla.Tests.Data;

public sealed class CsvPartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nabla-csv-part").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Files => new()
    {
        "x,name,y\n1,a,2.5\n2,b,3.5\n3,c,4.5\n4,d,5.5\n5,e,6.5\n6,f,7.5\n7,g,8.5\n8,h,9.5\n9,i,10.5\n10,j,11.5\n",
        "x,name,y\r\n1,a,2.5\r\n2,b,3.5\r\n3,c,4.5\r\n4,d,5.5\r\n5,e,6.5\r\n6,f,7.5\r\n7,g,8.5\r\n",
        "x,name,y\n1,a,2.5\n2,b,3.5\n3,c,4.5\n4,d,5.5\n5,e,6.5",
        "x,name,y\n1,\"a, b\",2.5\n2,\"c \"\"d\"\"\",3.5\n3,é,4.5\n4,\"g,h\",5.5\n5,i,6.5\n",
        "x,name,y\n1,a,2.5\n2,b,3.5\n",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void ThePartsInOrder_AreTheWholeFile_ForOneToSevenParts(string text)
    {
        string path = Write(text);
        var whole = Csv.Read(path);
        for (int parts = 1; parts <= 7; parts++)
        {
            var tables = Enumerable.Range(0, parts).Select(p => Csv.ReadPart(path, p, parts)).ToArray();
            Assert.Equal(whole.RowCount, tables.Sum(t => t.RowCount));
            foreach (var column in whole.Columns)
            {
                var united = tables.SelectMany(t => Cells(t[column.Name])).ToArray();
                Assert.Equal(Cells(column), united);
            }
        }
    }

    [Fact]
    public void AQuotedLineBreak_IsRefused_NamingTheFile()
    {
        string path = Write("x,name\n1,\"two\nlines\"\n2,b\n3,c\n");
        var error = Assert.Throws<InvalidDataException>(() => Csv.ReadPart(path, 0, 2));
        Assert.Contains(path, error.Message);
        Assert.Contains("quoted field holds a line break", error.Message);
    }

    [Fact]
    public void ABadRow_IsReported_NamingTheFileAndPart()
    {
        string path = Write("x,y\n1,2\n3,4\n5\n7,8\n");
        var errors = Enumerable.Range(0, 2).Select(p => Record.Exception(() => Csv.ReadPart(path, p, 2))).OfType<InvalidDataException>().ToArray();
        var error = Assert.Single(errors);
        Assert.Contains(path, error.Message);
        Assert.Contains("part 2 of 2", error.Message);
    }

    [Fact]
    public void APartOutOfRange_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Csv.ReadPart(Write("x\n1\n"), 3, 3));

    private static string[] Cells(CsvColumn column) =>
        column.IsNumeric ? [.. column.Numbers.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))] : column.Texts();

    private string Write(string text)
    {
        string path = Path.Combine(_folder, $"f{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }
}
