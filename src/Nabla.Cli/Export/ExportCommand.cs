using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Models;
using Nabla.Onnx;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla export --model FILE --onnx FILE</c>: writes a model file as an ONNX model for ONNX Runtime and other servers,
/// with the data preparation the file stores, so the served model takes the raw columns <c>nabla predict</c> takes
/// (<see cref="OnnxExport"/>), and prints what the graph reads and gives.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var model = new Option<string>("--model") { Description = "The model file written by 'nabla train' (.safetensors).", HelpName = "PATH", Required = true };
        var onnx = new Option<string>("--onnx") { Description = "Write the ONNX model to this file (atomically); its folder must exist.", HelpName = "PATH", Required = true };
        var opset = new Option<int>("--opset")
        {
            CustomParser = InvariantNumber.ParseWhole<int>,
            HelpName = "N",
            Description = $"The ONNX opset the graph declares, {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset}.",
            DefaultValueFactory = _ => OnnxExportOptions.MaxOpset,
        };
        var dynamicBatch = new Option<bool>("--dynamic-batch") { Description = "Make the batch dimension symbolic, so one model scores any number of rows (default: fixed by --batch-size)." };
        var batchSize = new Option<int?>("--batch-size") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, Description = "The fixed number of rows the model scores at once (default 1); not with --dynamic-batch.", HelpName = "N" };
        var batchNorm = new Option<string>("--batch-norm")
        {
            Description = "fold: batch normalisation after a linear layer is folded into its weights (the default); keep: a BatchNormalization operator.",
            DefaultValueFactory = _ => "fold",
        };
        batchNorm.AcceptOnlyFromAmong("fold", "keep");
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("export", "Export a model file to ONNX, with its data preparation, for ONNX Runtime and other model servers.")
        {
            model, onnx, opset, dynamicBatch, batchSize, batchNorm, json,
        };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () => Execute(
            parse.GetValue(model)!, parse.GetValue(onnx)!, Options(parse.GetValue(opset), parse.GetValue(dynamicBatch), parse.GetValue(batchSize), parse.GetValue(batchNorm)!),
            parse.GetValue(json))));
        return command;
    }

    private static OnnxExportOptions Options(int opset, bool dynamicBatch, int? batchSize, string batchNorm)
    {
        if (opset is < OnnxExportOptions.MinOpset or > OnnxExportOptions.MaxOpset)
            throw new CommandInputException($"--opset must be {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset}, got {opset}.");
        if (dynamicBatch && batchSize is not null)
            throw new CommandInputException("--batch-size fixes the batch and --dynamic-batch makes it symbolic: give one of them.");
        if (batchSize is < 1)
            throw new CommandInputException($"--batch-size must be at least 1, got {batchSize}.");
        return new OnnxExportOptions { Opset = opset, DynamicBatch = dynamicBatch, BatchSize = batchSize ?? 1, FoldBatchNorm = batchNorm == "fold" };
    }

    private static int Execute(string modelPath, string onnxPath, OnnxExportOptions options, bool json)
    {
        OutputPath.Check("--onnx", onnxPath);
        if (File.Exists(modelPath) && File.Exists(onnxPath) && SameFile(modelPath, onnxPath))
            throw new CommandInputException($"--onnx '{onnxPath}' is the model file itself; writing it would destroy the model. Give another path.");
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"The model file {modelPath} does not exist.", modelPath);
        var model = ModelFile.Load(modelPath);
        // A file saved from the library may hold no data preparation: its graph then reads the prepared features.
        var signature = model.Preprocessing is null
            ? OnnxExport.Save(model, onnxPath, options)
            : OnnxExport.Save(ModelPipeline.FromFile(model, modelPath), onnxPath, options);
        if (json) CommandOutput.WriteJson(Json(modelPath, onnxPath, model, signature));
        else WriteText(modelPath, onnxPath, model, signature);
        return ExitCodes.Success;
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(new FileInfo(a).ResolveLinkTarget(true)?.FullName ?? a), Path.GetFullPath(new FileInfo(b).ResolveLinkTarget(true)?.FullName ?? b), StringComparison.Ordinal);

    private static void WriteText(string modelPath, string onnxPath, ModelFile model, OnnxSignature signature)
    {
        var output = TerminalWriter.Out;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Exported {modelPath} ({model.Kind}, {ModelText.TaskName(model.Task)}) to {onnxPath}: ONNX opset {signature.Opset}, {signature.Bytes:N0} bytes"));
        output.WriteLine("Inputs:");
        foreach (var input in signature.Inputs) output.WriteLine($"  {input}");
        output.WriteLine("Outputs:");
        foreach (var result in signature.Outputs) output.WriteLine($"  {result}");
    }

    private static JsonObject Json(string modelPath, string onnxPath, ModelFile model, OnnxSignature signature) => new()
    {
        ["command"] = "export",
        ["model"] = modelPath,
        ["onnx"] = onnxPath,
        ["kind"] = model.Kind,
        ["task"] = ModelText.TaskName(model.Task),
        ["opset"] = signature.Opset,
        ["bytes"] = signature.Bytes,
        ["inputs"] = new JsonArray([.. signature.Inputs.Select(Json)]),
        ["outputs"] = new JsonArray([.. signature.Outputs.Select(Json)]),
    };

    private static JsonNode Json(OnnxValue value) => new JsonObject
    {
        ["name"] = value.Name,
        ["type"] = value.ElementType,
        ["shape"] = new JsonArray([.. value.Shape.Select(d => d is { } size ? JsonValue.Create(size) : (JsonNode)JsonValue.Create("N"))]),
    };
}
