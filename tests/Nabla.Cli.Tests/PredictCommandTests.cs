using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Data;
using Nabla.Models;
using Nabla.Tests;
using Nabla.Tests.Models;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla predict</c>, run as a process on model files made as <c>nabla train</c> makes them: its
/// predictions are the network's own (the argmax and softmax of its outputs, or the regression value on
/// the target's scale), on CSV and IDX data, to standard output, a file or JSON; and every bad input
/// is one line and exit code 1, a damaged model file included.
/// </summary>
public sealed class PredictCommandTests(ModelFiles models) : TemporaryFolder, IClassFixture<ModelFiles>
{
    private static ProgramRun Predict(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, ["predict", .. args]);

    private static string IrisCsv => SharedData.PathOf("iris.csv");

    [Fact]
    public void Iris_ToStandardOutput_GivesTheArgmaxLabelAndProbabilitiesThatSumToOne()
    {
        var run = Predict("--model", models.Iris, "--data", IrisCsv);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        var lines = run.OutputLines;
        Assert.Equal("prediction,probability_setosa,probability_versicolor,probability_virginica", lines[0]);
        Assert.Equal(151, lines.Length);
        var model = ModelFile.Load(models.Iris);
        var prep = (TabularPreprocessor)Preprocessor.FromJson(model.Preprocessing!);
        float[] logits = model.Predict(prep.TransformFeatures(Csv.Read(IrisCsv))).ToArray<float>();
        for (int row = 0; row < 150; row++)
        {
            string[] fields = lines[row + 1].Split(',');
            var rowLogits = logits.AsSpan(row * 3, 3).ToArray();
            Assert.Equal(model.Classes![Array.IndexOf(rowLogits, rowLogits.Max())], fields[0]);
            double[] probabilities = [.. fields.Skip(1).Select(f => double.Parse(f, CultureInfo.InvariantCulture))];
            Assert.Equal(1.0, probabilities.Sum(), 1e-5);
            Assert.Equal(Array.IndexOf(rowLogits, rowLogits.Max()), Array.IndexOf(probabilities, probabilities.Max()));
        }
    }

