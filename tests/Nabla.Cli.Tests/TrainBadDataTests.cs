using System.Text;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// Every bad data input of <c>nabla train --data</c> stops the run before training with exit code 1
/// and one line that names the file, and the line and column where there is one.
/// </summary>
public sealed class TrainBadDataTests : TemporaryFolder
{
    private ProgramRun Train(params string[] args) =>
        ProgramRun.Start(RepositoryLayout.CliAssembly, ["train", .. args, "--out", PathOf("model.safetensors")]);

    [Fact]
    public void GoodFile_Trains()
    {
        var run = Train("--data", Write("good.csv", BadData.Good), "--epochs", "2", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Theory]
    [InlineData("ragged", "ragged.csv, line 14: 2 cells, but the header has 3 columns")]
    [InlineData("text", "text.csv, line 11, column 'b': \"heavy\" is not a number")]
    [InlineData("gaps", "gaps.csv, line 7, column 'b'")]
    [InlineData("one-class", "one-class.csv, column 'label': every training row has the class 'yes'")]
    [InlineData("no-label", "no-label.csv, line 22, column 'label': the target value is missing")]
    public void BadCell_NamesFileLineAndColumn(string name, string expected)
    {
        string contents = name switch
        {
            "ragged" => BadData.Ragged,
            "text" => BadData.WithText,
            "gaps" => BadData.WithGaps,
            "no-label" => BadData.WithoutALabel,
            _ => BadData.OneClass,
        };
        string path = Write($"{name}.csv", contents);

        var run = Train("--data", path);

        string line = AssertOneErrorLine(run);
        Assert.StartsWith($"error: {Path.Combine(Folder, expected)}", line);
        if (name == "gaps") Assert.Contains("--impute mean", line);
    }

    [Theory]
    [InlineData(2, "5.1")]     // the first data row: it used to make the column text, one-hot encode its 35 numbers and train with exit 0
    [InlineData(4, "4.7")]     // a later row: it used to be an error that judged the column by its first row
    public void ATypoInANumberColumn_IsTheSameError_OnWhicheverLineItIs(int line, string number)
    {
        string[] iris = File.ReadAllLines(SharedData.PathOf("iris.csv"));
        Assert.StartsWith(number + ",", iris[line - 1]);
        iris[line - 1] = number + "x" + iris[line - 1][number.Length..];
        string path = Write("typo.csv", string.Join('\n', iris) + "\n");

        var run = Train("--data", path, "--target", "species", "--model", "logistic");

        Assert.Equal($"error: {path}, line {line}, column 'sepal_length': \"{number}x\" is not a number, but the column holds numbers in 149 of its 150 rows with a value; "
            + "correct it, or empty the cell to mark it missing, or leave the column out of the features (TabularOptions.Drop, --drop sepal_length on the command line).",
            AssertOneErrorLine(run));
    }

    [Fact]
    public void ANumberColumnWithATypo_TrainsWhenDropped()
    {
        string[] iris = File.ReadAllLines(SharedData.PathOf("iris.csv"));
        iris[1] = "5.1x" + iris[1][3..];
        string path = Write("typo.csv", string.Join('\n', iris) + "\n");

        var run = Train("--data", path, "--target", "species", "--model", "logistic", "--drop", "sepal_length", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"features\":3,", run.StandardOutput);
    }

    [Fact]
    public void UnknownTarget_ListsTheColumns()
    {
        var run = Train("--data", Write("good.csv", BadData.Good), "--target", "price");

        string line = AssertOneErrorLine(run);
        Assert.Contains("no target column 'price'", line);
        Assert.EndsWith("the columns are: a, b, label.", line);
    }

    [Fact]
    public void EmptyFile_IsNamed()
    {
        var run = Train("--data", Write("empty.csv", ""));

        Assert.Equal($"error: {PathOf("empty.csv")}: the file is empty; expected a header row and data rows.", AssertOneErrorLine(run));
    }

    [Fact]
    public void HeaderWithoutRows_IsNamed()
    {
        var run = Train("--data", Write("header.csv", "a,b,label\n"));

        Assert.Contains("header.csv", AssertOneErrorLine(run));
    }

    [Theory]
    [InlineData("missing.csv")]
    [InlineData("missing-folder/")]
    public void MissingFileOrFolder_IsNamed(string name)
    {
        var run = Train("--data", PathOf(name));

        Assert.Equal($"error: --data '{PathOf(name)}': there is no such file or folder; give a CSV file or a folder of IDX files.", AssertOneErrorLine(run));
    }

    [Fact]
    public void IdxFolder_WithMissingFiles_NamesThem()
    {
        Directory.CreateDirectory(PathOf("images"));

        var run = Train("--data", PathOf("images"));

        Assert.Contains("missing train-images-idx3-ubyte, train-labels-idx1-ubyte", AssertOneErrorLine(run));
    }

    [Fact]
    public void IdxFolder_WithATarget_IsRefused()
    {
        FashionMnistSubset.Write(PathOf("fashion"), train: 100, test: 20);

        var run = Train("--data", PathOf("fashion"), "--target", "label");

        Assert.StartsWith("error: --target 'label' does not fit --data", AssertOneErrorLine(run));
    }

    [Fact]
    public void IdxFolder_WithImpute_IsRefused()
    {
        FashionMnistSubset.Write(PathOf("fashion"), train: 100, test: 20);

        var run = Train("--data", PathOf("fashion"), "--impute", "mean");

        Assert.StartsWith("error: --impute mean does not fit --data", AssertOneErrorLine(run));
    }

    [Theory]
    [InlineData("iris.csv", "linear", "--model linear fits a regression, but the target 'species' of iris.csv is a class")]
    [InlineData("iris.csv", "ridge", "--model ridge fits a regression, but the target 'species' of iris.csv is a class")]
    [InlineData("diabetes.csv", "logistic", "--model logistic is a classifier, but the target 'progression' of diabetes.csv is a number")]
    [InlineData("diabetes.csv", "svm", "--model svm is a classifier, but the target 'progression' of diabetes.csv is a number")]
    [InlineData("iris.csv", "cnn", "--model cnn needs images")]
    public void ModelThatDoesNotFitTheTask_NamesBoth(string file, string model, string expected)
    {
        var run = Train("--data", SharedData.PathOf(file), "--model", model);

        Assert.StartsWith($"error: {expected}", AssertOneErrorLine(run));
    }

    [Fact]
    public void IdentifierColumn_StopsBeforeOneHotEncodingIt_AndSaysToDropIt()
    {
        string ids = "id,a,label\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"order-{i:D5},{i % 7},{(i % 3 == 0 ? "yes" : "no")}\n"));

        var run = Train("--data", Write("orders.csv", ids), "--target", "label");

        string line = AssertOneErrorLine(run);
        Assert.StartsWith($"error: {PathOf("orders.csv")}, column 'id': 4000 different texts in 4000 training rows", line);
        Assert.EndsWith("Leave the column out of the features (TabularOptions.Drop, --drop id on the command line).", line);
    }

    [Theory]
    [InlineData("price", "good.csv: there is no column to drop 'price' (a name, or a 0-based position below 3); the columns are: a, b, label.")]
    [InlineData("a,3", "good.csv: there is no column to drop '3' (a name, or a 0-based position below 3); the columns are: a, b, label.")]
    [InlineData("label", "good.csv: 'label' is the target column 'label', which cannot be dropped;")]
    [InlineData("0,b", "good.csv: dropping 'a', 'b' leaves only the target 'label'; at least one feature column is needed.")]
    public void BadDrop_NamesTheColumn(string drop, string expected)
    {
        var run = Train("--data", Write("good.csv", BadData.Good), "--drop", drop);

        Assert.StartsWith($"error: {PathOf(expected)}", AssertOneErrorLine(run));
    }

    [Fact]
    public void DropWithAnEmptyItem_SaysWhichItem()
    {
        var run = Train("--data", Write("good.csv", BadData.Good), "--drop", "a,,b");

        Assert.Equal("error: --drop must be column names or 0-based positions separated by commas, such as id,2; item 2 of 'a,,b' is empty.", AssertOneErrorLine(run));
    }

    [Fact]
    public void IdxFolder_WithDrop_IsRefused()
    {
        FashionMnistSubset.Write(PathOf("fashion"), train: 100, test: 20);

        var run = Train("--data", PathOf("fashion"), "--drop", "0");

        Assert.StartsWith("error: --drop does not fit --data", AssertOneErrorLine(run));
    }

    [Theory]
    [InlineData("x,empty,label\n1,,yes\n2,,no\n3,,yes\n4,,no\n5,,yes\n6,,no\n", "column 'empty': every training row is missing this value")]
    [InlineData("x,label\n1,yes\n2,no\n3,yes\nInfinity,no\n5,yes\n6,no\n", "line 5, column 'x': the value is +infinity")]
    [InlineData("x,label\n\"1,5\",yes\n\"2,5\",no\n\"3,5\",yes\n\"4,5\",no\n\"5,5\",yes\n\"6,5\",no\n", "is a number written with a decimal comma")]
    public void CellsNoModelCanUse_AreNamedBeforeTraining(string contents, string expected)
    {
        var run = Train("--data", Write("cells.csv", contents), "--target", "label", "--test-split", "0.34");

        string line = AssertOneErrorLine(run);
        Assert.StartsWith($"error: {PathOf("cells.csv")}, ", line);
        Assert.Contains(expected, line);
    }

    [Theory]
    [InlineData("0.01", "--test-split 0.01 leaves 2 test and 148 training rows for 3 classes; use a --test-split from 0.02 to 0.98.")]
    [InlineData("0.99", "--test-split 0.99 leaves 149 test and 1 training rows for 3 classes; use a --test-split from 0.02 to 0.98.")]
    public void TestSplitThatLosesAClass_SaysWhichValuesWork(string testSplit, string expected)
    {
        var run = Train("--data", SharedData.PathOf("iris.csv"), "--target", "species", "--test-split", testSplit);

        string line = AssertOneErrorLine(run);
        Assert.EndsWith($"column 'species': the 150 rows cannot be split into training and test rows that each hold every class: {expected}", line);
    }

    [Fact]
    public void ClassWithOneRow_IsNamedByItsLabelAndLine()
    {
        var run = Train("--data", Write("five.csv", "x,species\n1,setosa\n2,setosa\n3,versicolor\n4,versicolor\n5,virginica\n"), "--target", "species");

        Assert.Equal($"error: {PathOf("five.csv")}, column 'species': the 5 rows cannot be split into training and test rows that each hold every class: "
            + "the class 'virginica' has only 1 row (line 6); every class needs at least 2, one to train on and one to test on.", AssertOneErrorLine(run));
    }

    private string Write(string name, string contents) => WriteBytes(name, Encoding.UTF8.GetBytes(contents));

    private string AssertOneErrorLine(ProgramRun run)
    {
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(run.StandardOutput);
        Assert.False(File.Exists(PathOf("model.safetensors")));
        return Assert.Single(run.ErrorLines);
    }
}
