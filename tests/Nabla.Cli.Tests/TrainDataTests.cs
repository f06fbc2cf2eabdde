using System.Runtime.InteropServices;
using System.Text.Json;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla train --data</c>, run as a process on the real data sets: the task comes from the target,
/// the linear models reach what the library's estimators (checked against scikit-learn) reach on the
/// same split, and the model file carries the classes, the preprocessing and the test metrics.
/// </summary>
public sealed class TrainDataTests : TemporaryFolder
{
    private const ulong Seed = 0;
    private const double TestSplit = 0.2;

    private static ProgramRun Train(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, ["train", .. args]);

    [Fact]
    public void Iris_TextTarget_IsClassification_AndTheModelFileHasTheSpecies()
    {
        string model = PathOf("iris.safetensors");
        var run = Train("--data", SharedData.PathOf("iris.csv"), "--target", "species", "--epochs", "40", "--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Data:      iris.csv, 150 rows × 4 features, 3 classes (target species)", run.OutputLines[0]);
        Assert.InRange(run.SummaryValue("Test accuracy"), 0.85, 1);
        var header = SafetensorsHeader.Read(model);
        Assert.Equal("[\"setosa\",\"versicolor\",\"virginica\"]", header.Metadata["classes"]);
        Assert.Equal("classification", header.Metadata["task"]);
        using var preprocessing = JsonDocument.Parse(header.Metadata["preprocessing"]);
        Assert.Equal("species", preprocessing.RootElement.GetProperty("target").GetString());
        using var training = JsonDocument.Parse(header.Metadata["training"]);
        // 120 training rows, less the tenth held out to validate each epoch.
        Assert.Equal("108", training.RootElement.GetProperty("train_samples").GetString());
        Assert.Equal("30", training.RootElement.GetProperty("test_samples").GetString());
        Assert.Equal(SharedData.PathOf("iris.csv"), training.RootElement.GetProperty("data").GetString());
    }

