using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Text;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla info FILE</c>: what a model file holds, without running it: the kind of model, a network's
/// architecture layer by layer with output shapes and parameters or an estimator's settings, the
/// parameter count, the task and classes, what data it reads, the training summary and the metrics
/// measured at training time, the Nabla version that wrote it and the file size. The file is checked in
/// full (<see cref="ModelFile.Load"/>, and <see cref="ModelPipeline.FromFile"/> for its data
/// preparation), so a damaged file is reported, not described.
/// </summary>
internal static class InfoCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var file = new Argument<string>("file") { Description = "The model file written by 'nabla train' (.safetensors)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("info", "Describe a model file: the network's architecture or the estimator's settings, parameters, task and classes, input data, training summary and metrics.")
        {
            file, json,
        };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () => Execute(parse.GetValue(file)!, parse.GetValue(json))));
        return command;
    }

    private static int Execute(string path, bool json)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The model file {path} does not exist.", path);
        var model = ModelFile.Load(path);
        // A file saved from the library may hold no data preparation: it is described all the same.
        var preprocessor = model.Preprocessing is null ? null : ModelPipeline.FromFile(model, path).Preprocessor;
        long bytes = new FileInfo(path).Length;
        if (json) CommandOutput.WriteJson(Json(path, bytes, model, preprocessor));
        else WriteText(path, bytes, model, preprocessor);
        return ExitCodes.Success;
    }

    private static void WriteText(string path, long bytes, ModelFile model, Preprocessor? preprocessor)
    {
        var invariant = CultureInfo.InvariantCulture;
        var output = TerminalWriter.Out;
        output.WriteLine(string.Create(invariant, $"Model file: {path} ({bytes:N0} bytes), written by Nabla {model.NablaVersion}"));
        output.WriteLine($"Model:      {model.Kind}");
        string labels = model.Architecture is null ? $" ({model.ClassType} labels)" : "";
        output.WriteLine(model.Classes is { } classes
            ? string.Create(invariant, $"Task:       classification, {classes.Count} classes: {string.Join(", ", classes)}{labels}")
            : "Task:       regression");
        output.WriteLine($"Input:      {(preprocessor is null ? ModelText.Input(model.InputShape) : ModelText.Input(preprocessor))}");
        output.WriteLine(string.Create(invariant, $"Parameters: {model.ParameterCount:N0}"));
        if (model.Architecture is { } architecture)
        {
            output.WriteLine();
            output.WriteLine("Architecture:");
            foreach (string line in architecture.Describe()) output.WriteLine("  " + line);
        }
        WriteEntries(output, "Settings:", ModelText.Settings(model.Settings));
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

    private static JsonObject Json(string path, long bytes, ModelFile model, Preprocessor? preprocessor)
    {
        var architecture = model.Architecture;
        var training = new JsonObject();
        foreach (var (name, value) in model.Training) training[name] = value;
        return new JsonObject
        {
            ["command"] = "info",
            ["file"] = path,
            ["bytes"] = bytes,
            ["nablaVersion"] = model.NablaVersion,
            ["model"] = model.Kind,
            ["task"] = ModelText.TaskName(model.Task),
            ["classes"] = model.Classes is { } classes ? ModelText.Json(classes) : null,
            ["classType"] = model.ClassType,
            ["inputShape"] = Json(model.InputShape),
            ["preprocessing"] = preprocessor is null ? null : Json(preprocessor),
            ["architecture"] = architecture is null ? null : new JsonObject
            {
                ["inputShape"] = Json(architecture.InputShape),
                ["outputShape"] = Json(architecture.OutputShape),
                ["layers"] = new JsonArray([.. architecture.Layers.Select(layer => (JsonNode)new JsonObject { ["kind"] = layer.Kind, ["description"] = layer.Description })]),
                ["summary"] = ModelText.Json(architecture.Describe()),
            },
            ["settings"] = model.Settings is { } settings ? JsonNode.Parse(settings) : null,
            ["parameters"] = model.ParameterCount,
            ["training"] = training,
            ["metrics"] = CommandOutput.Json(model.Metrics),
        };
    }

    private static JsonArray Json(IReadOnlyList<int> shape) => new([.. shape.Select(d => (JsonNode)JsonValue.Create(d))]);

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
            case RatingsPreprocessor ratings:
                json["inputColumns"] = ModelText.Json([ratings.UserColumn, ratings.ItemColumn]);
                json["target"] = ratings.Target;
                json["userIds"] = ratings.Users.IsLabels ? "labels" : "numbers";
                json["itemIds"] = ratings.Items.IsLabels ? "labels" : "numbers";
                break;
            case TextPreprocessor text:
                json["textColumns"] = ModelText.Json(text.TextColumns);
                json["target"] = text.Target;
                json["terms"] = ModelText.Json(ModelText.TermKinds(text.Options));
                json["lowercase"] = text.Options.Tokenizer.Lowercase;
                json["keepPunctuation"] = text.Options.Tokenizer.KeepPunctuation;
                json["maxLength"] = text.Options.MaxLength;
                json["minFrequency"] = text.Options.MinFrequency;
                json["maxVocabulary"] = text.Options.MaxVocabulary;
                json["vocabularySize"] = text.Vocabulary.Count;
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
