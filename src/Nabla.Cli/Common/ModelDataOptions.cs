using System.CommandLine;
using Nabla.Data;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// The options of the commands that run a saved model on data (<c>nabla predict</c> and
/// <c>nabla evaluate</c>): the model file, the data, JSON output, and the bounds of a CSV file. The first
/// two are required, so leaving one out is a usage error (exit code 2).
/// </summary>
internal sealed class ModelDataOptions(string dataDescription, string jsonDescription)
{
    /// <summary>The model file written by <c>nabla train</c>.</summary>
    public Option<string> Model { get; } = new("--model")
    {
        Description = "The model file written by 'nabla train' (.safetensors).",
        HelpName = "FILE",
        Required = true,
    };

    /// <summary>The data: a CSV file, or IDX images (a folder or an images file).</summary>
    public Option<string> Data { get; } = new("--data") { Description = dataDescription, HelpName = "PATH", Required = true };

    /// <summary>Whether to print one JSON object instead of text.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = jsonDescription };

    /// <summary>The bounds of a CSV file given as the data.</summary>
    public CsvLimitOptions Limits { get; } = new();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Data);
        command.Options.Add(Json);
        Limits.AddTo(command);
    }

    /// <summary>The bounds of the CSV file, refused by name when <paramref name="pipeline"/> reads images instead.</summary>
    /// <exception cref="CommandInputException">A CSV bound was given for a model that reads images.</exception>
    public CsvLimits ReadLimits(ParseResult parse, ModelPipeline pipeline)
    {
        if (pipeline.Preprocessor is ImagePreprocessor)
            Limits.RefuseFor(parse, $"--model '{parse.GetValue(Model)}', which reads IDX images");
        return Limits.Read(parse);
    }
}
