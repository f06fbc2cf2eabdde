using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Tests;
using Nabla.Tests.Data;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla import</c>, run as a process on the networks PyTorch exported (tools/fixtures/onnx_pytorch.py, in
/// tests/Nabla.Onnx.Tests/Fixtures/pytorch): the model file it writes makes <c>nabla predict</c> give PyTorch's
/// outputs on a CSV table and on IDX images; every bad input is one line naming the problem, and writes nothing.
/// </summary>
public sealed class ImportCommandTests : TemporaryFolder
{
    private static readonly string[] MlpColumns = [.. Enumerable.Range(0, 30).Select(i => $"f{i}")];

    [Fact]
    public void AnMlp_ImportedWithItsColumnsAndClasses_PredictsPyTorchsProbabilities()
    {
        var (input, output) = Fixture("mlp");
        string csv = WriteCsv("rows.csv", MlpColumns, input);
        string model = PathOf("mlp.safetensors");

        var import = Import("--onnx", OnnxFile("mlp"), "--out", model, "--classes", "no,yes", "--columns", string.Join(',', MlpColumns));

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Empty(import.StandardError);
        Assert.Contains("Linear(30 → 16)", import.StandardOutput);
        Assert.Contains("Parameters: 682", import.StandardOutput);
        Assert.Contains($"Wrote {model}", import.StandardOutput);
        var predictions = PredictJson(model, csv);
        Assert.Equal(["no", "yes"], predictions.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        AssertClose(Softmax(output), Probabilities(predictions));
    }

    [Fact]
    public void TheReadmesIrisNetwork_ImportedAndPredicted_GivesPyTorchsClassForEveryRow()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(FixturePath("iris.json")));
        string model = PathOf("torch-iris.safetensors"), iris = SharedData.PathOf("iris.csv");

        var import = Import("--onnx", Path.Combine(RepositoryLayout.Root, "examples", "data", "iris-pytorch.onnx"), "--out", model,
            "--classes", "setosa,versicolor,virginica", "--columns", "sepal_length,sepal_width,petal_length,petal_width", "--target", "species");

        Assert.True(import.ExitCode == 0, import.ToString());
        var predictions = PredictJson(model, iris);
        Assert.Equal(json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetString()),
            predictions.GetProperty("predictions").EnumerateArray().Select(p => p.GetString()));
        var evaluate = ProgramRun.Start(RepositoryLayout.CliAssembly, "evaluate", "--model", model, "--data", iris, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        using var metrics = JsonDocument.Parse(evaluate.StandardOutput);
        Assert.Equal(json.RootElement.GetProperty("accuracy").GetDouble(), metrics.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 1e-6);
    }

    [Fact]
    public void ACnn_ImportedForIdxImages_PredictsPyTorchsProbabilities()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(FixturePath("cnn.json")));
        byte[] pixels = [.. json.RootElement.GetProperty("pixels").GetProperty("values").EnumerateArray().Select(v => v.GetByte())];
        string images = WriteBytes("images-idx3-ubyte", [.. IdxBytes.Header(0x08, pixels.Length / 64, 8, 8), .. pixels]);
        string model = PathOf("cnn.safetensors");

        var import = Import("--onnx", OnnxFile("cnn"), "--out", model, "--classes", "0,1,2", "--image");

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("Conv2d(1 → 4, 3×3, stride 1, padding 1)", import.StandardOutput);
        Assert.Contains("IDX images 8×8 pixels", import.StandardOutput);
        AssertClose(Softmax(Fixture("cnn").Output), Probabilities(PredictJson(model, images)));
    }

    [Fact]
    public void ARegression_ImportedWithoutClasses_PredictsPyTorchsValues_AndEvaluates()
    {
        var (input, output) = Fixture("mlp_regression");
        string[] columns = ["a", "b", "c", "d"];
        string csv = WriteCsv("rows.csv", [.. columns, "price"], input, output);
        string model = PathOf("regression.safetensors");

        var import = Import("--onnx", OnnxFile("mlp_regression"), "--out", model, "--columns", "a,b,c,d", "--target", "price");

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("Task:       regression", import.StandardOutput);
        var values = PredictJson(model, csv).GetProperty("predictions").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        AssertClose([.. output.Select(row => row[0])], values);
        // The target column holds PyTorch's values: the model's error on them is rounding alone.
        var evaluate = ProgramRun.Start(RepositoryLayout.CliAssembly, "evaluate", "--model", model, "--data", csv, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        using var metrics = JsonDocument.Parse(evaluate.StandardOutput);
        Assert.InRange(metrics.RootElement.GetProperty("metrics").GetProperty("rmse").GetDouble(), 0, 1e-5);
    }

    [Fact]
    public void AMissingOnnxFile_IsNamed_AndNothingIsWritten()
    {
        string missing = PathOf("missing.onnx");

        AssertRefused(Import("--onnx", missing, "--out", PathOf("m.safetensors"), "--image", "--classes", "0,1"), $"The ONNX file {missing} does not exist.");
    }

    [Fact]
    public void AFileThatIsNotOnnx_IsNamed_AndNothingIsWritten()
    {
        string json = WriteBytes("model.onnx", Encoding.UTF8.GetBytes("{\"layers\": []}\n"));

        AssertRefused(Import("--onnx", json, "--out", PathOf("m.safetensors"), "--image", "--classes", "0,1"), $"{json}: not an ONNX model");
    }

    [Fact]
    public void AnUnsupportedOperator_IsNamedWithItsNode_AndNothingIsWritten()
    {
        // The same bytes with every "Erf" spelt "Cos": the op type and the names that carry it, still valid protobuf.
        byte[] bytes = File.ReadAllBytes(OnnxFile("mlp"));
        string text = Encoding.Latin1.GetString(bytes).Replace("Erf", "Cos", StringComparison.Ordinal);
        string onnx = WriteBytes("cos.onnx", Encoding.Latin1.GetBytes(text));

        AssertRefused(Import("--onnx", onnx, "--out", PathOf("m.safetensors"), "--classes", "no,yes", "--columns", string.Join(',', MlpColumns)),
            $"{onnx}: node '/5/Cos' (Cos): the operator Cos is not supported");
    }

    [Fact]
    public void ANetworkWithoutAModelFileForm_SaysWhichLayer_AndNothingIsWritten()
    {
        AssertRefused(Import("--onnx", OnnxFile("cnn_avg"), "--out", PathOf("m.safetensors"), "--image", "--classes", "0,1,2"),
            "layer 2 (AvgPool2d) has no form in a Nabla model file");
    }

    [Fact]
    public void ClassesThatDoNotFitTheOutputs_OrNoneForAClassifier_AreRefused()
    {
        string columns = string.Join(',', MlpColumns);

        AssertRefused(Import("--onnx", OnnxFile("mlp"), "--out", PathOf("m.safetensors"), "--classes", "a,b,c", "--columns", columns),
            "--classes names 3 classes, but the network in");
        AssertRefused(Import("--onnx", OnnxFile("mlp"), "--out", PathOf("m.safetensors"), "--columns", columns),
            "gives outputs of shape [2]; give --classes with one label per output");
        AssertRefused(Import("--onnx", OnnxFile("mlp_softmax"), "--out", PathOf("m.safetensors"), "--columns", "a,b,c,d,e"),
            "the network ends in Softmax, so it is a classifier: give --classes");
        AssertRefused(Import("--onnx", OnnxFile("mlp"), "--out", PathOf("m.safetensors"), "--classes", "no,yes", "--columns", "a,b"),
            "--columns names 2 columns, but the network in");
    }

    [Fact]
    public void AnOutputFolderThatDoesNotExist_IsRefused()
    {
        string folder = PathOf("absent");

        AssertRefused(Import("--onnx", OnnxFile("cnn"), "--out", Path.Combine(folder, "m.safetensors"), "--image", "--classes", "0,1,2"),
            $"the folder '{folder}' does not exist");
    }

    [Fact]
    public void AnOutputThatIsADevice_IsRefused_AndTheDeviceStays()
    {
        AssertRefused(Import("--onnx", OnnxFile("cnn"), "--out", "/dev/null", "--image", "--classes", "0,1,2"),
            "--out '/dev/null' is a device, pipe or socket, not a regular file");
        Assert.True(File.Exists("/dev/null"));
    }

    [Fact]
    public void NeitherColumnsNorImage_IsAUsageError()
    {
        var run = Import("--onnx", OnnxFile("cnn"), "--out", PathOf("m.safetensors"), "--classes", "0,1,2");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: give --columns NAMES (the network reads a CSV table) or --image", run.ErrorLines[0]);
        Assert.Empty(Directory.GetFiles(Folder));
    }

    [Fact]
    public void HostileOptionValues_EndWithAnErrorLineOrAModel_NeverATrace()
    {
        string[] hostile = ["", "-1", "/dev/zero", "a,,b", "\u001b[31mred"];
        string model = PathOf("m.safetensors");
        string[] images = ["--onnx", OnnxFile("cnn"), "--out", model, "--image", "--classes", "0,1,2", "--scale", "0.5"];
        string[] table = ["--onnx", OnnxFile("mlp_regression"), "--out", model, "--columns", "a,b,c,d", "--target", "price"];
        foreach (var (baseArgs, option) in new[] { (images, "--onnx"), (images, "--out"), (images, "--classes"), (images, "--scale"), (table, "--columns"), (table, "--target") })
            foreach (string value in hostile)
            {
                string[] args = [.. baseArgs];
                args[Array.IndexOf(args, option) + 1] = value;

                // In the test's folder, so an --out that is accepted as a relative path lands there.
                var run = ProgramRun.StartIn(Folder, RepositoryLayout.CliAssembly, ["import", .. args]);

                Assert.True(run.ExitCode is 0 or 1 or 2, run.ToString());
                Assert.All(run.ErrorLines, line => Assert.True(line.StartsWith("error: ", StringComparison.Ordinal) || line.StartsWith("Run 'nabla import --help'", StringComparison.Ordinal), run.ToString()));
                Assert.DoesNotContain('\u001b', run.StandardError);
                if (run.ExitCode != 0) Assert.False(File.Exists(model), $"{option} '{value}' failed but wrote {model}");
                foreach (string written in Directory.GetFiles(Folder)) File.Delete(written);
            }
    }

    private static ProgramRun Import(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, ["import", .. args]);

    /// <summary>Asserts exit code 1 and one error line holding <paramref name="expected"/>, and that no model file, whole or partial, was written.</summary>
    private void AssertRefused(ProgramRun run, string expected)
    {
        PredictCommandTests.AssertFails(run, expected);
        // A partial file would be a temporary, named with a leading dot, beside the model file.
        Assert.DoesNotContain(Directory.GetFiles(Folder), file => file.EndsWith(".safetensors", StringComparison.Ordinal) || Path.GetFileName(file).StartsWith('.'));
    }

    private static JsonElement PredictJson(string model, string data)
    {
        var run = ProgramRun.Start(RepositoryLayout.CliAssembly, "predict", "--model", model, "--data", data, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        return json.RootElement.Clone();
    }

    private static double[] Probabilities(JsonElement predictions) =>
        [.. predictions.GetProperty("probabilities").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(p => p.GetDouble()))];

    /// <summary>Each row's softmax, flattened.</summary>
    private static double[] Softmax(double[][] rows) => [.. rows.SelectMany(row =>
    {
        double[] exponentials = [.. row.Select(v => Math.Exp(v - row.Max()))];
        return exponentials.Select(v => v / exponentials.Sum());
    })];

    /// <summary>Within 1e-5 of the reference, relatively, with an absolute floor of 1e-6.</summary>
    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * Math.Abs(expected[i]) + 1e-6, $"value {i} is {actual[i]}, expected {expected[i]}");
    }

    /// <summary>A CSV table of <paramref name="rows"/> (and a last column of <paramref name="targets"/>' first values, when given), each number in its shortest exact form.</summary>
    private string WriteCsv(string name, string[] header, double[][] rows, double[][]? targets = null)
    {
        var text = new StringBuilder(string.Join(',', header)).Append('\n');
        for (int r = 0; r < rows.Length; r++)
        {
            var cells = rows[r].Select(v => ((float)v).ToString("R", CultureInfo.InvariantCulture));
            if (targets is not null) cells = cells.Append(targets[r][0].ToString("R", CultureInfo.InvariantCulture));
            text.Append(string.Join(',', cells)).Append('\n');
        }
        return WriteBytes(name, Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static string FixturePath(string file) => Path.Combine(RepositoryLayout.Root, "tests", "Nabla.Onnx.Tests", "Fixtures", "pytorch", file);

    private static string OnnxFile(string name) => FixturePath($"{name}.onnx");

    /// <summary>The fixture's input rows and PyTorch's output rows.</summary>
    private static (double[][] Input, double[][] Output) Fixture(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(FixturePath($"{name}.json")));
        return (Rows(json.RootElement.GetProperty("input")), Rows(json.RootElement.GetProperty("output")));
    }

    /// <summary>A tensor of the fixture as rows: the first axis, and everything after it flattened.</summary>
    private static double[][] Rows(JsonElement tensor)
    {
        int rows = tensor.GetProperty("shape")[0].GetInt32();
        double[] values = [.. tensor.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())];
        return [.. values.Chunk(values.Length / rows)];
    }
}
