using System.Text.Json;
using Nabla.IO;

namespace Nabla.Cli;

/// <summary>
/// Writes the trained model: its weights as safetensors, and in the header's metadata what is needed
/// to read them back (the model kind, the architecture, the class names, the library version).
/// </summary>
internal static class ModelSaver
{
    /// <summary>Writes <paramref name="model"/> to <see cref="TrainSettings.OutPath"/>, atomically (a temporary file, then a rename).</summary>
    /// <returns>The full path of the file written.</returns>
    public static string Save(TrainSettings settings, TrainingData data, TrainableModel model)
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "nabla",
            ["nabla_version"] = VersionInfo.Version,
            ["model"] = OptionWords.Of(settings.Model),
            ["task"] = OptionWords.Of(TaskKind.Classification),
            ["architecture"] = model.Architecture,
            ["hidden"] = string.Join(',', settings.Hidden),
            ["activation"] = OptionWords.Of(settings.Activation),
            ["data"] = data.Name,
            ["input_features"] = data.Features.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["classes"] = JsonSerializer.Serialize(data.ClassNames),
        };
        string path = Path.GetFullPath(settings.OutPath);
        Safetensors.Write(path, model.Network.StateDict(), metadata);
        return path;
    }
}
