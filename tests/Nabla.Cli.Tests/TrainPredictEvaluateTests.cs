using System.Globalization;
using System.Text.Json;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// The product's whole path, as a user walks it: <c>nabla train</c> writes a model file, and
/// <c>nabla info</c>, <c>nabla predict</c> and <c>nabla evaluate</c> read it back, each a separate process,
/// and their answers agree with one another.
/// </summary>
public sealed class TrainPredictEvaluateTests : TemporaryFolder
{
    private static ProgramRun Nabla(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, args);

    [Fact]
    public void Iris_ModelFromTrain_IsDescribedPredictedAndEvaluatedConsistently()
    {
        string data = SharedData.PathOf("iris.csv"), model = PathOf("iris.safetensors"), predictions = PathOf("predictions.csv");
        var train = Nabla("train", "--data", data, "--target", "species", "--epochs", "40", "--json", "--out", model);
        Assert.True(train.ExitCode == 0, train.ToString());
        using var trained = JsonDocument.Parse(train.StandardOutput);

        // info reports the metrics train measured on its test rows.
        var info = Nabla("info", model, "--json");
        Assert.True(info.ExitCode == 0, info.ToString());
        using var described = JsonDocument.Parse(info.StandardOutput);
        foreach (var metric in trained.RootElement.GetProperty("test").EnumerateObject())
            Assert.Equal(metric.Value.GetDouble(), described.RootElement.GetProperty("metrics").GetProperty(metric.Name).GetDouble());

        // predict's labels, scored by hand against the file's species column, give evaluate's accuracy.
        var predict = Nabla("predict", "--model", model, "--data", data, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        string[] species = [.. File.ReadAllLines(data).Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')[^1])];
        string[] predicted = [.. File.ReadAllLines(predictions).Skip(1).Select(line => line.Split(',')[0])];
        Assert.Equal(150, predicted.Length);
        double handAccuracy = species.Zip(predicted).Count(pair => pair.First == pair.Second) / 150.0;

        var evaluate = Nabla("evaluate", "--model", model, "--data", data, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        using var evaluated = JsonDocument.Parse(evaluate.StandardOutput);
        Assert.Equal(handAccuracy, evaluated.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 12);
        Assert.InRange(handAccuracy, 0.9, 1);
    }

    [Fact]
    public void Diabetes_LinearModelFromTrain_PredictsValuesWhoseR2IsEvaluates()
    {
        string data = SharedData.PathOf("diabetes.csv"), model = PathOf("diabetes.safetensors");
        var train = Nabla("train", "--data", data, "--model", "linear", "--quiet", "--out", model);
        Assert.True(train.ExitCode == 0, train.ToString());

        var predict = Nabla("predict", "--model", model, "--data", data);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        double[] truth = [.. File.ReadAllLines(data).Skip(1).Where(line => line.Length > 0).Select(line => double.Parse(line.Split(',')[^1], CultureInfo.InvariantCulture))];
        double[] values = [.. predict.OutputLines.Skip(1).Select(line => double.Parse(line, CultureInfo.InvariantCulture))];
        Assert.Equal(truth.Length, values.Length);
        double mean = truth.Average();
        double residual = truth.Zip(values).Sum(pair => (pair.First - pair.Second) * (pair.First - pair.Second));
        double total = truth.Sum(t => (t - mean) * (t - mean));
        double handR2 = 1 - residual / total;

        var evaluate = Nabla("evaluate", "--model", model, "--data", data, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        using var evaluated = JsonDocument.Parse(evaluate.StandardOutput);
        // The printed predictions carry Float32's digits, so the hand-made R² agrees to about 1e-6.
        Assert.Equal(handR2, evaluated.RootElement.GetProperty("metrics").GetProperty("r2").GetDouble(), 5);
        // A least-squares fit on 80% of the rows explains about half the variance of all of them.
        Assert.InRange(handR2, 0.45, 0.56);
    }
}
