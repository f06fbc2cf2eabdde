using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nabla.Data;
using Nabla.Models;
using Nabla.Onnx.Tests;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla export</c>, run as a process on models that <c>nabla train</c> made as a process: ONNX Runtime, fed the CSV file's raw
/// columns (or the IDX images' raw pixels), gives the labels <c>nabla predict</c> prints and its probabilities and values to 1e-5;
/// and every bad input is one line, exit code 1, and no file written.
/// </summary>
public sealed class ExportCommandTests(ModelFiles models) : TemporaryFolder, IClassFixture<ModelFiles>
{
    private static ProgramRun Nabla(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, args);

    [Theory]
    [InlineData("linear", "diabetes")]
    [InlineData("ridge", "diabetes")]
    [InlineData("mlp", "diabetes")]
    [InlineData("logistic", "iris")]
    [InlineData("svm", "breast_cancer")]
    [InlineData("mlp", "iris")]
    public void ModelTrainMade_ScoresInOnnxRuntimeAsPredictDoes(string kind, string data)
    {
        string csv = SharedData.PathOf($"{data}.csv"), model = PathOf($"{kind}.safetensors"), onnx = PathOf($"{kind}.onnx");
        string[] epochs = kind == "mlp" ? ["--epochs", "5"] : [];
        var train = Nabla(["train", "--data", csv, "--model", kind, .. epochs, "--quiet", "--out", model]);
        Assert.True(train.ExitCode == 0, train.ToString());

        var export = Nabla("export", "--model", model, "--onnx", onnx, "--dynamic-batch", "--json");

        Assert.True(export.ExitCode == 0, export.ToString());
        using var json = JsonDocument.Parse(export.StandardOutput);
        var pipeline = ModelPipeline.Load(model);
        var preprocessor = (TabularPreprocessor)pipeline.Preprocessor;
        Assert.Equal(preprocessor.InputColumns, json.RootElement.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        var predict = Nabla("predict", "--model", model, "--data", csv, "--json");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var predicted = JsonDocument.Parse(predict.StandardOutput);
        var outputs = OnnxRuntimeRun.Run(File.ReadAllBytes(onnx), OnnxRuntimeRun.Columns(Csv.Read(csv), preprocessor));
        var expected = predicted.RootElement.GetProperty("predictions");
        if (pipeline.Model.Task == ModelTask.Regression)
        {
            Agreement.Close(preprocessor.Target, [.. expected.EnumerateArray().Select(v => v.GetDouble())], (float[])outputs[preprocessor.Target]);
            return;
        }
        Assert.Equal(expected.EnumerateArray().Select(v => v.GetString()), (string[])outputs[preprocessor.Target]);
        if (predicted.RootElement.GetProperty("probabilities").ValueKind == JsonValueKind.Null)
            Assert.False(outputs.ContainsKey("probabilities"));
        else
            Agreement.Close("probabilities", [.. predicted.RootElement.GetProperty("probabilities").EnumerateArray().SelectMany(row => row.EnumerateArray()).Select(p => p.GetDouble())],
                (float[])outputs["probabilities"], pipeline.Model.Classes!.Count);
    }

    private static readonly string PackagesExcerpt = Path.Combine(RepositoryLayout.Root, "tests", "Nabla.Tests", "Fixtures", "debian-packages", "excerpt.csv");

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    [InlineData("bow")]
    [InlineData("logistic")]
    [InlineData("svm")]
    public void TextModelTrainMade_ScoresTokenIdsInOnnxRuntimeAsPredictDoes(string kind)
    {
        string model = PathOf($"{kind}.safetensors"), onnx = PathOf($"{kind}.onnx");
        string[] small = kind is "lstm" or "gru" or "rnn" or "bow" ? ["--epochs", "2", "--embedding-dim", "16", "--hidden", "8"] : [];
        if (kind == "bow") small = ["--epochs", "2", "--embedding-dim", "16"];
        var train = Nabla(["train", "--data", PackagesExcerpt, "--target", "section", "--text", "description", "--drop", "package", "--model", kind, .. small,
            "--quiet", "--out", model]);
        Assert.True(train.ExitCode == 0, train.ToString());

        var export = Nabla("export", "--model", model, "--onnx", onnx, "--dynamic-batch");

        Assert.True(export.ExitCode == 0, export.ToString());
        var pipeline = ModelPipeline.Load(model);
        var ids = pipeline.Preprocessor switch
        {
            global::Nabla.Text.TextPreprocessor text => text.TransformFeatures(text.ReadTable(PackagesExcerpt)),
            var other => throw new InvalidOperationException($"a text model prepared by {other.Kind}"),
        };
        int rows = ids.Shape[0], length = ids.Shape[1];
        Assert.Contains($"token_ids: int64[N, {length}]", export.OutputLines);
        var input = new DenseTensor<long>(ids.ToArray<int>().Select(id => (long)id).ToArray(), [rows, length]);
        var outputs = OnnxRuntimeRun.Run(File.ReadAllBytes(onnx), [NamedOnnxValue.CreateFromTensor("token_ids", input)]);
        var predict = Nabla("predict", "--model", model, "--data", PackagesExcerpt, "--json");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var predicted = JsonDocument.Parse(predict.StandardOutput);
        Assert.Equal(predicted.RootElement.GetProperty("predictions").EnumerateArray().Select(v => v.GetString()), (string[])outputs["section"]);
        var expected = pipeline.Predict(PackagesExcerpt);
        Agreement.Close("scores", expected.Outputs.ToDoubleArray(), (float[])outputs["scores"], expected.Outputs.Length / rows);
    }

    [Theory]
    [InlineData("als")]
    [InlineData("bpr")]
    public void RecommenderTrainMade_ScoresRawIdsInOnnxRuntimeAsPredictDoes(string solver)
    {
        string ratings = Path.Combine(RepositoryLayout.Root, "examples", "data", "ratings.csv"), model = PathOf("mf.safetensors"), onnx = PathOf("mf.onnx");
        string[] implicitFeedback = solver == "bpr" ? ["--implicit", "--solver", "bpr"] : ["--rating", "rating"];
        var train = Nabla(["train", "--data", ratings, "--model", "mf", "--user", "user", "--item", "item", .. implicitFeedback, "--factors", "4", "--epochs", "3",
            "--quiet", "--out", model]);
        Assert.True(train.ExitCode == 0, train.ToString());
        string pairs = PathOf("pairs.csv");
        File.WriteAllLines(pairs, ["user,item", "7,31", "7,1", "299,199", "5000,31", "7,5000", "5000,5000"]);

        var export = Nabla("export", "--model", model, "--onnx", onnx, "--batch-size", "6");

        Assert.True(export.ExitCode == 0, export.ToString());
        var predict = Nabla("predict", "--model", model, "--data", pairs, "--json");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var predicted = JsonDocument.Parse(predict.StandardOutput);
        long[] users = [7, 7, 299, 5000, 7, 5000], items = [31, 1, 199, 31, 5000, 5000];
        var outputs = OnnxRuntimeRun.Run(File.ReadAllBytes(onnx),
            [NamedOnnxValue.CreateFromTensor("user", new DenseTensor<long>(users, [6, 1])), NamedOnnxValue.CreateFromTensor("item", new DenseTensor<long>(items, [6, 1]))]);
        Agreement.Close("score", [.. predicted.RootElement.GetProperty("predictions").EnumerateArray().Select(v => v.GetDouble())], (float[])outputs.Values.Single());
    }

    [Fact]
    public void ImageModel_ReadsRawPixels()
    {
        string onnx = PathOf("images.onnx");

        var export = Nabla("export", "--model", models.Images, "--onnx", onnx, "--batch-size", "12");

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("images: float[12, 1, 6, 6]", export.OutputLines);
        string images = Path.Combine(models.ImageFolder, "t10k-images-idx3-ubyte.gz");
        var pixels = Idx.Read(images);
        var input = new DenseTensor<float>(pixels.ToArray<float>(), [12, 1, 6, 6]);
        var outputs = OnnxRuntimeRun.Run(File.ReadAllBytes(onnx), [NamedOnnxValue.CreateFromTensor("images", input)]);
        var expected = ModelPipeline.Load(models.Images).Predict(images);
        Assert.Equal(expected.Labels, (string[])outputs["label"]);
        Agreement.Close("probabilities", expected.Probabilities!.ToDoubleArray(), (float[])outputs["probabilities"], 3);
    }

    [Fact]
    public void ByDefault_TheBatchIsOneRowAndTheTextSaysWhatTheGraphReadsAndGives()
    {
        string onnx = PathOf("iris.onnx");

        var export = Nabla("export", "--model", models.Iris, "--onnx", onnx);

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.StartsWith($"Exported {models.Iris} (network, classification) to {onnx}: ONNX opset 17, ", export.OutputLines[0]);
        Assert.Equal(["Inputs:", "sepal_length: float[1, 1]", "sepal_width: float[1, 1]", "petal_length: float[1, 1]", "petal_width: float[1, 1]",
            "Outputs:", "species: string[1]", "probabilities: float[1, 3]", "scores: float[1, 3]"], export.OutputLines[1..]);
        Assert.Empty(export.StandardError);
    }

    [Fact]
    public void ADeviceAsOutput_IsWrittenIntoNotReplaced()
    {
        var export = Nabla("export", "--model", models.Iris, "--onnx", "/dev/null");

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.True(global::Nabla.IO.SpecialFile.Is("/dev/null"), "/dev/null is still a device");
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["--model", "missing.safetensors", "--onnx", "out.onnx"], "The model file missing.safetensors does not exist." },
        { ["--model", "{iris}", "--onnx", "no-such-folder/out.onnx"], "the folder" },
        { ["--model", "{iris}", "--onnx", "{iris}"], "is the model file itself" },
        { ["--model", "{iris}", "--onnx", "out.onnx", "--opset", "12"], "--opset must be 13 to 17, got 12." },
        { ["--model", "{iris}", "--onnx", "out.onnx", "--opset", "18"], "--opset must be 13 to 17, got 18." },
        { ["--model", "{iris}", "--onnx", "out.onnx", "--batch-size", "0"], "--batch-size must be at least 1, got 0." },
        { ["--model", "{iris}", "--onnx", "out.onnx", "--batch-size", "4", "--dynamic-batch"], "give one of them" },
        { ["--model", "{notamodel}", "--onnx", "out.onnx"], "not a valid" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_IsOneLineExitOneAndWritesNothing(string[] args, string message)
    {
        string notAModel = PathOf("notes.safetensors");
        File.WriteAllText(notAModel, "these are not weights");
        byte[] iris = File.ReadAllBytes(models.Iris);
        string[] resolved = [.. args.Select(a => a == "{iris}" ? models.Iris : a == "{notamodel}" ? notAModel : a)];

        var run = ProgramRun.StartIn(Folder, RepositoryLayout.CliAssembly, ["export", .. resolved]);

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", run.ErrorLines[0]);
        Assert.Contains(message, run.ErrorLines[0]);
        Assert.False(File.Exists(PathOf("out.onnx")));
        Assert.Equal(iris, File.ReadAllBytes(models.Iris));
    }
}
