using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Data;
using Nabla.Metrics;
using Nabla.Models;
using Nabla.Tests;
using Nabla.Tests.Models;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla evaluate</c>, run as a process: its metrics are the library's metrics of the model's own
/// predictions against the file's targets, with scikit-learn's classification report and the confusion
/// matrix for a classifier; data without targets, or with a label the model never saw, is one line and exit code 1.
/// </summary>
public sealed class EvaluateCommandTests(ModelFiles models) : TemporaryFolder, IClassFixture<ModelFiles>
{
    private static ProgramRun Evaluate(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, ["evaluate", .. args]);

    private static string IrisCsv => SharedData.PathOf("iris.csv");

    /// <summary>The true species of each iris row and the label the model file's network gives it, by the library.</summary>
    private (string[] Truth, string[] Predicted) IrisLabels()
    {
        var species = Csv.Read(IrisCsv)["species"];
        string[] truth = [.. species.Codes.ToArray().Select(code => species.Categories[code])];
        return (truth, [.. ModelPipeline.Load(models.Iris).Predict(IrisCsv).Labels]);
    }

    [Fact]
    public void Iris_ShowsTheMetrics_TheClassificationReport_AndTheConfusionMatrix()
    {
        var run = Evaluate("--model", models.Iris, "--data", IrisCsv);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        var (truth, predicted) = IrisLabels();
        string accuracy = ClassificationMetrics.Accuracy(truth, predicted).ToString("F4", CultureInfo.InvariantCulture);
        string macroF1 = ClassificationMetrics.F1(truth, predicted, Average.Macro).ToString("F4", CultureInfo.InvariantCulture);
        Assert.Contains($"Accuracy:         {accuracy}", run.OutputLines);
        Assert.Contains($"Macro F1:         {macroF1}", run.OutputLines);
        Assert.Contains(ClassificationReport.Create(truth, predicted).ToString(), run.StandardOutput.Replace("\r\n", "\n"));
        int[,] confusion = ClassificationMetrics.ConfusionMatrix(truth, predicted, ["setosa", "versicolor", "virginica"]);
        int header = Array.IndexOf(run.OutputLines, "Confusion matrix (rows: true class, columns: predicted class):");
        Assert.Equal(["setosa", "versicolor", "virginica"], run.OutputLines[header + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        for (int r = 0; r < 3; r++)
        {
            string[] cells = run.OutputLines[header + 2 + r].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(truth.Distinct().Order(StringComparer.Ordinal).ElementAt(r), cells[0]);
            Assert.Equal(Enumerable.Range(0, 3).Select(c => confusion[r, c]), cells.Skip(1).Select(int.Parse));
        }
    }

    [Fact]
    public void Iris_Json_HoldsTheLibrarysMetricsAndReport()
    {
        var run = Evaluate("--model", models.Iris, "--data", IrisCsv, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.OutputLines);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        var (truth, predicted) = IrisLabels();
        var metrics = root.GetProperty("metrics");
        Assert.Equal(ClassificationMetrics.Accuracy(truth, predicted), metrics.GetProperty("accuracy").GetDouble(), 1e-15);
        Assert.Equal(ClassificationMetrics.Precision(truth, predicted, Average.Macro), metrics.GetProperty("precision_macro").GetDouble(), 1e-15);
        Assert.Equal(ClassificationMetrics.Recall(truth, predicted, Average.Macro), metrics.GetProperty("recall_macro").GetDouble(), 1e-15);
        Assert.Equal(ClassificationMetrics.F1(truth, predicted, Average.Macro), metrics.GetProperty("f1_macro").GetDouble(), 1e-15);
        Assert.Equal(ClassificationMetrics.F1(truth, predicted, Average.Weighted), metrics.GetProperty("f1_weighted").GetDouble(), 1e-15);
        var report = root.GetProperty("report");
        Assert.Equal(ClassificationReport.Create(truth, predicted).ToString(), report.GetProperty("text").GetString());
        Assert.Equal(50, report.GetProperty("classes")[1].GetProperty("support").GetInt32());
        Assert.Equal(150, root.GetProperty("confusionMatrix").EnumerateArray().SelectMany(row => row.EnumerateArray()).Sum(n => n.GetInt32()));
    }

    [Fact]
    public void Diabetes_Json_GivesTheRegressionMetricsOnTheTargetsScale()
    {
        var run = Evaluate("--model", models.Diabetes, "--data", SharedData.PathOf("diabetes.csv"), "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var metrics = json.RootElement.GetProperty("metrics");
        double[] truth = Csv.Read(SharedData.PathOf("diabetes.csv"))["progression"].Numbers.ToArray();
        double[] predicted = ModelPipeline.Load(models.Diabetes).Predict(SharedData.PathOf("diabetes.csv")).Values!.ToDoubleArray();
        Assert.Equal(RegressionMetrics.R2(truth, predicted), metrics.GetProperty("r2").GetDouble(), 1e-12);
        Assert.Equal(RegressionMetrics.MeanSquaredError(truth, predicted), metrics.GetProperty("mse").GetDouble(), 1e-9);
        Assert.Equal(RegressionMetrics.RootMeanSquaredError(truth, predicted), metrics.GetProperty("rmse").GetDouble(), 1e-9);
        Assert.Equal(RegressionMetrics.MeanAbsoluteError(truth, predicted), metrics.GetProperty("mae").GetDouble(), 1e-9);
        Assert.False(json.RootElement.TryGetProperty("report", out _));
    }

    [Fact]
    public void Diabetes_Text_ShowsMseRmseMaeAndR2()
    {
        var run = Evaluate("--model", models.Diabetes, "--data", SharedData.PathOf("diabetes.csv"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["MSE:", "RMSE:", "MAE:", "R²:"], run.OutputLines.Skip(2).Select(line => line.Split(' ')[0]));
    }

    [Fact]
    public void IdxFolder_IsScoredAgainstItsTestLabels()
    {
        var run = Evaluate("--model", models.Images, "--data", models.ImageFolder, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var test = IdxImageFolder.Load(models.ImageFolder).Test;
        var predicted = ModelFile.Load(models.Images).Predict(test.Images).ArgMax(axis: 1);
        Assert.Equal(ClassificationMetrics.Accuracy(test.Labels, predicted), json.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 1e-15);
        Assert.Equal(12, json.RootElement.GetProperty("rows").GetInt32());
    }

    [Fact]
    public void AnUnknownLabel_NamesTheLine()
    {
        string data = WriteText("unknown.csv", "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n5.1,3.5,1.4,0.2,rose\n");

        PredictCommandTests.AssertFails(Evaluate("--model", models.Iris, "--data", data), $"{data}, line 3, column 'species': the label 'rose' was not seen in training");
    }

    [Fact]
    public void DataWithoutTheTargetColumn_IsRefusedByItsHeader_BeforeAnyRow()
    {
        // Line 2 is malformed, but line 1 already shows that there is nothing to evaluate against.
        string data = WriteText("features.csv", "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2,0.3\n");

        PredictCommandTests.AssertFails(Evaluate("--model", models.Iris, "--data", data),
            $"error: {data}, line 1: there is no target column 'species'; the columns are: sepal_length, sepal_width, petal_length, petal_width.");
    }

    [Fact]
    public void AnIdxFolderWithoutLabels_NamesTheMissingFile()
    {
        string data = PathOf("images");
        Directory.CreateDirectory(data);
        File.Copy(Path.Combine(models.ImageFolder, "t10k-images-idx3-ubyte.gz"), Path.Combine(data, "t10k-images-idx3-ubyte.gz"));

        PredictCommandTests.AssertFails(Evaluate("--model", models.Images, "--data", data), "t10k-labels-idx1-ubyte");
    }

    [Fact]
    public void FashionMnist_IsRefusedByAModelOfSmallerImages()
    {
        // The real Fashion-MNIST test images when the shared data is next to the checkout; otherwise hand-made ones of its size.
        string data = SharedData.Has(Path.Combine("fashion-mnist", "t10k-images-idx3-ubyte.gz")) ? SharedData.PathOf("fashion-mnist") : PathOf("fashion");
        if (data == PathOf("fashion"))
        {
            Directory.CreateDirectory(data);
            var (images, labels) = TrainedModels.ImageBytes(3, 28, new Random(2));
            File.WriteAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte"), images);
            File.WriteAllBytes(Path.Combine(data, "t10k-labels-idx1-ubyte"), labels);
        }

        PredictCommandTests.AssertFails(Evaluate("--model", models.Images, "--data", data), "the images are 28×28 pixels; the model reads 6×6");
    }

    [Fact]
    public void WithoutData_IsAUsageError()
    {
        var run = Evaluate("--model", models.Iris);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--data", run.StandardError);
    }

    private string WriteText(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));
}
