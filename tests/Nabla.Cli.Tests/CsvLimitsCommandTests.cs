using System.Diagnostics;
using System.Text;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla train</c>, <c>predict</c> and <c>evaluate</c> on CSV input that is too wide or never ends: each stops
/// with one line naming the file, the line and the option that raises the limit, run with the process's heap
/// capped (<see cref="HeapLimit"/>) so that a reading that grows without bound fails instead; and the options
/// themselves are checked.
/// </summary>
public sealed class CsvLimitsCommandTests(ModelFiles models) : TemporaryFolder, IClassFixture<ModelFiles>
{
    /// <summary>The heap each command gets here: ample for these small models, far below what reading the inputs whole took (0.9 to 10 GB).</summary>
    private const long HeapLimit = 256L << 20;

    /// <summary>
    /// How long a refusal may take, start-up included: about 0.5 s here (the million-column file took 142 s and 8.3 GB
    /// before it was refused), so 10 s stops only a hang.
    /// </summary>
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Commands() => ["train", "predict", "evaluate"];

    /// <summary>Runs <paramref name="command"/> on <paramref name="data"/> with the heap capped, timed.</summary>
    private (ProgramRun Run, TimeSpan Took) Run(string command, string data, params string[] more)
    {
        string[] model = command == "train" ? ["--out", PathOf("model.safetensors")] : ["--model", models.Iris];
        var clock = Stopwatch.StartNew();
        var run = ProgramRun.Start(HeapLimit, RepositoryLayout.CliAssembly, [command, "--data", data, .. model, .. more]);
        return (run, clock.Elapsed);
    }

