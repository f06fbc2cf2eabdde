using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla info FILE</c>: what a model file holds, without running it: the architecture layer by layer
/// with output shapes and parameters, the task and classes, what data it reads, the training summary and
/// the metrics measured at training time, the Nabla version that wrote it and the file size. The file is
/// checked in full (<see cref="ModelPipeline.Load"/>), so a damaged file is reported, not described.
/// </summary>
internal static class InfoCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var file = new Argument<string>("file") { Description = "The model file written by 'nabla train' (.safetensors)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("info", "Describe a model file: architecture, parameters, task and classes, input data, training summary and metrics.")
        {
            file, json,
        };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () => Execute(parse.GetValue(file)!, parse.GetValue(json))));
        return command;
    }

    private static int Execute(string path, bool json)
    {
        var pipeline = ModelPipeline.Load(path);
        long bytes = new FileInfo(path).Length;
        if (json) CommandOutput.WriteJson(Json(path, bytes, pipeline));
        else WriteText(path, bytes, pipeline);
        return ExitCodes.Success;
    }

    private static void WriteText(string path, long bytes, ModelPipeline pipeline)
    {
        var invariant = CultureInfo.InvariantCulture;
        var output = Console.Out;
        var model = pipeline.Model;
        output.WriteLine(string.Create(invariant, $"Model file: {path} ({bytes:N0} bytes), written by Nabla {model.NablaVersion}"));
        output.WriteLine(model.Classes is { } classes
            ? string.Create(invariant, $"Task:       classification, {classes.Count} classes: {string.Join(", ", classes)}")
            : "Task:       regression");
        output.WriteLine($"Input:      {ModelText.Input(pipeline.Preprocessor)}");
        output.WriteLine(string.Create(invariant, $"Parameters: {model.Architecture.ParameterCount:N0}"));
        output.WriteLine();
        output.WriteLine("Architecture:");
        foreach (string line in model.Architecture.Describe()) output.WriteLine("  " + line);
        WriteEntries(output, "Training:", model.Training.Select(e => (e.Key, e.Value)));
        WriteEntries(output, "Metrics at training time:", model.Metrics.Select(e => (e.Key, ModelText.Metric(e.Value))));
        output.Flush();
    }

    private static void WriteEntries(TextWriter output, string title, IEnumerable<(string Name, string Value)> entries)
    {
        var list = entries.ToList();
        if (list.Count == 0) return;
        output.WriteLine();
        output.WriteLine(title);
        int width = list.Max(e => e.Name.Length) + 1;
        foreach (var (name, value) in list) output.WriteLine($"  {(name + ":").PadRight(width)}  {value}");
    }

    private static JsonObject Json(string path, long bytes, ModelPipeline pipeline)
    {
        var model = pipeline.Model;
        var architecture = model.Architecture;
        var training = new JsonObject();
        foreach (var (name, value) in model.Training) training[name] = value;
        return new JsonObject
        {
            ["command"] = "info",
            ["file"] = path,
            ["bytes"] = bytes,
            ["nablaVersion"] = model.NablaVersion,
            ["task"] = ModelText.TaskName(model.Task),
            ["classes"] = model.Classes is { } classes ? ModelText.Json(classes) : null,
            ["preprocessing"] = Json(pipeline.Preprocessor),
            ["architecture"] = new JsonObject
            {
                ["inputShape"] = new JsonArray([.. architecture.InputShape.Select(d => (JsonNode)JsonValue.Create(d))]),
                ["outputShape"] = new JsonArray([.. architecture.OutputShape.Select(d => (JsonNode)JsonValue.Create(d))]),
                ["layers"] = new JsonArray([.. architecture.Layers.Select(layer => (JsonNode)new JsonObject { ["kind"] = layer.Kind, ["description"] = layer.Description })]),
                ["summary"] = ModelText.Json(architecture.Describe()),
            },
            ["parameters"] = architecture.ParameterCount,
            ["training"] = training,
            ["metrics"] = CommandOutput.Json(model.Metrics),
        };
    }

    private static JsonObject Json(Preprocessor preprocessor)
    {
        var json = new JsonObject { ["kind"] = preprocessor.Kind, ["summary"] = ModelText.Input(preprocessor) };
        switch (preprocessor)
        {
            case TabularPreprocessor tabular:
                json["inputColumns"] = ModelText.Json(tabular.InputColumns);
                json["features"] = tabular.FeatureNames.Count;
                json["target"] = tabular.Target;
                break;
            case ImagePreprocessor image:
                json["channels"] = image.Channels;
                json["height"] = image.Height;
                json["width"] = image.Width;
                break;
        }
        return json;
    }
}
