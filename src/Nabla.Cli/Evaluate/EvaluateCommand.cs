using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Metrics;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla evaluate --model FILE --data PATH</c>: runs a saved model on data that holds the true
/// targets and shows how well it does: accuracy, macro and weighted scores, the classification report
/// and the confusion matrix for a classifier; MSE, RMSE, MAE and R² for regression. The scoring is the
/// library's <see cref="ModelEvaluation"/>.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var options = new ModelDataOptions(
            "The data with its true targets: a CSV file with the model's feature columns and its target column (by the name used in training), "
            + "or IDX images with their labels (a folder with t10k-images and t10k-labels, or an images file with its labels file beside it).",
            "Print one JSON object with the metrics, the classification report and the confusion matrix.");
        var command = new Command("evaluate", "Score a model file on data with known targets: the metrics of its task, and for a classifier the classification report and confusion matrix.");
        options.AddTo(command);

        var memoryLimit = MemoryLimitOption.ForPrediction();
        command.Options.Add(memoryLimit);

        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () => Execute(
            parse.GetValue(options.Model)!, parse.GetValue(options.Data)!, parse.GetValue(options.Json), parse.GetValue(memoryLimit)!,
            pipeline => options.ReadLimits(parse, pipeline))));
        return command;
    }

    private static int Execute(string modelPath, string dataPath, bool json, MemoryLimit memoryLimit, Func<ModelPipeline, CsvLimits> csvLimits)
    {
        var pipeline = ModelPipeline.Load(modelPath);
        pipeline.Model.MemoryLimit = memoryLimit;
        var evaluation = pipeline.Evaluate(dataPath, csvLimits(pipeline));
        foreach (string note in evaluation.Predictions.Notes) TrainOutput.WriteWarning(note);
        if (json) CommandOutput.WriteJson(Json(modelPath, dataPath, evaluation));
        else WriteText(modelPath, dataPath, evaluation);
        return ExitCodes.Success;
    }

    /// <summary>The metric names of the model file, as people read them.</summary>
    private static readonly Dictionary<string, string> MetricTitles = new(StringComparer.Ordinal)
    {
        ["accuracy"] = "Accuracy", ["precision_macro"] = "Macro precision", ["recall_macro"] = "Macro recall",
        ["f1_macro"] = "Macro F1", ["f1_weighted"] = "Weighted F1",
        ["mse"] = "MSE", ["rmse"] = "RMSE", ["mae"] = "MAE", ["r2"] = "R²",
        ["precision_at_10"] = "Precision@10", ["recall_at_10"] = "Recall@10", ["map_at_10"] = "MAP@10", ["ndcg_at_10"] = "NDCG@10",
        ["hit_rate_at_10"] = "Hit rate@10", ["coverage_at_10"] = "Coverage@10",
    };

    private static void WriteText(string modelPath, string dataPath, ModelEvaluation evaluation)
    {
        var output = TerminalWriter.Out;
        var predictions = evaluation.Predictions;
        output.WriteLine($"Model: {modelPath} ({ModelText.TaskName(predictions.Task)})");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Data:  {dataPath}, {predictions.Count} rows"));
        output.WriteLine();
        int width = evaluation.Metrics.Keys.Max(name => MetricTitles[name].Length) + 1;
        foreach (var (name, value) in evaluation.Metrics)
            output.WriteLine($"{(MetricTitles[name] + ":").PadRight(width)}  {ModelText.Metric(value)}");
        if (evaluation.Report is { } report)
        {
            output.WriteLine();
            output.Write(report.ToString());
            output.WriteLine();
            output.WriteLine("Confusion matrix (rows: true class, columns: predicted class):");
            foreach (string line in ConfusionLines(predictions.Classes, evaluation.ConfusionMatrix!)) output.WriteLine(line);
        }
        output.Flush();
    }

    /// <summary>The confusion matrix as a table with the class labels along both edges, numbers right-aligned.</summary>
    private static IEnumerable<string> ConfusionLines(IReadOnlyList<string> classes, int[,] matrix)
    {
        int labelWidth = classes.Max(c => c.Length);
        int[] widths = [.. classes.Select((label, c) => Math.Max(label.Length,
            Enumerable.Range(0, classes.Count).Max(r => matrix[r, c].ToString(CultureInfo.InvariantCulture).Length)))];
        yield return new string(' ', labelWidth) + string.Concat(classes.Select((label, c) => "  " + label.PadLeft(widths[c])));
        for (int r = 0; r < classes.Count; r++)
            yield return classes[r].PadRight(labelWidth)
                + string.Concat(Enumerable.Range(0, classes.Count).Select(c => "  " + matrix[r, c].ToString(CultureInfo.InvariantCulture).PadLeft(widths[c])));
    }

    private static JsonObject Json(string modelPath, string dataPath, ModelEvaluation evaluation)
    {
        var predictions = evaluation.Predictions;
        var json = new JsonObject
        {
            ["command"] = "evaluate",
            ["model"] = modelPath,
            ["data"] = dataPath,
            ["task"] = ModelText.TaskName(predictions.Task),
            ["rows"] = predictions.Count,
            ["metrics"] = CommandOutput.Json(evaluation.Metrics),
        };
        if (predictions.Notes.Count > 0) json["notes"] = ModelText.Json(predictions.Notes);
        if (evaluation.Report is not { } report) return json;
        json["classes"] = ModelText.Json(predictions.Classes);
        json["report"] = new JsonObject
        {
            ["classes"] = new JsonArray([.. report.Classes.Select(row => (JsonNode)Json(row))]),
            ["accuracy"] = report.Accuracy is double accuracy ? CommandOutput.Json(accuracy) : null,
            ["macroAverage"] = Json(report.MacroAverage),
            ["weightedAverage"] = Json(report.WeightedAverage),
            ["text"] = report.ToString(),
        };
        var matrix = evaluation.ConfusionMatrix!;
        json["confusionMatrix"] = new JsonArray([.. Enumerable.Range(0, predictions.Classes.Count)
            .Select(r => (JsonNode)new JsonArray([.. Enumerable.Range(0, predictions.Classes.Count).Select(c => (JsonNode)JsonValue.Create(matrix[r, c]))]))]);
        return json;
    }

    private static JsonObject Json(ClassificationReportRow row) => new()
    {
        ["class"] = row.Name,
        ["precision"] = CommandOutput.Json(row.Precision),
        ["recall"] = CommandOutput.Json(row.Recall),
        ["f1"] = CommandOutput.Json(row.F1),
        ["support"] = row.Support,
    };
}