    [Fact]
    public void Diabetes_Mlp_IsRegression_WithR2OnTheOriginalScale_PrintedAndInTheModelFile()
    {
        string model = PathOf("diabetes.safetensors");
        var run = Train("--data", SharedData.PathOf("diabetes.csv"), "--epochs", "20", "--json", "--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("regression", root.GetProperty("settings").GetProperty("task").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("data").GetProperty("classes").ValueKind);
        var test = root.GetProperty("test");
        double r2 = test.GetProperty("r2").GetDouble(), rmse = test.GetProperty("rmse").GetDouble();
        Assert.InRange(r2, 0.2, 1);
        // The progression is measured in tens to hundreds; standardised errors would be below 1.
        Assert.InRange(rmse, 30, 80);
        Assert.Equal(rmse * rmse, test.GetProperty("mse").GetDouble(), 6);
        Assert.Equal(model, root.GetProperty("modelPath").GetString());

        var header = SafetensorsHeader.Read(model);
        Assert.Equal("regression", header.Metadata["task"]);
        Assert.Equal("null", header.Metadata["classes"]);
        using var metrics = JsonDocument.Parse(header.Metadata["metrics"]);
        Assert.Equal(r2, metrics.RootElement.GetProperty("r2").GetDouble(), 12);
        Assert.Equal(["mae", "mse", "r2", "rmse"], metrics.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var text = Train("--data", SharedData.PathOf("diabetes.csv"), "--epochs", "20", "--quiet", "--out", model);
        Assert.Equal(Math.Round(r2, 4), text.SummaryValue("Test R²"));   // four decimals, as every metric is shown
    }

    [Fact]
    public void Linear_OnDiabetes_HasTheTestR2OfLeastSquaresOnTheSameSplit()
    {
        var (xTrain, xTest, yTrain, yTest) = Standardised("diabetes.csv", "progression", stratify: false);
        double expected = new LinearRegression().Fit(xTrain, yTrain).Score(xTest, yTest);

        double r2 = TestMetric("r2", "--data", SharedData.PathOf("diabetes.csv"), "--model", "linear");

        Assert.Equal(expected, r2, 1e-4);
    }

    [Fact]
    public void Ridge_OnDiabetes_HasTheTestR2OfRidgeAlpha1OnStandardisedFeatures()
    {
        var (xTrain, xTest, yTrain, yTest) = Standardised("diabetes.csv", "progression", stratify: false);
        double expected = new Ridge(alpha: 1).Fit(xTrain, yTrain).Score(xTest, yTest);
        double leastSquares = new LinearRegression().Fit(xTrain, yTrain).Score(xTest, yTest);

        double r2 = TestMetric("r2", "--data", SharedData.PathOf("diabetes.csv"), "--model", "ridge");
        double stronger = TestMetric("r2", "--data", SharedData.PathOf("diabetes.csv"), "--model", "ridge", "--alpha", "50");

        Assert.Equal(expected, r2, 1e-4);
        Assert.Equal(new Ridge(alpha: 50).Fit(xTrain, yTrain).Score(xTest, yTest), stronger, 1e-4);
        Assert.NotEqual(leastSquares, stronger, 1e-3);
    }

    [Theory]
    [InlineData("breast_cancer.csv", "malignant_is_0")]
    [InlineData("iris.csv", "species")]
    public void Logistic_HasTheTestAccuracyOfLogisticRegressionC1(string file, string target)
    {
        var (xTrain, xTest, yTrain, yTest) = Standardised(file, target, stratify: true);
        double expected = new LogisticRegression(C: 1).Fit(xTrain, yTrain).Score(xTest, yTest);

        double accuracy = TestMetric("accuracy", "--data", SharedData.PathOf(file), "--target", target, "--model", "logistic");

        Assert.Equal(expected, accuracy, 1e-12);
    }

    [Theory]
    [InlineData("breast_cancer.csv", "malignant_is_0", 1, "[\"0\",\"1\"]", "double")]
    [InlineData("iris.csv", "species", 3, "[\"setosa\",\"versicolor\",\"virginica\"]", "string")]
    public void Logistic_SavesTheCoefficientsOfTheLibrarysLogisticRegression(string file, string target, int rows, string classes, string classType)
    {
        // The command fits the library's estimator on the same split and preparation, so the weights
        // agree to the last bits; LogisticRegressionTests checks that estimator against scikit-learn.
        var (xTrain, _, yTrain, _) = Standardised(file, target, stratify: true);
        var labels = Csv.Read(SharedData.PathOf(file))[target];
        var library = labels.IsNumeric
            ? new LogisticRegression().Fit(xTrain, yTrain)
            : new LogisticRegression().Fit(xTrain, [.. yTrain.Select(code => labels.Categories[(int)code])]);
        string model = PathOf("logistic.safetensors");

        var run = Train("--data", SharedData.PathOf(file), "--target", target, "--model", "logistic", "--quiet", "--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        var header = SafetensorsHeader.Read(model);
        Assert.Equal("logistic_regression", header.Metadata["model"]);
        Assert.Equal(classes, header.Metadata["classes"]);
        Assert.Equal(classType, header.Metadata["class_type"]);
        Assert.Equal([rows, xTrain.Size(1)], header.Tensors["coef"].Shape);
        double[] saved = [.. MemoryMarshal.Cast<byte, double>(header.Data["coef"]), .. MemoryMarshal.Cast<byte, double>(header.Data["intercept"])];
        double[] expected = [.. library.Coef.ToDoubleArray(), .. library.Intercept.ToDoubleArray()];
        Assert.Equal(expected.Length, saved.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(saved[i] - expected[i]) <= 1e-8, $"weight {i}: command {saved[i]:R}, library {expected[i]:R}");
    }

    [Fact]
    public void Json_WithAnUndefinedMetric_WritesNullAndWhy_AndExits0()
    {
        // One test row: R² is undefined. The JSON writer refused NaN after the model file was written (exit 1).
        string model = PathOf("ridge.safetensors");

        var run = Train("--data", SharedData.PathOf("diabetes.csv"), "--model", "ridge", "--test-split", "0.002", "--json", "--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var test = json.RootElement.GetProperty("test");
        Assert.Equal(JsonValueKind.Null, test.GetProperty("r2").ValueKind);
        Assert.True(test.GetProperty("rmse").GetDouble() > 0);
        Assert.Equal("not defined on the 1 test row (R² needs test targets that vary); give a larger --test-split",
            json.RootElement.GetProperty("undefinedMetrics").GetProperty("r2").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("data").GetProperty("testRows").GetInt32());
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void BreastCancer_ZeroOneTarget_IsABinaryClassification()
    {
        string model = PathOf("cancer.safetensors");
        var run = Train("--data", SharedData.PathOf("breast_cancer.csv"), "--model", "svm", "--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Data:      breast_cancer.csv, 569 rows × 30 features, 2 classes (target malignant_is_0)", run.OutputLines[0]);
        Assert.Contains(run.OutputLines, line => line.StartsWith("Model:     svm LinearSvc, 30 → 2 classes (squared hinge, one-vs-rest; L2, C 1), 31 parameters", StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, line => line.StartsWith("Solver:    dual coordinate descent, at most 1000 passes (ran ", StringComparison.Ordinal));
        Assert.InRange(run.SummaryValue("Test accuracy"), 0.93, 1);
        var header = SafetensorsHeader.Read(model);
        Assert.Equal("[\"0\",\"1\"]", header.Metadata["classes"]);
        Assert.Equal("linear_svc", header.Metadata["model"]);
        // scikit-learn's binary LinearSVC: one weight vector for the second class.
        Assert.Equal([1, 30], header.Tensors["coef"].Shape);
    }

    [Theory]
    [InlineData("mlp", "784 → 128 → 64 → 10 (relu)")]
    [InlineData("cnn", "1×28×28 → conv 3×3 (16)")]
    public void FashionMnistFolder_TrainsOnItsOwnTrainingAndTestImages(string kind, string architecture)
    {
        string folder = PathOf("fashion");
        var (train, test) = FashionMnistSubset.Write(folder, train: 600, test: 100);
        string model = PathOf($"{kind}.safetensors");

        // Three epochs of 600 shared images, or, in a plain clone, more passes over the 80 of the excerpt.
        string epochs = train >= 600 ? "3" : "15";
        var run = Train("--data", folder, "--model", kind, "--epochs", epochs, "--json", "--out", model);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.StartsWith(architecture, root.GetProperty("model").GetProperty("architecture").GetString());
        Assert.Equal(test, root.GetProperty("data").GetProperty("testRows").GetInt32());
        Assert.Equal(train, root.GetProperty("data").GetProperty("trainRows").GetInt32() + root.GetProperty("data").GetProperty("validationRows").GetInt32());
        // Ten clothing classes: a few epochs on a few hundred images (or many on the excerpt) do far better than chance (0.1).
        Assert.InRange(root.GetProperty("test").GetProperty("accuracy").GetDouble(), 0.3, 1);
        var header = SafetensorsHeader.Read(model);
        using var preprocessing = JsonDocument.Parse(header.Metadata["preprocessing"]);
        Assert.Equal("image", preprocessing.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public void ImputeMean_MakesAFileWithMissingCellsTrain()
    {
        string data = WriteBytes("gaps.csv", System.Text.Encoding.UTF8.GetBytes(BadData.WithGaps));

        var refused = Train("--data", data, "--quiet", "--out", PathOf("model.safetensors"));
        var run = Train("--data", data, "--impute", "mean", "--json", "--out", PathOf("model.safetensors"));

        Assert.Equal(1, refused.ExitCode);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal("mean", json.RootElement.GetProperty("settings").GetProperty("impute").GetString());
        using var preprocessing = JsonDocument.Parse(SafetensorsHeader.Read(PathOf("model.safetensors")).Metadata["preprocessing"]);
        Assert.Equal("impute_mean", preprocessing.RootElement.GetProperty("missing").GetString());
    }

    [Fact]
    public void Drop_LeavesAnIdentifierOut_AndPredictReadsTheFullFile()
    {
        string[] iris = [.. File.ReadAllLines(SharedData.PathOf("iris.csv")).Where(line => line.Length > 0)];
        string data = PathOf("iris-with-ids.csv");
        File.WriteAllLines(data, iris.Select((line, i) => (i == 0 ? "order" : $"order-{i:D4}") + "," + line));
        string model = PathOf("model.safetensors");

        var refused = Train("--data", data, "--target", "species", "--quiet", "--out", model);
        var run = Train("--data", data, "--target", "species", "--drop", "order", "--model", "logistic", "--json", "--out", model);
        var predict = ProgramRun.Start(RepositoryLayout.CliAssembly, ["predict", "--model", model, "--data", data]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("column 'order'", refused.StandardError);
        Assert.Contains("--drop order", refused.StandardError);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal("order", Assert.Single(json.RootElement.GetProperty("settings").GetProperty("drop").EnumerateArray()).GetString());
        Assert.InRange(json.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble(), 0.85, 1);
        using var preprocessing = JsonDocument.Parse(SafetensorsHeader.Read(model).Metadata["preprocessing"]);
        Assert.Equal("sepal_length,sepal_width,petal_length,petal_width",
            string.Join(',', preprocessing.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString())));
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Equal(iris.Length - 1, predict.OutputLines.Skip(1).Count());
    }

    /// <summary>The same split and preparation as the command's, through the library, for the reference estimators.</summary>
    private static (Tensor XTrain, Tensor XTest, double[] YTrain, double[] YTest) Standardised(string file, string target, bool stratify)
    {
        var table = Csv.Read(SharedData.PathOf(file));
        var column = table[target];
        var split = stratify
            ? column.IsNumeric ? TrainTestSplit.Stratified(column.Numbers.ToArray(), TestSplit, randomState: Seed) : TrainTestSplit.Stratified(column.Codes.ToArray(), TestSplit, randomState: Seed)
            : TrainTestSplit.Create(table.RowCount, TestSplit, randomState: Seed);
        var prep = TabularPreprocessor.Fit(table, target, split.Train);
        var (xTrain, xTest) = split.Apply(prep.TransformFeatures(table));
        double[] y = column.IsNumeric ? column.Numbers.ToArray() : [.. column.Codes.ToArray().Select(code => (double)code)];
        var (yTrain, yTest) = split.Apply(y);
        return (xTrain, xTest, yTrain, yTest);
    }

    private double TestMetric(string metric, params string[] args)
    {
        var run = Train([.. args, "--json", "--out", PathOf($"{Guid.NewGuid():N}.safetensors")]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        return json.RootElement.GetProperty("test").GetProperty(metric).GetDouble();
    }
}
