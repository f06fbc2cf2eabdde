using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>
/// The ratings preprocessor: a recommender's (user, item) ids and ratings read from named columns of a
/// CSV table in any order, its JSON round trip, and the file, line and column of every bad cell.
/// </summary>
public sealed class RatingsPreprocessorTests : TemporaryFolder
{
    private static CsvTable Table(string text) => Csv.Read(new StringReader(text), "ratings.csv");

    [Fact]
    public void ReadsIdPairsAndRatings_ByColumnName()
    {
        var table = Table("rating,note,item,user\n4.5,a,12,-3\n1,b,7,2000000000\n");
        var prep = new RatingsPreprocessor("user", "item", "rating");

        var pairs = prep.TransformFeatures(table);
        var ratings = prep.TransformTargets(table);

        Assert.Equal([2, 2], pairs.Shape);
        Assert.Equal([-3, 12, 2_000_000_000, 7], pairs.ToArray<int>());
        Assert.Equal([4.5, 1.0], ratings.ToArray<double>());
        Assert.Equal(ModelTask.Regression, prep.Task);
        Assert.Equal([2], prep.SampleShape);
        Assert.Empty(prep.ClassLabels);
    }

    [Fact]
    public void Json_RoundTrips_AndIsCheckedOnReading()
    {
        var prep = new RatingsPreprocessor("u", "i", "r");

        var read = (RatingsPreprocessor)Preprocessor.FromJson(prep.ToJson());

        Assert.Equal("{\"kind\":\"ratings\",\"user\":\"u\",\"item\":\"i\",\"target\":\"r\"}", prep.ToJson());
        Assert.Equal(("u", "i", "r"), (read.UserColumn, read.ItemColumn, read.Target));
        Assert.Contains("the field \"item\" is missing",
            Assert.Throws<InvalidDataException>(() => Preprocessor.FromJson("{\"kind\":\"ratings\",\"user\":\"u\",\"target\":\"r\"}")).Message);
        Assert.Contains("The user, item and rating columns must differ, got 'u', 'u' and 'r'",
            Assert.Throws<InvalidDataException>(() => Preprocessor.FromJson("{\"kind\":\"ratings\",\"user\":\"u\",\"item\":\"u\",\"target\":\"r\"}")).Message);
        Assert.Throws<ArgumentException>(() => new RatingsPreprocessor("u", "", "r"));
    }

    [Theory]
    [InlineData("user,item\n1,2\n", "ratings.csv: the column 'rating' is missing; the model reads the columns user, item")]
    [InlineData("user,rating\n1,2\n", "ratings.csv: the column 'item' is missing")]
    [InlineData("user,item,rating\n1,2.5,3\n", "ratings.csv, line 2, column 'item': 2.5 is not a whole number id")]
    [InlineData("user,item,rating\n1,2,3\n,4,5\n", "ratings.csv, line 3, column 'user': the cell is missing; expected a whole number id")]
    [InlineData("user,item,rating\n1,2,3\n3000000000,4,5\n", "ratings.csv, line 3, column 'user': 3000000000 is not a whole number id")]
    [InlineData("user,item,rating\nann,2,3\n", "ratings.csv, line 2, column 'user': \"ann\" is not a number")]
    [InlineData("user,item,rating\n1,2,\n", "ratings.csv, line 2, column 'rating': the cell is missing; expected a finite number")]
    public void BadCells_AreNamedByFileLineAndColumn(string csv, string message)
    {
        var prep = new RatingsPreprocessor("user", "item", "rating");
        var table = Table(csv);

        var e = Assert.ThrowsAny<InvalidDataException>(() =>
        {
            prep.TransformTargets(table);
            prep.TransformFeatures(table);
        });

        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ReadTable_ChecksTheHeader_BeforeAnyRow_AndKeepsOnlyTheIds()
    {
        var prep = new RatingsPreprocessor("user", "item", "rating");
        string noItem = WriteBytes("no-item.csv", "user,rating\n1,2,3,4\n"u8.ToArray());
        string good = WriteBytes("ratings.csv", "note,item,user,rating\nok,12,3,4.5\n"u8.ToArray());

        var e = Assert.Throws<InvalidDataException>(() => prep.ReadTable(noItem));

        Assert.Equal($"{noItem}, line 1: the column 'item' is missing; the model reads the columns user, item and, to evaluate, rating.", e.Message);
        Assert.Equal(["item", "user"], prep.ReadTable(good).ColumnNames);
        Assert.Equal(["item", "user", "rating"], prep.ReadTable(good, withTarget: true).ColumnNames);
        Assert.Equal([3, 12], prep.TransformFeatures(prep.ReadTable(good)).ToArray<int>());
    }
}
