using System.Globalization;
using System.Text;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>
/// A CSV column's type comes from all of its cells, not from its first: numbers when every cell with a
/// value is one; a mistake among numbers is the same error, naming its line, on whichever row it is; a
/// column of text stays text whether its first cell is a number or not.
/// </summary>
public sealed class CsvColumnBuilderTests
{
    private const int Rows = 150;

    /// <summary>150 rows of a number column x and a two-class label, with <paramref name="cells"/> replacing x on the rows it names.</summary>
    private static CsvTable Numbers(params (int Row, string Cell)[] cells)
    {
        var text = new StringBuilder("x,label\n");
        for (int row = 0; row < Rows; row++)
        {
            string x = cells.Where(c => c.Row == row).Select(c => c.Cell).FirstOrDefault() ?? (4 + row % 30 * 0.1).ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"{x},{(row % 2 == 0 ? "a" : "b")}\n");
        }
        return Csv.Read(new StringReader(text.ToString()), "flowers.csv");
    }

    private static InvalidDataException FitError(CsvTable table) =>
        Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "label", [.. Enumerable.Range(0, table.RowCount)]));

    [Theory]
    [InlineData(0)]      // on the first row, the typo used to make the column text and one-hot encode every number
    [InlineData(2)]      // on any later row, it used to be an error that named the first row instead of the count
    [InlineData(74)]
    [InlineData(149)]
    public void ATypoAmongNumbers_IsTheSameError_OnWhicheverRowItIs(int row)
    {
        var table = Numbers((row, "5.1x"));

        var e = FitError(table);

        Assert.False(table["x"].IsNumeric);
        Assert.True(table["x"].IsMostlyNumbers);
        Assert.Equal(
            $"flowers.csv, line {row + 2}, column 'x': \"5.1x\" is not a number, but the column holds numbers in 149 of its 150 rows with a value; "
            + "correct it, or empty the cell to mark it missing, or leave the column out of the features (TabularOptions.Drop, --drop x on the command line).",
            e.Message);
    }

    [Fact]
    public void SeveralTexts_TheFirstThreeAreNamed_AndTheRestCounted()
    {
        var table = Numbers((1, "?"), (4, "?"), (9, "n.a."), (15, "?"));
        var two = Numbers((7, "?"), (8, "??"));

        Assert.StartsWith("flowers.csv, line 3, column 'x': \"?\" is not a number, nor are line 6 \"?\", line 11 \"n.a.\" and 1 more, "
            + "but the column holds numbers in 146 of its 150 rows with a value; correct them, or empty the cells to mark them missing,", FitError(table).Message);
        Assert.StartsWith("flowers.csv, line 9, column 'x': \"?\" is not a number, nor is line 10 \"??\", but the column holds numbers in 148 of its 150", FitError(two).Message);
    }

    [Fact]
    public void MissingCells_CountNeitherAsNumbersNorAsTexts()
    {
        var table = Numbers((3, ""), (5, "NA"), (6, "oops"), (10, "null"));

        Assert.StartsWith("flowers.csv, line 8, column 'x': \"oops\" is not a number, but the column holds numbers in 146 of its 147 rows with a value;", FitError(table).Message);
        Assert.Equal(3, table["x"].MissingCount);
    }

    [Theory]
    [InlineData("1,S,M,L,XL,M")]       // a number first
    [InlineData("S,1,M,L,XL,M")]       // text first
    [InlineData("S,M,1,2,3,L")]        // as many numbers as texts: still categories
    public void TextWithSomeNumbers_IsCategories_WhicheverCellComesFirst(string sizes)
    {
        string[] cells = sizes.Split(',');
        var table = Csv.Read(new StringReader("size,label\n" + string.Concat(cells.Select((c, i) => $"{c},{i % 2}\n"))), "shirts.csv");

        var prep = TabularPreprocessor.Fit(table, "label", [.. Enumerable.Range(0, cells.Length)], new TabularOptions(ModelTask.Classification));

        Assert.False(table["size"].IsNumeric);
        Assert.False(table["size"].IsMostlyNumbers);
        Assert.Equal(cells.Distinct().Order(StringComparer.Ordinal).Select(c => $"size={c}"), prep.FeatureNames);
    }

    [Fact]
    public void OneMoreNumberThanTexts_IsMostlyNumbers()
    {
        var table = Csv.Read(new StringReader("size,label\nS,0\nM,1\n1,0\n2,1\n3,0\n"), "shirts.csv");

        Assert.True(table["size"].IsMostlyNumbers);
        Assert.StartsWith("shirts.csv, line 2, column 'size': \"S\" is not a number, nor is line 3 \"M\", but the column holds numbers in 3 of its 5 rows",
            FitError(table).Message);
    }

    [Fact]
    public void NumbersBeforeTheFirstText_BecomeCategoriesSpeltAtTheirShortest()
    {
        // Their own spelling is not kept while the column is numbers; the cells after the first text keep theirs.
        var table = Csv.Read(new StringReader("code\n1.50\n007\nA7\nB2\nC3\n0.50\n"), "codes.csv");

        Assert.Equal(["1.5", "7", "A7", "B2", "C3", "0.50"], table["code"].Categories);
        Assert.Equal([0, 1, 2, 3, 4, 5], table["code"].Codes.ToArray());
    }

    [Fact]
    public void ALongText_IsQuotedShort()
    {
        string junk = new('z', 500);

        var e = FitError(Numbers((20, junk)));

        Assert.Contains($"line 22, column 'x': \"{junk[..40]}…\" is not a number", e.Message);
        Assert.DoesNotContain(junk[..41], e.Message);
    }
}
