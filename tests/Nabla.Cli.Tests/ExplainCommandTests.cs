using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Explain;
using Nabla.Models;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla explain</c>, run as a process on model files that <c>nabla train</c> writes: integrated gradients meet their
/// completeness check on the default digits network, a linear model's attributions are its weights times the input's
/// change, permutation importance is the library's, the plots are PNGs of the grid's size, and every bad input is refused
/// by name, with nothing written.
/// </summary>
public sealed class ExplainCommandTests(ModelFiles models) : TemporaryFolder, IClassFixture<ModelFiles>
{
    private static ProgramRun Nabla(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, args);

    private static ProgramRun Explain(params string[] args) => Nabla(["explain", .. args]);

    private static string IrisCsv => SharedData.PathOf("iris.csv");

    private string TrainModel(string name, params string[] args)
    {
        string model = PathOf(name);
        var train = Nabla(["train", "--quiet", "--out", model, .. args]);
        Assert.True(train.ExitCode == 0, train.ToString());
        return model;
    }

    [Fact]
    public void DigitsMlp_IntegratedGradients_MeetCompletenessWithin1e6_OnTheTestRows()
    {
        string model = TrainModel("digits.safetensors");
        string digits = PathOf("digits.csv");
        Assert.Equal(0, Nabla("datasets", "export", "digits", "--out", digits).ExitCode);
        // The rows nabla train held out for its test, by the library's split with train's defaults (20 %, seed 0); every
        // twelfth of them, since each row takes the adaptive rule tens of thousands of gradients.
        double[] labels = [.. File.ReadLines(digits).Skip(1).Select(line => double.Parse(line[(line.LastIndexOf(',') + 1)..], CultureInfo.InvariantCulture))];
        var test = TrainTestSplit.Stratified(labels, 0.2, randomState: 0).Test;
        Assert.Equal(360, test.Count);
        int[] rows = [.. test.Where((_, i) => i % 12 == 0)];

        var run = Explain("--model", model, "--data", digits, "--rows", string.Join(',', rows), "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var explained = json.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(rows, explained.Select(row => row.GetProperty("row").GetInt32()));
        foreach (var row in explained)
        {
            double gap = row.GetProperty("completenessError").GetDouble();
            Assert.True(gap < 1e-6, $"row {row.GetProperty("row")}: completeness error {gap}");
            Assert.True(row.GetProperty("converged").GetBoolean());
            Assert.Equal(row.GetProperty("predicted").GetString(), row.GetProperty("target").GetString());
        }
    }

    [Fact]
    public void Json_IsOneObject_WithTheTopAttributionsOfEachRow_NamedByTheirFeatures()
    {
        var run = Explain("--model", models.Iris, "--data", IrisCsv, "--rows", "0,100", "--top", "2", "--target", "virginica", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.OutputLines);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("ig", root.GetProperty("method").GetString());
        Assert.Equal(models.Iris, root.GetProperty("model").GetString());
        Assert.Equal("zero", root.GetProperty("baseline").GetString());
        var rows = root.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal([0, 100], rows.Select(row => row.GetProperty("row").GetInt32()));
        Assert.Equal(["setosa", "virginica"], rows.Select(row => row.GetProperty("predicted").GetString()));
        string[] columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
        foreach (var row in rows)
        {
            Assert.Equal("virginica", row.GetProperty("target").GetString());
            var attributions = row.GetProperty("attributions").EnumerateArray().ToArray();
            Assert.Equal(2, attributions.Length);
            Assert.All(attributions, a => Assert.Contains(a.GetProperty("feature").GetString(), columns));
            Assert.True(Math.Abs(attributions[0].GetProperty("value").GetDouble()) >= Math.Abs(attributions[1].GetProperty("value").GetDouble()));
            Assert.True(row.GetProperty("completenessError").GetDouble() < 1e-6);
            Assert.True(row.GetProperty("errorBound").GetDouble() >= 0);
            Assert.True(row.GetProperty("evaluations").GetInt32() >= 17);
        }
    }

    [Fact]
    public void LinearModel_IntegratedGradients_AreItsWeightsTimesTheChangeFromTheBaseline()
    {
        string model = TrainModel("logistic.safetensors", "--data", IrisCsv, "--target", "species", "--model", "logistic");

        var run = Explain("--model", model, "--data", IrisCsv, "--rows", "0,60,120", "--baseline", "75", "--target", "versicolor", "--top", "0", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        // The reference: the coefficients and the standardisation the file holds, applied to the CSV's own numbers.
        var header = SafetensorsHeader.Read(model);
        var coef = header.Data["coef"];
        Assert.Equal("F64", header.Tensors["coef"].DType);
        Assert.Equal([3, 4], header.Tensors["coef"].Shape);
        using var preprocessing = JsonDocument.Parse(header.Metadata["preprocessing"]);
        var features = preprocessing.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => (Name: f.GetProperty("name").GetString()!, Mean: f.GetProperty("mean").GetDouble(), Scale: f.GetProperty("scale").GetDouble())).ToArray();
        string[][] cells = [.. File.ReadLines(IrisCsv).Skip(1).Select(line => line.Split(','))];
        using var json = JsonDocument.Parse(run.StandardOutput);
        foreach (var row in json.RootElement.GetProperty("rows").EnumerateArray())
        {
            int r = row.GetProperty("row").GetInt32();
            var values = row.GetProperty("attributions").EnumerateArray().ToDictionary(a => a.GetProperty("feature").GetString()!, a => a.GetProperty("value").GetDouble());
            Assert.Equal(4, values.Count);
            for (int f = 0; f < 4; f++)
            {
                double weight = BinaryPrimitives.ReadDoubleLittleEndian(coef.AsSpan((1 * 4 + f) * 8));   // class 1, versicolor
                // The model reads the standardised cells as Float32, as prediction prepares them.
                double Prepared(int row) => (float)((double.Parse(cells[row][f], CultureInfo.InvariantCulture) - features[f].Mean) / features[f].Scale);
                double change = Prepared(r) - Prepared(75);
                Assert.Equal(weight * change, values[features[f].Name], 1e-12);
            }
            Assert.Equal(17, row.GetProperty("evaluations").GetInt32());
        }
    }

    [Fact]
    public void Permutation_OnAnEstimator_IsTheLibrarysPermutationImportance_WithTheSameSeed()
    {
        string data = SharedData.PathOf("diabetes.csv");
        string model = TrainModel("ridge.safetensors", "--data", data, "--model", "ridge");

        var run = Explain("--model", model, "--data", data, "--method", "permutation", "--repeats", "3", "--seed", "11", "--top", "0", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var pipeline = ModelPipeline.Load(model);
        var rows = pipeline.ReadRows(data, withTargets: true);
        var expected = PermutationImportance.Compute((x, y) => ModelEvaluation.Of(pipeline.Predict(x), y).Metrics["r2"], rows.Inputs, rows.Targets!, 3, new Generator(11));
        var names = ((TabularPreprocessor)pipeline.Preprocessor).FeatureNames.ToList();
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("r2", root.GetProperty("metric").GetString());
        Assert.Equal(expected.BaselineScore, root.GetProperty("baselineScore").GetDouble(), 12);
        var features = root.GetProperty("features").EnumerateArray().ToArray();
        Assert.Equal(10, features.Length);
        foreach (var feature in features)
        {
            int f = names.IndexOf(feature.GetProperty("feature").GetString()!);
            Assert.Equal(expected.ImportancesMean[f], feature.GetProperty("mean").GetDouble(), 12);
            Assert.Equal(expected.ImportancesStd[f], feature.GetProperty("std").GetDouble(), 12);
        }
        double[] means = [.. features.Select(f => f.GetProperty("mean").GetDouble())];
        Assert.Equal(means.OrderDescending(), means);
    }

    [Fact]
    public void Plot_OfAnImageModel_IsAGridOfHeatMaps_AndOfATableModel_ABarChart()
    {
        string heatMaps = PathOf("heat.png"), bars = PathOf("bars.png");

        var images = Explain("--model", models.Images, "--data", models.ImageFolder, "--method", "saliency", "--rows", "0-4", "--plot", heatMaps);
        var table = Explain("--model", models.Iris, "--data", IrisCsv, "--rows", "3", "--plot", bars);

        Assert.True(images.ExitCode == 0, images.ToString());
        Assert.Contains($"Plot saved to: {heatMaps}", images.OutputLines);
        Assert.Contains(images.OutputLines, line => line.TrimStart().StartsWith("pixel (", StringComparison.Ordinal));
        // Five rows on a grid of three columns and two rows, each panel 320 × 320.
        Assert.Equal((960, 640), PngSize(heatMaps));
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Equal((560, 400), PngSize(bars));
    }

    /// <summary>The width and height of a PNG file, read from its signature and IHDR chunk.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        byte[] png = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Theory]
    [InlineData("--rows 0,150", "error: --rows: row 150 is out of range: {data} has 150 rows, numbered 0 to 149.", 1)]
    [InlineData("--rows 5-2", "error: --rows '5-2': the range 5-2 runs downwards; write it as 2-5.", 1)]
    [InlineData("--rows 1,x", "error: --rows '1,x': 'x' is not a row number; give 0-based row numbers separated by commas, and ranges such as 0-9.", 1)]
    [InlineData("--top -1", "error: --top must be 0 (every feature) or more, not -1.", 1)]
    [InlineData("--target daisy", "error: --target 'daisy' is not a class of --model '{model}'; its classes are setosa, versicolor, virginica.", 1)]
    [InlineData("--baseline 150", "error: --baseline: row 150 is out of range: {data} has 150 rows, numbered 0 to 149.", 1)]
    [InlineData("--baseline median", "error: --baseline must be zero, mean or a row number of --data; got 'median'.", 1)]
    [InlineData("--method shap", "error: --method must be one of ig, saliency, smoothgrad, permutation; got 'shap'.", 1)]
    [InlineData("--rows 0-16", "error: --plot draws at most 16 rows (a 4 × 4 grid), but --rows names 17; name fewer rows, or leave --plot out.", 1)]
    [InlineData("--method saliency --baseline mean", "error: --baseline does not apply to --method saliency: only integrated gradients measures from a baseline; leave it out.", 1)]
    [InlineData("--method permutation --rows 1", "error: --rows does not apply to --method permutation: it scores the model over every row of --data; leave it out.", 1)]
    [InlineData("--repeats 2", "error: --repeats does not apply to --method ig: only permutation importance repeats its shuffles; leave it out.", 1)]
    [InlineData("--method permutation --repeats 0", "error: --repeats must be at least 1, not 0.", 1)]
    public void BadInput_IsRefusedByName_AndWritesNoPlot(string options, string message, int exitCode)
    {
        string plot = PathOf("plot.png");

        var run = Explain(["--model", models.Iris, "--data", IrisCsv, "--plot", plot, .. options.Split(' ')]);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal([message.Replace("{data}", IrisCsv).Replace("{model}", models.Iris)], run.ErrorLines);
        Assert.Empty(run.StandardOutput);
        Assert.False(File.Exists(plot));
        Assert.Empty(Directory.GetFiles(Folder));
    }

    [Fact]
    public void Csv_WithoutTheModelsColumns_GetsPredictsError()
    {
        string data = PathOf("other.csv");
        File.WriteAllText(data, "a,b\n1,2\n");

        var explain = Explain("--model", models.Iris, "--data", data);
        var predict = Nabla("predict", "--model", models.Iris, "--data", data);

        Assert.Equal(1, explain.ExitCode);
        Assert.NotEmpty(predict.ErrorLines);
        Assert.Equal(predict.ErrorLines, explain.ErrorLines);
    }

    [Fact]
    public void Permutation_WithoutTheTargetColumn_IsRefusedNamingIt()
    {
        string data = PathOf("features.csv");
        File.WriteAllText(data, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.3,3.3,6.0,2.5\n");

        var run = Explain("--model", models.Iris, "--data", data, "--method", "permutation");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("species", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void TextModel_HasNoGradient_AndIsPointedToPermutation()
    {
        string excerpt = Path.Combine(RepositoryLayout.Root, "tests", "Nabla.Tests", "Fixtures", "debian-packages", "excerpt.csv");
        string model = TrainModel("text.safetensors", "--data", excerpt, "--target", "section", "--text", "description", "--drop", "package", "--model", "bow", "--epochs", "1");

        var run = Explain("--model", model, "--data", excerpt);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal([$"error: --method ig needs the gradient of the model's output, but --model '{model}' is a text network: its inputs are token ids, "
            + "whole numbers with no gradient; use --method permutation, which works for every model."], run.ErrorLines);
    }
}
