using System.CommandLine;
using System.Globalization;
using Nabla.Data;
using Nabla.IO;
using Nabla.Models;
using Nabla.Onnx;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla import --onnx FILE --out PATH</c>: a network trained elsewhere (PyTorch's <c>torch.onnx.export</c> first)
/// as a Nabla model file, which <c>predict</c>, <c>evaluate</c>, <c>info</c> and <c>explain</c> then use as one
/// <c>nabla train</c> wrote. The ONNX file holds the network, not what its outputs mean nor how its data is read,
/// so the command asks for them: the class labels (<c>--classes</c>; a regression of one output without them) and
/// the data (<c>--columns</c> of a CSV table passed as they are, or <c>--image</c> for IDX images). Everything is
/// checked before the file is written; the import itself is <see cref="OnnxImport"/>'s.
/// </summary>
internal static class ImportCommand
{
    /// <summary>The default pixel scale: bytes to [0, 1], as torchvision's ToTensor makes them.</summary>
    private const double DefaultScale = 1.0 / 255;

    public static Command Create(Option<bool> verbose)
    {
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to import, such as one torch.onnx.export wrote.", HelpName = "FILE", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the Nabla model file (.safetensors), atomically; its folder must exist.", HelpName = "PATH", Required = true };
        var classes = new Option<string?>("--classes")
        {
            Description = "The class labels in the order of the network's outputs, comma-separated: a classifier, whose predictions are each row's class and probabilities. Without it, a regression of one output.",
            HelpName = "LABELS",
        };
        var columns = new Option<string?>("--columns")
        {
            Description = "The network reads a CSV table: these columns, comma-separated, in the order of its inputs, passed as they are (no scaling: the network's own training prepared its data).",
            HelpName = "NAMES",
        };
        var image = new Option<bool>("--image") { Description = "The network reads IDX images (one channel, of its input's height and width); the classes must be whole numbers 0 to 255, as IDX labels are." };
        var scale = new Option<double>("--scale")
        {
            CustomParser = InvariantNumber.Parse,
            Description = "With --image, what each pixel (0 to 255) is multiplied by before the network reads it; 1/255 by default, as torchvision's ToTensor.",
            DefaultValueFactory = _ => DefaultScale,
        };
        var target = new Option<string>("--target")
        {
            Description = "With --columns, the CSV column of the true values, which nabla evaluate scores against.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "target",
        };
        var graphOutput = new Option<string?>("--output")
        {
            Description = "The graph output to import when it has several (the nodes it does not depend on are left out); a classifier 'nabla export' wrote imports its scores without it.",
            HelpName = "NAME",
        };
        var command = new Command("import", "Import a network from an ONNX file (PyTorch's torch.onnx.export) as a Nabla model file for predict, evaluate, info and explain.")
        {
            onnx, output, classes, columns, image, scale, target, graphOutput,
        };
        command.Validators.Add(result =>
        {
            bool table = result.GetResult(columns) is not null, images = result.GetResult(image) is { Implicit: false } && result.GetValue(image);
            if (table == images) result.AddError("give --columns NAMES (the network reads a CSV table) or --image (it reads IDX images), one of them: the model file must say what data the network reads.");
            if (result.GetResult(scale) is { Implicit: false } && !images) result.AddError("--scale applies to --image: it scales the pixels.");
            if (result.GetResult(target) is { Implicit: false } && !table) result.AddError("--target applies to --columns: it names a column of the CSV table.");
        });
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () => Execute(
            parse.GetValue(onnx)!, parse.GetValue(output)!, parse.GetValue(classes), parse.GetValue(columns), parse.GetValue(image) ? parse.GetValue(scale) : null,
            parse.GetValue(target)!, parse.GetValue(graphOutput))));
        return command;
    }

    private static int Execute(string onnxPath, string outPath, string? classesText, string? columnsText, double? pixelScale, string target, string? graphOutput)
    {
        if (string.IsNullOrWhiteSpace(onnxPath)) throw new CommandInputException("--onnx needs a file path, got an empty one.");
        if (string.IsNullOrWhiteSpace(target)) throw new CommandInputException("--target needs a column name, got an empty one.");
        RequireRegularFile(outPath);
        string[]? classes = classesText is null ? null : List("--classes", classesText, "labels");
        string[]? columns = columnsText is null ? null : List("--columns", columnsText, "column names");
        if (pixelScale is { } factor && !(factor > 0 && double.IsFinite(factor)))
            throw new CommandInputException($"--scale must be a positive number, got {factor.ToString(CultureInfo.InvariantCulture)}.");
        if (columns is not null && columns.Contains(target, StringComparer.Ordinal))
            throw new CommandInputException($"--target '{target}' is among the --columns the network reads; the target column holds the true values, not an input.");

        if (graphOutput is not null && string.IsNullOrWhiteSpace(graphOutput)) throw new CommandInputException("--output needs the name of a graph output, got an empty one.");
        var imported = OnnxImport.Load(onnxPath, graphOutput);
        if (imported.ReadsTokenIds)
            throw new CommandInputException($"{onnxPath}: the network reads token ids, and a text model needs its tokenizer and vocabulary, which an ONNX file does not hold; import it in C# with OnnxImport.Load.");
        RequireOutputsFit(onnxPath, imported, classes);
        var task = classes is null ? ModelTask.Regression : ModelTask.Classification;
        var preprocessing = columns is not null
            ? TablePreprocessing(onnxPath, imported, columns, target, classes)
            : ImagePreprocessing(onnxPath, imported, pixelScale!.Value, classes);
        var model = imported.ToModelFile(task, classes, preprocessing);
        var preprocessor = ModelPipeline.Create(model, Preprocessor.FromJson(preprocessing)).Preprocessor;
        model.Save(outPath);
        WriteSummary(onnxPath, outPath, imported, model, preprocessor);
        return ExitCodes.Success;
    }

    /// <summary>Fails unless the network gives one output per class, or one value for a regression.</summary>
    private static void RequireOutputsFit(string onnxPath, OnnxImportedModel imported, string[]? classes)
    {
        string shape = $"[{string.Join(", ", imported.OutputShape)}]";
        if (classes is null && imported.EndsInSoftmax)
            throw new CommandInputException($"{onnxPath}: the network ends in {imported.Network[^1].GetType().Name}, so it is a classifier: give --classes, one label per output.");
        if (classes is null && imported.OutputShape is not [1])
            throw new CommandInputException($"{onnxPath}: the network gives outputs of shape {shape}; give --classes with one label per output (a classifier), as a regression predicts one value.");
        if (classes is not null && (imported.OutputShape is not [var outputs] || outputs != classes.Length))
            throw new CommandInputException(string.Create(CultureInfo.InvariantCulture,
                $"--classes names {classes.Length} classes, but the network in {onnxPath} gives outputs of shape {shape}: one label per output."));
    }

    /// <summary>A table: one column per value of a sample (a network of images may read its pixels from a table too).</summary>
    private static string TablePreprocessing(string onnxPath, OnnxImportedModel imported, string[] columns, string target, string[]? classes)
    {
        long inputs = imported.InputShape.Aggregate(1L, (n, d) => n * d);
        if (columns.Length != inputs)
            throw new CommandInputException(string.Create(CultureInfo.InvariantCulture,
                $"--columns names {columns.Length} columns, but the network in {onnxPath} reads {inputs} values a row (input '{imported.InputName}' of shape [{string.Join(", ", imported.InputShape)}])."));
        return ImportedInput.Table(columns, target, classes);
    }

    /// <summary>IDX images: the network must read one channel of some height and width, and classify into IDX labels.</summary>
    private static string ImagePreprocessing(string onnxPath, OnnxImportedModel imported, double scale, string[]? classes)
    {
        if (imported.InputShape is not [1, int height, int width])
            throw new CommandInputException($"--image: the network in {onnxPath} reads samples of shape [{string.Join(", ", imported.InputShape)}], not IDX images of one channel, [1, height, width].");
        if (classes is null) throw new CommandInputException("--image needs --classes: a model of IDX images is a classifier, whose labels are whole numbers 0 to 255.");
        if (classes.FirstOrDefault(label => !byte.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out _)) is { } bad)
            throw new CommandInputException($"--classes: the label '{bad}' is not a whole number from 0 to 255, as the labels of IDX images are.");
        return ImportedInput.Images(height, width, scale, classes);
    }

    /// <summary>Fails unless <paramref name="outPath"/> can take a new model file: a regular file (or none yet) in a folder that exists.</summary>
    private static void RequireRegularFile(string outPath)
    {
        OutputPath.Check("--out", outPath);
        // A model file written into a device or a pipe is lost (/dev/null) or half read; it must be a file.
        if (SpecialFile.Is(Path.GetFullPath(outPath)))
            throw new CommandInputException($"--out '{outPath}' is a device, pipe or socket, not a regular file; a model file must be a file that predict can read back.");
    }

    /// <summary>"a,b,c" as its items, refusing an empty item (a stray comma) and an item given twice.</summary>
    private static string[] List(string option, string text, string what)
    {
        string[] items = [.. text.Split(',').Select(item => item.Trim())];
        int empty = Array.IndexOf(items, "");
        if (empty >= 0) throw new CommandInputException($"{option} must be {what} separated by commas; item {empty + 1} of '{text}' is empty.");
        if (items.GroupBy(item => item, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } twice)
            throw new CommandInputException($"{option} names '{twice.Key}' twice.");
        return items;
    }

    private static void WriteSummary(string onnxPath, string outPath, OnnxImportedModel imported, ModelFile model, Preprocessor preprocessor)
    {
        var invariant = CultureInfo.InvariantCulture;
        var writer = TerminalWriter.Out;
        writer.WriteLine($"Imported {onnxPath} ({model.Training["producer"]}): input '{imported.InputName}' [{string.Join(", ", imported.InputShape)}], output '{imported.OutputName}' [{string.Join(", ", imported.OutputShape)}]");
        if (imported.EndsInSoftmax)
            writer.WriteLine($"The network ends in {imported.Network[^1].GetType().Name}: the model file keeps the layers before it, and predict gives their softmax, the same probabilities.");
        writer.WriteLine();
        foreach (string line in model.Architecture!.Describe()) writer.WriteLine("  " + line);
        writer.WriteLine();
        writer.WriteLine(string.Create(invariant, $"Parameters: {model.ParameterCount:N0}"));
        writer.WriteLine(model.Classes is { } classes
            ? string.Create(invariant, $"Task:       classification, {classes.Count} classes: {string.Join(", ", classes)}")
            : "Task:       regression");
        writer.WriteLine($"Input:      {ModelText.Input(preprocessor)}");
        writer.WriteLine($"Wrote {Path.GetFullPath(outPath)}");
        writer.Flush();
    }
}