    [Fact]
    public void Diabetes_ToAFile_GivesValuesOnTheTargetsScale()
    {
        string output = PathOf("predictions.csv");

        var run = Predict("--model", models.Diabetes, "--data", SharedData.PathOf("diabetes.csv"), "--out", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal([$"442 predictions written to {output}"], run.OutputLines);
        var model = ModelFile.Load(models.Diabetes);
        var prep = (TabularPreprocessor)Preprocessor.FromJson(model.Preprocessing!);
        float[] expected = prep.InverseTransformTarget(model.Predict(prep.TransformFeatures(Csv.Read(SharedData.PathOf("diabetes.csv")))).Reshape(442)).ToArray<float>();
        string[] lines = File.ReadAllLines(output);
        Assert.Equal("prediction", lines[0]);
        Assert.Equal(expected, lines.Skip(1).Select(line => float.Parse(line, CultureInfo.InvariantCulture)));
        Assert.Equal([output], Directory.GetFiles(Folder));
    }

    [Fact]
    public void Json_IsOneObjectWithTheLabelsAndProbabilities()
    {
        var run = Predict("--model", models.Iris, "--data", IrisCsv, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.OutputLines);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("predict", root.GetProperty("command").GetString());
        Assert.Equal("classification", root.GetProperty("task").GetString());
        Assert.Equal(150, root.GetProperty("rows").GetInt32());
        Assert.Equal(["setosa", "versicolor", "virginica"], root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        var expected = ModelPipeline.Load(models.Iris).Predict(IrisCsv);
        Assert.Equal(expected.Labels, root.GetProperty("predictions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(expected.Probabilities!.ToArray<float>(),
            root.GetProperty("probabilities").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(p => p.GetSingle())));
    }

    [Fact]
    public void IdxFolder_PredictsItsTestImages_AsTheNetworkDoes()
    {
        var run = Predict("--model", models.Images, "--data", models.ImageFolder);

        Assert.True(run.ExitCode == 0, run.ToString());
        var model = ModelFile.Load(models.Images);
        int[] expected = model.Predict(IdxImageFolder.Load(models.ImageFolder).Test.Images).ArgMax(axis: 1).ToArray<int>();
        Assert.Equal("prediction,probability_0,probability_1,probability_2", run.OutputLines[0]);
        Assert.Equal(expected.Select(c => TrainedModels.ImageClasses[c]), run.OutputLines.Skip(1).Select(line => line.Split(',')[0]));
    }

    [Fact]
    public void MissingModelOrData_IsOneLineNamingTheFile()
    {
        string absentModel = PathOf("absent.safetensors"), absentData = PathOf("absent.csv");

        AssertFails(Predict("--model", absentModel, "--data", IrisCsv), absentModel);
        AssertFails(Predict("--model", models.Iris, "--data", absentData), absentData);
    }

    [Fact]
    public void CsvWithoutAFeatureColumn_OrWithTextInANumberColumn_NamesIt()
    {
        string noColumn = WriteText("no-column.csv", "sepal_length,sepal_width,petal_length\n5.1,3.5,1.4\n");
        string text = WriteText("text.csv", "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n5.1,wide,1.4,0.2\n");

        AssertFails(Predict("--model", models.Iris, "--data", noColumn), "'petal_width' is missing");
        AssertFails(Predict("--model", models.Iris, "--data", text), $"{text}, line 3, column 'sepal_width': \"wide\" is not a number");
    }

    [Fact]
    public void CsvWithoutAFeatureColumn_IsRefusedByItsHeader_BeforeAnyRow()
    {
        // Line 2 is malformed, but line 1 already shows that the file does not fit the model.
        string path = WriteText("no-column.csv", "sepal_length,sepal_width,petal_length,species\n5.1,3.5,1.4,setosa,extra\n");

        AssertFails(Predict("--model", models.Iris, "--data", path),
            $"error: {path}, line 1: the column 'petal_width' is missing; the model reads the columns sepal_length, sepal_width, petal_length, petal_width.");
    }

    [Fact]
    public void ColumnsTheModelDoesNotRead_AreSkipped_MistakesInThemIncluded()
    {
        string[] iris = File.ReadAllLines(IrisCsv);
        string extra = WriteText("extra.csv", string.Concat(iris.Select((line, i) => $"{(i == 0 ? "id" : i == 2 ? "7x" : $"{i}")},{line}\n")));

        var run = Predict("--model", models.Iris, "--data", extra);
        var plain = Predict("--model", models.Iris, "--data", IrisCsv);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(plain.StandardOutput, run.StandardOutput);
    }

    [Fact]
    public void IdxImagesOfTheWrongSize_AreRefused()
    {
        string images = WriteBytes("t10k-images-idx3-ubyte", TrainedModels.ImageBytes(3, 5, new Random(1)).Images);

        AssertFails(Predict("--model", models.Images, "--data", images), "the images are 5×5 pixels; the model reads 6×6");
    }

    [Fact]
    public void OutInAMissingFolder_IsRefusedBeforeReadingAnything()
    {
        string output = Path.Combine(Folder, "no-such-folder", "predictions.csv");

        AssertFails(Predict("--model", PathOf("absent.safetensors"), "--data", IrisCsv, "--out", output), "--out");
    }

    public static TheoryData<int> TruncationPoints() => [0, 4, 8, 9, 64, 300, -300, -1];

    [Theory]
    [MemberData(nameof(TruncationPoints))]
    public void TruncatedModelFile_IsOneLineNamingIt(int length)
    {
        byte[] bytes = File.ReadAllBytes(models.Iris);
        string truncated = WriteBytes("truncated.safetensors", bytes[..(length >= 0 ? length : bytes.Length + length)]);

        AssertFails(Predict("--model", truncated, "--data", IrisCsv), truncated);
    }

    public static TheoryData<int> FlippedBytes() => [0, 3, 7, 8, 9, 20, 60];

    [Theory]
    [MemberData(nameof(FlippedBytes))]
    public void ModelFileWithAFlippedHeaderByte_IsOneLineNamingIt(int position)
    {
        byte[] bytes = File.ReadAllBytes(models.Iris);
        bytes[position] ^= 0xFF;
        string damaged = WriteBytes("damaged.safetensors", bytes);

        AssertFails(Predict("--model", damaged, "--data", IrisCsv), damaged);
    }

    [Fact]
    public void ADataFileGivenAsTheModel_IsNotAModelFile()
    {
        AssertFails(Predict("--model", IrisCsv, "--data", IrisCsv), IrisCsv);
    }

    [Theory]
    [InlineData("--data", "x.csv")]
    [InlineData("--model", "m.safetensors")]
    [InlineData("--model", "m.safetensors", "--data", "x.csv", "--bogus")]
    public void UsageErrors_ExitWithCode2(params string[] args)
    {
        var run = Predict(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("nabla predict --help", run.StandardError);
    }

    /// <summary>Exit code 1, nothing on standard output, and one line on standard error that holds <paramref name="expected"/>.</summary>
    [Fact]
    public void ModelWithANaNWeight_IsRefusedAtLoad_NamingTheTensor()
    {
        // One NaN bias made every prediction "setosa,NaN,NaN,NaN" with exit 0.
        var model = TrainedModels.Iris();
        var state = new Dictionary<string, Tensor>(model.Network!.StateDict());
        float[] bias = state["0.bias"].ToArray<float>();
        bias[1] = float.NaN;
        state["0.bias"] = Tensor.FromArray(bias, bias.Length);
        model.Network.LoadStateDict(state);
        string path = PathOf("nan-bias.safetensors");
        model.Save(path);

        AssertFails(Predict("--model", path, "--data", IrisCsv), $"{path}: not a valid Nabla model file: tensor \"0.bias\" holds NaN at element 1; a trained model's values are all finite.");
    }

    [Fact]
    public void RowThatOverflowsTheModel_IsAnErrorNamingTheRow_NotANaNPrediction()
    {
        // 1e300 is a finite number in the file, but no Float32 network can compute with it.
        string[] iris = [.. File.ReadAllLines(IrisCsv).Where(line => line.Length > 0)];
        string[] cells = iris[3].Split(',');
        cells[0] = "1e300";
        iris[3] = string.Join(',', cells);
        string data = WriteText("overflow.csv", string.Join('\n', iris) + "\n");

        AssertFails(Predict("--model", models.Iris, "--data", data), $"{data}: the model's output for data row 3 is ");
    }

    [Fact]
    public async Task Out_IntoANamedPipe_WritesThroughIt_AndThePipeStays()
    {
        string pipe = PathOf("predictions.pipe");
        Assert.Equal(0, Tool("mkfifo", pipe).ExitCode);
        // The reader must be there before the writer opens the pipe, as a shell's `nabla ... --out >(cat)` would be.
        var reader = Task.Run(() => File.ReadAllText(pipe));

        var run = Predict("--model", models.Iris, "--data", IrisCsv, "--out", pipe);

        Assert.True(run.ExitCode == 0, run.ToString());
        string written = await reader.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("prediction,probability_setosa,", written);
        Assert.Equal(151, written.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("fifo", Tool("stat", "-c", "%F", pipe).StandardOutput.Trim());
    }

    [Fact]
    public void Out_IntoACharacterDevice_WritesIntoIt_AndTheDeviceNodeStays()
    {
        // Replacing the output by renaming turned a device node into a regular file (as root, --out /dev/null
        // destroyed the system's). Making a device node takes root, which the CI has.
        if (Environment.UserName != "root") return;
        string device = PathOf("fakenull");
        Assert.Equal(0, Tool("mknod", device, "c", "1", "3").ExitCode);

        var predict = Predict("--model", models.Iris, "--data", IrisCsv, "--out", device);

        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Equal("character special file", Tool("stat", "-c", "%F", device).StandardOutput.Trim());
    }

    [Fact]
    public void Out_IntoAFullDevice_Exits1NamingIt()
    {
        AssertFails(Predict("--model", models.Iris, "--data", IrisCsv, "--out", "/dev/full"), "'/dev/full'");
        Assert.Equal("character special file", Tool("stat", "-c", "%F", "/dev/full").StandardOutput.Trim());
    }

    /// <summary>Runs a system tool (mkfifo, mknod, stat) and returns its exit code and standard output.</summary>
    private static (int ExitCode, string StandardOutput) Tool(string program, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    internal static void AssertFails(ProgramRun run, string expected)
    {
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(run.StandardOutput);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
    }

    private string WriteText(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));
}