    /// <summary>A CSV file of <paramref name="columns"/> columns c0, c1, … and one row of ones.</summary>
    private string Wide(int columns)
    {
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, columns).Select(c => $"c{c}"))).Append('\n');
        text.Append(string.Join(',', Enumerable.Repeat('1', columns))).Append('\n');
        return WriteBytes($"wide{columns}.csv", Encoding.ASCII.GetBytes(text.ToString()));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void AMillionColumns_AreRefusedAtLine1(string command)
    {
        string wide = Wide(1_000_000);

        var (run, took) = Run(command, wide);

        PredictCommandTests.AssertFails(run, $"error: {wide}, line 1: the line has more than 100,000 columns, the limit; raise it to read wider tables (CsvLimits.MaxColumns, --max-columns on the command line).");
        Assert.True(took < Quickly, $"took {took}");
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("evaluate")]
    public void AWideFileWithoutTheModelsColumns_IsRefusedByItsHeader_EvenWithTheLimitsRaised(string command)
    {
        string wide = Wide(1_000_000);

        var (run, took) = Run(command, wide, "--max-columns", "2000000", "--max-line-length", "16000000");

        PredictCommandTests.AssertFails(run, $"error: {wide}, line 1: 4 of the 4 columns the model reads are missing ('sepal_length', 'sepal_width', 'petal_length', 'petal_width'), "
            + "so these may not be the data the model was trained for; the file has the columns c0, c1, c2, c3, c4 and 999995 more.");
        Assert.True(took < Quickly, $"took {took}");
    }

    [Fact]
    public void AHundredThousandColumns_WithinTheLimit_AreReadInLittleMemory()
    {
        // Within the default limit, so every column is read (each used to start with room for 1,000 rows: 0.9 GB in all),
        // and refused only after, for its last column, which is empty.
        const int columns = 100_000;
        string header = string.Join(',', Enumerable.Range(0, columns).Select(c => $"c{c}"));
        string row = string.Join(',', Enumerable.Repeat('1', columns - 1)) + ",\n";
        string wide = WriteBytes("wide.csv", Encoding.ASCII.GetBytes($"{header}\n{row}{row.Replace('1', '2')}"));

        var (run, took) = Run("train", wide, "--target", "c0", "--model", "linear");

        PredictCommandTests.AssertFails(run, $"error: {wide}, column 'c{columns - 1}': every training row is missing this value");
        Assert.True(took < Quickly, $"took {took}");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void DevZero_IsALineThatNeverEnds(string command)
    {
        if (!File.Exists("/dev/zero")) return;

        var (run, took) = Run(command, "/dev/zero");

        PredictCommandTests.AssertFails(run, "error: /dev/zero, line 1: the line is longer than 1,048,576 characters (1 MiB), the limit, so this may not be a CSV file (a binary file, "
            + "or a stream with no line break); raise the limit to read longer lines (CsvLimits.MaxLineLength, --max-line-length on the command line).");
        Assert.True(took < Quickly, $"took {took}");
    }

    [Fact]
    public void APipeOfOneEndlessLine_StopsAtTheLineLimit()
    {
        // yes | tr -d '\n' > pipe
        using var pipe = new EndlessPipe(PathOf("endless"), "", "y");

        var (run, took) = Run("train", pipe.Path);

        PredictCommandTests.AssertFails(run, $"error: {pipe.Path}, line 1: the line is longer than 1,048,576 characters (1 MiB), the limit,");
        Assert.True(took < Quickly, $"took {took}");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void APipeOfEndlessRows_StopsAtTheCellLimit(string command)
    {
        // yes 5.1,3.5,1.4,0.2,setosa > pipe, after the header: 3,000,000 cells are 600,000 rows.
        using var pipe = new EndlessPipe(PathOf("rows"), "sepal_length,sepal_width,petal_length,petal_width,species\n", "5.1,3.5,1.4,0.2,setosa\n");

        var (run, took) = Run(command, pipe.Path, "--max-cells", "3000000");

        PredictCommandTests.AssertFails(run, $"error: {pipe.Path}, line 600,002: the table has more than 3,000,000 cells (rows × columns) by this line, the limit; "
            + "raise it to read larger tables (CsvLimits.MaxCells, --max-cells on the command line).");
        Assert.True(took < Quickly, $"took {took}");
    }

    [Fact]
    public void RaisingALimit_ReadsWhatItRefused()
    {
        string iris = SharedData.PathOf("iris.csv");

        var refused = ProgramRun.Start(RepositoryLayout.CliAssembly, "predict", "--model", models.Iris, "--data", iris, "--max-columns", "4");
        var read = ProgramRun.Start(RepositoryLayout.CliAssembly, "predict", "--model", models.Iris, "--data", iris, "--max-columns", "5", "--max-cells", "750");

        PredictCommandTests.AssertFails(refused, $"error: {iris}, line 1: the line has more than 4 columns");
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal(151, read.OutputLines.Length);
    }

    [Theory]
    [InlineData("--max-columns", "0")]
    [InlineData("--max-line-length", "-5")]
    [InlineData("--max-line-length", "2147483647")]
    [InlineData("--max-cells", "0")]
    public void AValueOutOfRange_IsAUsageError_NamingTheOption(string option, string value)
    {
        foreach (string command in new[] { "train", "predict", "evaluate" })
        {
            var run = ProgramRun.Start(RepositoryLayout.CliAssembly, command, "--data", "x.csv", "--model", command == "train" ? "mlp" : "m.safetensors", option, value);

            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains($"error: {option} must be a whole number from 1 to ", run.StandardError);
            Assert.Contains($", got {value}.", run.StandardError);
        }
    }

    [Fact]
    public void ALimitForDataThatIsNotCsv_IsRefusedByName()
    {
        var builtIn = ProgramRun.Start(RepositoryLayout.CliAssembly, "train", "--max-cells", "100");
        var folder = ProgramRun.Start(RepositoryLayout.CliAssembly, "train", "--data", models.ImageFolder, "--max-columns", "100", "--out", PathOf("m.safetensors"));
        var images = ProgramRun.Start(RepositoryLayout.CliAssembly, "predict", "--model", models.Images, "--data", models.ImageFolder, "--max-line-length", "100");

        Assert.True(builtIn.ExitCode == 2, builtIn.ToString());
        Assert.Contains("error: --max-cells needs --data PATH: the CSV file it bounds.", builtIn.StandardError);
        PredictCommandTests.AssertFails(folder, $"error: --max-columns does not apply to --data '{models.ImageFolder}', a folder of IDX files: it bounds a CSV file; leave it out.");
        PredictCommandTests.AssertFails(images, $"error: --max-line-length does not apply to --model '{models.Images}', which reads IDX images: it bounds a CSV file; leave it out.");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_ListsTheLimits(string command)
    {
        var run = ProgramRun.Start(RepositoryLayout.CliAssembly, command, "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--max-columns <N>", run.StandardOutput);
        Assert.Contains("--max-line-length <N>", run.StandardOutput);
        Assert.Contains("--max-cells <N>", run.StandardOutput);
    }
}
