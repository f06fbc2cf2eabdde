using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Explain;
using Nabla.Models;
using Nabla.Tests;
using Nabla.Text;

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
        // The rows nabla train held out for its test, by the library's split with train's defaults (20 %, seed 0): all of them,
        // the ReLU network integrated exactly between the points where its units switch.
        double[] labels = [.. File.ReadLines(digits).Skip(1).Select(line => double.Parse(line[(line.LastIndexOf(',') + 1)..], CultureInfo.InvariantCulture))];
        var test = TrainTestSplit.Stratified(labels, 0.2, randomState: 0).Test;
        Assert.Equal(360, test.Count);
        int[] rows = [.. test];

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
            Assert.InRange(row.GetProperty("evaluations").GetInt32(), 2, 5000);
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
            Assert.True(row.GetProperty("evaluations").GetInt32() >= 2);
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
            Assert.Equal(2, row.GetProperty("evaluations").GetInt32()); // one straight segment: its two ends
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

    private static string PackagesExcerpt => Path.Combine(RepositoryLayout.Root, "tests", "Nabla.Tests", "Fixtures", "debian-packages", "excerpt.csv");

    private string TrainTextModel(string kind, params string[] options) => TrainModel($"{kind}.safetensors",
        ["--data", PackagesExcerpt, "--target", "section", "--text", "description", "--drop", "package", "--model", kind, "--epochs", "1", .. options]);

    /// <summary>The rows of an explain --json run, each with its tokens (position, token, value), checked against the row's own terms.</summary>
    private static (int Row, string Target, (int Position, string Token, double Value)[] Tokens, JsonElement Json)[] TokenRows(ProgramRun run, string model)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        var text = (TextPreprocessor)ModelPipeline.Load(model).Preprocessor;
        var descriptions = text.ReadTable(PackagesExcerpt)["description"].Texts();
        using var json = JsonDocument.Parse(run.StandardOutput);
        return [.. json.RootElement.GetProperty("rows").EnumerateArray().Select(row =>
        {
            int r = row.GetProperty("row").GetInt32();
            var tokens = row.GetProperty("tokens").EnumerateArray()
                .Select(t => (t.GetProperty("position").GetInt32(), t.GetProperty("token").GetString()!, t.GetProperty("value").GetDouble())).ToArray();
            // Each token is the row's own term at its position (or <unk> for a term training never saw); padding is never shown.
            var terms = text.Terms(descriptions[r]);
            Assert.NotEmpty(tokens);
            foreach (var (position, token, _) in tokens)
                Assert.Equal(text.Vocabulary.Contains(terms[position]) ? terms[position] : "<unk>", token);
            return (r, row.GetProperty("target").GetString()!, tokens, row.Clone());
        })];
    }

    [Theory]
    [InlineData("lstm", "--hidden", "16", "--embedding-dim", "16")]
    [InlineData("gru", "--hidden", "8", "--embedding-dim", "8", "--bidirectional")]
    [InlineData("bow", "--embedding-dim", "16")]
    public void TextNetwork_IntegratedGradients_PerToken_MeetCompletenessWithin1e6(string kind, params string[] options)
    {
        string model = TrainTextModel(kind, options);

        var run = Explain("--model", model, "--data", PackagesExcerpt, "--rows", "0,7,300", "--top", "0", "--json");

        var rows = TokenRows(run, model);
        Assert.Equal([0, 7, 300], rows.Select(row => row.Row));
        foreach (var (row, _, tokens, json) in rows)
        {
            double gap = json.GetProperty("completenessError").GetDouble();
            Assert.True(gap < 1e-6, $"row {row}: completeness error {gap}");
            Assert.True(json.GetProperty("converged").GetBoolean());
            Assert.Contains(tokens, token => token.Value != 0);
        }
    }

    [Fact]
    public void TfidfLogistic_TokenAttributions_AreTheFilesWeightsTimesTfidf()
    {
        string model = TrainTextModel("logistic");

        var run = Explain("--model", model, "--data", PackagesExcerpt, "--rows", "0-3", "--top", "0", "--json");

        // The reference, from the file's tensors and vocabulary: term j of class c gives W[j, c]·tfidf_j, tfidf_j = (1 + ln count)·idf_j
        // scaled to unit length over the text's known terms, shared equally among the term's positions.
        var header = SafetensorsHeader.Read(model);
        int classes = header.Tensors["0.linear.weight"].Shape[1];
        float Read(string name, int index) => BinaryPrimitives.ReadSingleLittleEndian(header.Data[name].AsSpan(index * 4));
        using var preprocessing = JsonDocument.Parse(header.Metadata["preprocessing"]);
        var ids = preprocessing.RootElement.GetProperty("vocabulary").EnumerateArray().Select((term, id) => (Term: term.GetString()!, id)).ToDictionary(t => t.Term, t => t.id);
        string[] labels = [.. JsonDocument.Parse(header.Metadata["classes"]).RootElement.EnumerateArray().Select(label => label.GetString()!)];
        foreach (var (row, target, tokens, json) in TokenRows(run, model))
        {
            int c = Array.IndexOf(labels, target);
            var counts = tokens.Where(t => t.Token != "<unk>").CountBy(t => t.Token).ToDictionary();
            var weights = counts.ToDictionary(term => term.Key, term => (1 + Math.Log(term.Value)) * Read("0.idf", ids[term.Key]));
            double norm = Math.Sqrt(weights.Values.Sum(w => w * w));
            foreach (var (position, token, value) in tokens)
            {
                double expected = token == "<unk>" ? 0 : Read("0.linear.weight", ids[token] * classes + c) * weights[token] / norm / counts[token];
                Assert.True(Math.Abs(expected - value) < 1e-12, $"row {row}, {token} at {position}: {value}, expected {expected}");
            }
            Assert.True(json.GetProperty("completenessError").GetDouble() < 1e-12);
        }
    }

    [Fact]
    public void TextModel_Saliency_IsPerToken_AndSmoothGradIsRefused()
    {
        string model = TrainTextModel("bow", "--embedding-dim", "8");
        string plot = PathOf("tokens.png");

        var saliency = Explain("--model", model, "--data", PackagesExcerpt, "--method", "saliency", "--rows", "5", "--json", "--plot", plot);
        var smoothGrad = Explain("--model", model, "--data", PackagesExcerpt, "--method", "smoothgrad");

        var (_, _, tokens, json) = Assert.Single(TokenRows(saliency, model));
        Assert.False(json.TryGetProperty("completenessError", out _));
        Assert.Equal((560, 400), PngSize(plot));
        Assert.Equal(2, smoothGrad.ExitCode);
        Assert.Equal([$"error: --method smoothgrad adds noise to the inputs, but --model '{model}' is a text model, whose inputs are token ids; "
            + "use --method ig or saliency (attributions per token), or permutation."], smoothGrad.ErrorLines);
    }
}
