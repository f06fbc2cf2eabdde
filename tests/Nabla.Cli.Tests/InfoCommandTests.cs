using System.Globalization;
using System.Text.Json;
using Nabla.Models;
using Nabla.Tests;
using Nabla.Training;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla info</c>, run as a process: every layer with its output shape and parameters, the parameter
/// count, task and classes, the data the model reads, the training summary and metrics, the version and
/// the file size, as text and JSON; a missing or damaged file is one line and exit code 1.
/// </summary>
public sealed class InfoCommandTests(ModelFiles models) : TemporaryFolder, IClassFixture<ModelFiles>
{
    private static ProgramRun Info(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, ["info", .. args]);

    [Fact]
    public void Iris_ListsEveryLayer_TheParameters_ClassesInputTrainingAndMetrics()
    {
        var run = Info(models.Iris);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        var model = ModelFile.Load(models.Iris);
        long bytes = new FileInfo(models.Iris).Length;
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"Model file: {models.Iris} ({bytes:N0} bytes), written by Nabla {ModelFile.CurrentNablaVersion}"), run.OutputLines[0]);
        Assert.Contains("Model:      network", run.OutputLines);
        Assert.Contains("Task:       classification, 3 classes: setosa, versicolor, virginica", run.OutputLines);
        Assert.Contains("Input:      CSV columns sepal_length, sepal_width, petal_length, petal_width (4 features after encoding), target 'species'", run.OutputLines);
        Assert.Contains("Parameters: 67", run.OutputLines);
        foreach (string line in model.Architecture!.Describe()) Assert.Contains(line.Trim(), run.OutputLines);
        Assert.Equal(3, model.Architecture!.Layers.Count);
        foreach (var layer in model.Architecture!.Layers) Assert.Contains(run.OutputLines, line => line.Contains(layer.Description, StringComparison.Ordinal));
        foreach (var (name, value) in model.Training) Assert.Contains(run.OutputLines, line => line.StartsWith(name + ":", StringComparison.Ordinal) && line.EndsWith(value, StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, line => line.StartsWith("f1_weighted:", StringComparison.Ordinal) && line.EndsWith("0.9000", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_DescribesTheImageModel()
    {
        var run = Info(models.Images, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.OutputLines);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        var model = ModelFile.Load(models.Images);
        Assert.Equal("info", root.GetProperty("command").GetString());
        Assert.Equal("network", root.GetProperty("model").GetString());
        Assert.Equal("string", root.GetProperty("classType").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("settings").ValueKind);
        Assert.Equal(new FileInfo(models.Images).Length, root.GetProperty("bytes").GetInt64());
        Assert.Equal(ModelFile.CurrentNablaVersion, root.GetProperty("nablaVersion").GetString());
        Assert.Equal(["0", "1", "2"], root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(model.Architecture!.ParameterCount, root.GetProperty("parameters").GetInt64());
        var architecture = root.GetProperty("architecture");
        Assert.Equal([1, 6, 6], architecture.GetProperty("inputShape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(model.Architecture!.Layers.Select(l => l.Description), architecture.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("description").GetString()));
        var preprocessing = root.GetProperty("preprocessing");
        Assert.Equal("image", preprocessing.GetProperty("kind").GetString());
        Assert.Equal(6, preprocessing.GetProperty("height").GetInt32());
        Assert.Equal("cnn", root.GetProperty("training").GetProperty("model").GetString());
        Assert.Equal(0.5, root.GetProperty("metrics").GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void Regression_SaysSoAndShowsItsTarget()
    {
        var run = Info(models.Diabetes);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Task:       regression", run.OutputLines);
        Assert.Contains(run.OutputLines, line => line.StartsWith("Input:      CSV columns age, sex, bmi", StringComparison.Ordinal) && line.EndsWith("target 'progression'", StringComparison.Ordinal));
        Assert.Contains("Parameters: 11", run.OutputLines);
    }

    [Fact]
    public void MissingDamagedOrForeignFiles_AreOneLineNamingTheFile()
    {
        byte[] bytes = File.ReadAllBytes(models.Iris);
        string truncated = WriteBytes("truncated.safetensors", bytes[..(bytes.Length / 2)]);
        bytes[1] ^= 0x40;
        string flipped = WriteBytes("flipped.safetensors", bytes);
        string absent = PathOf("absent.safetensors");

        PredictCommandTests.AssertFails(Info(absent), absent);
        PredictCommandTests.AssertFails(Info(truncated), truncated);
        PredictCommandTests.AssertFails(Info(flipped), flipped);
        PredictCommandTests.AssertFails(Info(SharedData.PathOf("iris.csv")), SharedData.PathOf("iris.csv"));
    }

    [Fact]
    public void TrainingCheckpoint_IsNamedAsOne_WithHowToUseIt()
    {
        var train = ProgramRun.Start(RepositoryLayout.CliAssembly, ["train", "--data", SharedData.PathOf("iris.csv"), "--target", "species", "--model", "mlp",
            "--epochs", "1", "--quiet", "--out", PathOf("model.safetensors"), "--checkpoint-dir", PathOf("runs")]);
        Assert.True(train.ExitCode == 0, train.ToString());
        string checkpoint = Path.Combine(PathOf("runs"), "checkpoint.safetensors");

        var run = Info(checkpoint);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal($"error: {checkpoint}: not a valid Nabla model file: it is a training checkpoint (format \"nabla.training_checkpoint\"); "
            + "load it with TrainingCheckpoint.Load, or continue its run with nabla train --resume.", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void WithoutAFile_IsAUsageError()
    {
        var run = Info();

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("nabla info --help", run.StandardError);
    }
}
