using System.Text.Json;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla datasets list</c> and <c>export</c>, run as processes: the list agrees with the files the library
/// ships; an export is that file byte for byte, trains as any CSV file, never replaces a file unasked, and a
/// wrong name or path is one line naming it.
/// </summary>
public sealed class DatasetsCommandTests : TemporaryFolder
{
    private static ProgramRun Datasets(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, ["datasets", .. args]);

    private static byte[] Shipped(string name) => File.ReadAllBytes(Path.Combine(RepositoryLayout.Root, "src", "Nabla", "Data", "BuiltIn", $"{name}.csv"));

    /// <summary>The data rows of a shipped file, counted from its bytes: the lines after the header.</summary>
    private static int ShippedRows(string name) => File.ReadAllLines(Path.Combine(RepositoryLayout.Root, "src", "Nabla", "Data", "BuiltIn", $"{name}.csv")).Count(line => line.Length > 0) - 1;

    [Fact]
    public void List_ShowsEachDataSet_WithTheSizeOfItsFile()
    {
        var run = Datasets("list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        Assert.StartsWith("name", run.OutputLines[0]);
        foreach (var (name, columns, task) in new[] { ("iris", 4, "classification (3 classes)"), ("diabetes", 10, "regression"), ("breast_cancer", 30, "classification (2 classes)"), ("digits", 64, "classification (10 classes)") })
        {
            string row = Assert.Single(run.OutputLines, line => line.StartsWith(name + " ", StringComparison.Ordinal));
            Assert.Contains($"{ShippedRows(name)} × {columns}", row);
            Assert.Contains(task, row);
        }
        Assert.Contains("Export one as a CSV file with 'nabla datasets export NAME' (it writes NAME.csv); 'nabla train' with no --data trains on digits.", run.OutputLines);
    }

    [Fact]
    public void ListJson_GivesEveryField()
    {
        var run = Datasets("list", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var sets = json.RootElement.GetProperty("datasets").EnumerateArray().ToArray();
        Assert.Equal(["iris", "diabetes", "breast_cancer", "digits"], sets.Select(set => set.GetProperty("name").GetString()));
        var diabetes = sets[1];
        Assert.Equal(442, diabetes.GetProperty("rows").GetInt32());
        Assert.Equal("progression", diabetes.GetProperty("target").GetString());
        Assert.Equal("regression", diabetes.GetProperty("task").GetString());
        Assert.Equal(JsonValueKind.Null, diabetes.GetProperty("classes").ValueKind);
        Assert.Equal("BSD-3-Clause", diabetes.GetProperty("licence").GetString());
        Assert.Equal(10, sets[3].GetProperty("classes").GetInt32());
    }

    [Theory]
    [InlineData("iris")]
    [InlineData("diabetes")]
    [InlineData("breast_cancer")]
    [InlineData("digits")]
    public void Export_WritesTheShippedFile_ByteForByte(string name)
    {
        string path = PathOf($"{name}.csv");

        var run = Datasets("export", name, "--out", path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Shipped(name), File.ReadAllBytes(path));
        Assert.StartsWith($"Wrote {path}: {name}, {ShippedRows(name)} rows × ", Assert.Single(run.OutputLines));
    }

    [Fact]
    public void Export_ToStandardOutput_IsTheFileAlone()
    {
        var run = Datasets("export", "iris", "--out", "-");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(System.Text.Encoding.UTF8.GetString(Shipped("iris")), run.StandardOutput);
    }

    [Fact]
    public void Export_DoesNotReplaceAFile_UnlessForced()
    {
        string path = WriteBytes("iris.csv", "my own measurements\n1,2\n"u8.ToArray());

        var refused = Datasets("export", "iris", "--out", path);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"error: --out '{path}' already exists; give --force to replace it, or another --out path.", Assert.Single(refused.ErrorLines));
        Assert.Equal("my own measurements\n1,2\n", File.ReadAllText(path));

        var forced = Datasets("export", "iris", "--out", path, "--force");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(Shipped("iris"), File.ReadAllBytes(path));
    }

    [Fact]
    public void Export_UnknownName_IsAUsageErrorListingTheNames()
    {
        var run = Datasets("export", "mnist");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["error: there is no built-in data set 'mnist'; the built-in ones are iris, diabetes, breast_cancer, digits.", "Run 'nabla datasets export --help' for usage."], run.ErrorLines);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Folder));
    }

    [Fact]
    public void Export_IntoAMissingFolder_NamesIt()
    {
        string path = PathOf(Path.Combine("missing", "iris.csv"));

        var run = Datasets("export", "iris", "--out", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: --out '{path}': the folder '{PathOf("missing")}' does not exist; create it first.", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Export_ThenTrain_FitsTheSameModelAsTheBuiltInJob()
    {
        // The default job trains on the built-in digits; on the exported file, the same options give the same test accuracy.
        string digits = PathOf("digits.csv");
        Assert.Equal(0, Datasets("export", "digits", "--out", digits).ExitCode);

        var builtIn = ProgramRun.Start(RepositoryLayout.CliAssembly, "train", "--epochs", "2", "--quiet", "--out", PathOf("a.safetensors"));
        var exported = ProgramRun.Start(RepositoryLayout.CliAssembly, "train", "--data", digits, "--epochs", "2", "--quiet", "--out", PathOf("b.safetensors"));

        Assert.True(builtIn.ExitCode == 0, builtIn.ToString());
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.Equal(builtIn.SummaryValue("Test accuracy"), exported.SummaryValue("Test accuracy"));
    }

    [Fact]
    public void Help_ListsBothSubcommands()
    {
        var run = Datasets("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.OutputLines, line => line.StartsWith("list ", StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, line => line.StartsWith("export <breast_cancer|diabetes|digits|iris> ", StringComparison.Ordinal));
    }
}
