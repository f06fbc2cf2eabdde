using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Models;
using Nabla.Tests;
using Nabla.Tests.Models;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla predict</c>, <c>info</c> and <c>evaluate</c>, run as processes on model files of every
/// estimator kind written by the library: predict prints the estimator's own predictions to the last
/// bit (its labels and probabilities, or its values on the target's scale), info describes the kind,
/// settings, parameters and classes, and evaluate scores it.
/// </summary>
public sealed class EstimatorCommandsTests(EstimatorModelFiles files) : TemporaryFolder, IClassFixture<EstimatorModelFiles>
{
    private static ProgramRun Run(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, args);

    public static TheoryData<string> Kinds() => [.. FittedEstimators.Kinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Predict_PrintsTheEstimatorsOwnPredictions(string kind)
    {
        var fitted = files.Fitted[kind];

        var run = Run("predict", "--model", files.PathOf(kind), "--data", fitted.DataPath);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        string[] lines = run.OutputLines;
        Assert.Equal(fitted.Features.Shape[0] + 1, lines.Length);
        var rows = lines.Skip(1).Select(line => line.Split(',')).ToArray();
        if (fitted.Estimator is Estimator { } estimator && ModelFile.Load(files.PathOf(kind)).Task == ModelTask.Classification)
        {
            var classes = fitted.Preprocessor.ClassLabels;
            var (indices, probabilities) = Classify(estimator, fitted.Features);
            Assert.Equal(probabilities is null ? "prediction" : "prediction," + string.Join(",", classes.Select(c => "probability_" + c)), lines[0]);
            Assert.Equal(indices.Select(i => classes[i]), rows.Select(fields => fields[0]));
            if (probabilities is not null)
                Assert.Equal(probabilities, rows.SelectMany(fields => fields.Skip(1).Select(Number)));
            else Assert.All(rows, fields => Assert.Single(fields));
        }
        else
        {
            Assert.Equal("prediction", lines[0]);
            Assert.Equal(Values(fitted), rows.Select(fields => Number(Assert.Single(fields))));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Info_ShowsTheKindSettingsParametersAndClasses(string kind)
    {
        string path = files.PathOf(kind);

        var run = Run("info", path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StandardError);
        var model = ModelFile.Load(path);
        var lines = run.OutputLines;
        Assert.StartsWith($"Model file: {path} (", lines[0]);
        Assert.Contains($"Model:      {kind}", lines);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Parameters: {model.ParameterCount:N0}"), lines);
        Assert.Contains("Settings:", lines);
        using var settings = JsonDocument.Parse(model.Settings!);
        foreach (var setting in settings.RootElement.EnumerateObject())
            Assert.Contains(lines, line => line.StartsWith(setting.Name + ":", StringComparison.Ordinal));
        Assert.DoesNotContain("Architecture:", lines);
        Assert.Contains(model.Classes is { } classes
            ? $"Task:       classification, {classes.Count} classes: {string.Join(", ", classes)} ({model.ClassType} labels)"
            : "Task:       regression", lines);
        Assert.Contains(lines, line => line.StartsWith("Input:      CSV columns ", StringComparison.Ordinal));
    }

    [Fact]
    public void InfoJson_HoldsTheKindSettingsAndClassType()
    {
        string path = files.PathOf("mlp_classifier");

        var run = Run("info", path, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("mlp_classifier", root.GetProperty("model").GetString());
        Assert.Equal("long", root.GetProperty("classType").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("architecture").ValueKind);
        Assert.Equal([16], root.GetProperty("settings").GetProperty("hidden_layer_sizes").EnumerateArray().Select(size => size.GetInt32()));
        Assert.Equal("float32", root.GetProperty("settings").GetProperty("dtype").GetString());
        Assert.Equal(64 * 16 + 16 + 16 * 10 + 10, root.GetProperty("parameters").GetInt64());
        Assert.Equal([64], root.GetProperty("inputShape").EnumerateArray().Select(d => d.GetInt32()));
    }

    [Theory]
    [InlineData("logistic_regression", "accuracy")]
    [InlineData("linear_svc", "accuracy")]
    [InlineData("mlp_regressor", "r2")]
    [InlineData("matrix_factorization", "rmse")]
    public void Evaluate_ScoresTheEstimatorAsTheLibraryDoes(string kind, string metric)
    {
        var fitted = files.Fitted[kind];

        var run = Run("evaluate", "--model", files.PathOf(kind), "--data", fitted.DataPath, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var expected = ModelPipeline.Load(files.PathOf(kind)).Evaluate(fitted.DataPath).Metrics[metric];
        Assert.Equal(expected, json.RootElement.GetProperty("metrics").GetProperty(metric).GetDouble());
    }

    [Fact]
    public void PredictJson_OfAClassifierWithoutProbabilities_HasNone()
    {
        var fitted = files.Fitted["linear_svc"];

        var run = Run("predict", "--model", files.PathOf("linear_svc"), "--data", fitted.DataPath, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("probabilities").ValueKind);
        Assert.Equal(Classify((LinearSvc)fitted.Estimator, fitted.Features).Indices.Select(i => fitted.Preprocessor.ClassLabels[i]),
            json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public void AFileWithoutDataPreparation_IsDescribed_ButCannotReadDataFiles()
    {
        var fitted = files.Fitted["ridge"];
        string path = PathOf("bare.safetensors");
        ModelFile.Save((Ridge)fitted.Estimator, path);

        var info = Run("info", path);
        var predict = Run("predict", "--model", path, "--data", fitted.DataPath);

        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("Model:      ridge", info.OutputLines);
        Assert.Contains("Input:      10 features a row; the file holds no data preparation, so predict and evaluate cannot read data files with it", info.OutputLines);
        PredictCommandTests.AssertFails(predict, "it has no preprocessing");
    }

    [Fact]
    public void ATamperedEstimatorFile_IsOneLineNamingTheProblem()
    {
        var content = Nabla.IO.Safetensors.Read(files.PathOf("ridge"));
        var metadata = new Dictionary<string, string>(content.Metadata) { ["settings"] = "{\"alpha\":-1,\"fit_intercept\":true}" };
        string path = PathOf("tampered.safetensors");
        Nabla.IO.Safetensors.Write(path, content.Tensors, metadata);

        PredictCommandTests.AssertFails(Run("predict", "--model", path, "--data", files.Fitted["ridge"].DataPath),
            $"{path}: not a valid Nabla model file: its settings are out of range: Ridge: alpha must be non-negative, got -1.");
        PredictCommandTests.AssertFails(Run("info", path), "alpha must be non-negative");
    }

    /// <summary>The classifier's predicted class indices, and its probabilities row by row when it has them.</summary>
    private static (int[] Indices, double[]? Probabilities) Classify(Estimator estimator, Tensor features) => estimator switch
    {
        LinearSvc svc => (svc.PredictClassIndices(features), null),
        LogisticRegression m => (m.PredictClassIndices(features), m.PredictProba(features).ToArray<double>()),
        SgdClassifier m => (m.PredictClassIndices(features), m.PredictProba(features).ToArray<double>()),
        MlpClassifier m => (m.PredictClassIndices(features), m.PredictProba(features).ToArray<double>()),
        _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator.GetType().Name, "not a classifier"),
    };

    /// <summary>A regressor's values in the target's units (its standardised predictions turned back), or a recommender's scores.</summary>
    private static double[] Values(FittedEstimators.Fitted fitted)
    {
        if (fitted.Estimator is IRecommender recommender)
        {
            int[] ids = fitted.Features.ToArray<int>();
            return recommender.Predict([.. ids.Where((_, i) => i % 2 == 0)], [.. ids.Where((_, i) => i % 2 == 1)]);
        }
        var standardised = fitted.Estimator switch
        {
            LinearRegression m => m.Predict(fitted.Features),
            Ridge m => m.Predict(fitted.Features),
            SgdRegressor m => m.Predict(fitted.Features),
            MlpRegressor m => m.Predict(fitted.Features),
            _ => throw new ArgumentOutOfRangeException(nameof(fitted), fitted.Estimator.GetType().Name, "not a regressor"),
        };
        return ((TabularPreprocessor)fitted.Preprocessor).InverseTransformTarget(standardised).ToArray<double>();
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
