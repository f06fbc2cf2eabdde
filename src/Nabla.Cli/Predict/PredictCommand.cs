using System.CommandLine;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla predict --model FILE --data PATH</c>: runs a saved model (a network or an estimator) on new
/// data and writes one CSV row per input row (the predicted label and, when the model has them, each
/// class's probability, or the predicted value), to a file or standard output, or one JSON object. The
/// work is the library's <see cref="ModelPipeline"/>.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var options = new ModelDataOptions(
            "The data to predict: a CSV file with the model's feature columns (by name; other columns are ignored), or IDX images "
            + "(a folder, whose t10k-images-idx3-ubyte[.gz] is read, or an images file).",
            "Print one JSON object with the predictions (and probabilities) instead of CSV.");
        var output = new Option<string?>("--out")
        {
            Description = "Write the predictions to this CSV file (atomically) instead of standard output; its folder must exist.",
            HelpName = "PATH",
        };
        var command = new Command("predict",
            "Predict with a model file: for each row, the class and the probability of every class, or the value (regression).");
        options.AddTo(command);
        command.Options.Add(output);

        var memoryLimit = MemoryLimitOption.ForPrediction();
        command.Options.Add(memoryLimit);

        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () => Execute(
            parse.GetValue(options.Model)!, parse.GetValue(options.Data)!, parse.GetValue(output), parse.GetValue(options.Json), parse.GetValue(memoryLimit)!,
            pipeline => options.ReadLimits(parse, pipeline))));
        return command;
    }

    private static int Execute(string modelPath, string dataPath, string? outPath, bool json, MemoryLimit memoryLimit, Func<ModelPipeline, CsvLimits> csvLimits)
    {
        if (outPath is not null) OutputPath.Check("--out", outPath);
        var pipeline = ModelPipeline.Load(modelPath);
        pipeline.Model.MemoryLimit = memoryLimit;
        var predictions = pipeline.Predict(dataPath, csvLimits(pipeline));
        foreach (string note in predictions.Notes) TrainOutput.WriteWarning(note);
        if (outPath is not null) predictions.WriteCsv(outPath);
        if (json) CommandOutput.WriteJson(Json(modelPath, dataPath, outPath, predictions));
        else if (outPath is not null) TerminalWriter.Out.WriteLine($"{predictions.Count} predictions written to {outPath}");
        else
        {
            predictions.WriteCsv(Console.Out);
            Console.Out.Flush();
        }
        return ExitCodes.Success;
    }

    private static JsonObject Json(string modelPath, string dataPath, string? outPath, ModelPredictions predictions)
    {
        var json = new JsonObject
        {
            ["command"] = "predict",
            ["model"] = modelPath,
            ["data"] = dataPath,
            ["out"] = outPath,
            ["task"] = ModelText.TaskName(predictions.Task),
            ["rows"] = predictions.Count,
        };
        if (predictions.Notes.Count > 0) json["notes"] = ModelText.Json(predictions.Notes);
        if (predictions.Task == ModelTask.Regression)
        {
            json["predictions"] = new JsonArray([.. ModelText.Json(predictions.Values!)]);
            return json;
        }
        json["classes"] = ModelText.Json(predictions.Classes);
        json["predictions"] = ModelText.Json(predictions.Labels);
        if (predictions.Probabilities is not { } probabilities)
        {
            json["probabilities"] = null;
            return json;
        }
        var values = ModelText.Json(probabilities).ToArray();
        int classes = predictions.Classes.Count;
        json["probabilities"] = new JsonArray([.. Enumerable.Range(0, predictions.Count)
            .Select(row => (JsonNode)new JsonArray([.. values.AsSpan(row * classes, classes).ToArray()]))]);
        return json;
    }
}
