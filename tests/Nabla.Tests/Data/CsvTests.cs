using System.Text;
using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>The CSV reader on the real data sets, on RFC 4180 quoting, and on every malformed file a user might have.</summary>
public sealed class CsvTests : TemporaryFolder
{
    private string Write(string text, string name = "data.csv", bool bom = false)
    {
        string path = PathOf(name);
        File.WriteAllText(path, text, new UTF8Encoding(bom));
        return path;
    }

    [Fact]
    public void Iris_HasFourNumericColumnsAndATextTarget()
    {
        var table = Csv.Read(SharedData.PathOf("iris.csv"));

        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"], table.ColumnNames);
        Assert.Equal(150, table.RowCount);
        Assert.True(table["sepal_length"].IsNumeric);
        Assert.Equal(5.1, table["sepal_length"].Numbers[0]);
        var species = table["species"];
        Assert.False(species.IsNumeric);
        Assert.Equal(["setosa", "versicolor", "virginica"], species.Categories);
        Assert.Equal(50, species.Codes.ToArray().Count(c => c == 2));
        Assert.Same(species, table["-1"]);                       // by position, from the end
        Assert.Same(table["sepal_width"], table["1"]);
    }

    [Fact]
    public void Diabetes_IsAllNumbers_WithTheKnownSums()
    {
        var table = Csv.Read(SharedData.PathOf("diabetes.csv"));

        Assert.Equal(442, table.RowCount);
        Assert.Equal(11, table.Columns.Count);
        Assert.All(table.Columns, c => Assert.True(c.IsNumeric));
        Assert.Equal(67243.0, table["progression"].Numbers.ToArray().Sum(), 6);   // load_diabetes().target.sum() in scikit-learn 1.2
        Assert.Equal(0, table["progression"].MissingCount);
    }

    [Fact]
    public void Quotes_CommasLineBreaksAndDoubledQuotes_FollowRfc4180()
    {
        string path = Write("name,score,comment\r\n\"Smith, J\",1.5,\"said \"\"hi\"\"\"\r\n\"Lee\",2,\"two\nlines\"\r\nKim,3,plain\r\n");

        var table = Csv.Read(path);

        Assert.Equal(["Smith, J", "Lee", "Kim"], table["name"].Codes.ToArray().Select(c => table["name"].Categories[c]));
        Assert.Equal([1.5, 2, 3], table["score"].Numbers.ToArray());
        Assert.Equal("said \"hi\"", table["comment"].Categories[0]);
        Assert.Equal("two\nlines", table["comment"].Categories[1]);
    }

    [Fact]
    public void Missing_Cells_AreNaNOrCodeMinusOne_AndABomIsSkipped()
    {
        string path = Write("a,b,c\n1,,x\nNA,2,\n3,4,NULL\n , n/a ,y\n", bom: true);

        var table = Csv.Read(path);

        Assert.Equal("a", table.Columns[0].Name);
        Assert.Equal([1, double.NaN, 3, double.NaN], table["a"].Numbers.ToArray());
        Assert.Equal(2, table["b"].MissingCount);
        Assert.Equal([0, -1, -1, 1], table["c"].Codes.ToArray());
        Assert.Equal(["x", "y"], table["c"].Categories);
    }

    [Fact]
    public void ATextColumnWhoseFirstCellsAreMissing_IsStillText()
    {
        var table = Csv.Read(Write("x,label\n1,\n2,\n3,cat\n4,dog\n"));

        Assert.Equal([-1, -1, 0, 1], table["label"].Codes.ToArray());
    }

    [Fact]
    public void LineNumbers_CountLineBreaksInsideQuotes()
    {
        string path = Write("a,b\n1,\"x\ny\"\n2,\"z\"\nthree,w\n");

        var table = Csv.Read(path);
        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessor.Fit(table, "b", [0, 1, 2]));

        Assert.Equal([2L, 4L, 5L], Enumerable.Range(0, 3).Select(table.LineOf));
        Assert.StartsWith($"{path}, line 5, column 'a': \"three\" is not a number, but the column holds numbers in 2 of its 3 rows with a value;", e.Message);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "", "the file is empty; expected a header row and data rows." },
        { "a,b\n", "there are no data rows after the header." },
        { "a,b\n1,2\n3\n", "line 3: 1 cells, but the header has 2 columns (a, b)." },
        { "a,b\n1,2,3\n", "line 2: 3 cells, but the header has 2 columns (a, b)." },
        { "a,a\n1,2\n", "line 1: the column name 'a' appears twice." },
        { "a,\n1,2\n", "line 1: column 2 has no name." },
        { "a,b\n1,\"open\n", "line 2: a quoted field is not closed before the end of the file." },
        { "a,b\n1,\"x\"y\n", "line 2, field 2: text after a closing quote" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedFile_NamesTheFileLineAndProblem(string text, string problem)
    {
        string path = Write(text);

        var e = Assert.Throws<InvalidDataException>(() => Csv.Read(path));

        Assert.StartsWith(path, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void UnknownColumn_ListsTheColumns()
    {
        var table = Csv.Read(Write("a,b\n1,2\n"));

        var e = Assert.Throws<KeyNotFoundException>(() => table["target"]);

        Assert.EndsWith("there is no column 'target'; the columns are: a, b.", e.Message);
        Assert.Throws<KeyNotFoundException>(() => table["2"]);
    }

    [Theory]
    [InlineData(true)]     // the first rows are long: the columns are sized too small and must grow
    [InlineData(false)]    // the first rows are short: the columns are sized too large and are trimmed
    public void ColumnsSizedFromTheFirstRows_HoldEveryRow_WhenRowLengthsChange(bool longFirst)
    {
        const int rows = 5000;
        var text = new StringBuilder("n,word\n");
        for (int r = 0; r < rows; r++)
        {
            bool isLong = r < 1000 == longFirst;
            text.Append(isLong ? $"{r}.000000000,{new string('w', 40)}{r % 3}\n" : $"{r},w{r % 3}\n");
        }
        string path = Write(text.ToString());

        foreach (var table in new[] { Csv.Read(path), Csv.Read(new StringReader(text.ToString()), "text") })
        {
            Assert.Equal(rows, table.RowCount);
            Assert.Equal(Enumerable.Range(0, rows).Select(r => (double)r), table["n"].Numbers.ToArray());
            Assert.Equal(rows, table["word"].Codes.Length);
            Assert.Equal(6, table["word"].Categories.Count);
            Assert.Equal(rows + 1, table.LineOf(rows - 1));
        }
    }

    [Fact]
    public void Texts_GivesEachRowsText_WithEmptyForAMissingCell_AndRefusesNumbers()
    {
        var table = Csv.Read(new StringReader("name,size\nb,1\n,2\n\"a, quoted\",3\nb,4\n"), "t.csv");

        Assert.Equal(["b", "", "a, quoted", "b"], table["name"].Texts());
        Assert.Throws<InvalidOperationException>(() => table["size"].Texts());
    }
}
