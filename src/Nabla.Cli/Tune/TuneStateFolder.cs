using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Cli;

/// <summary>
/// The folder where <c>nabla tune</c> keeps its search (<c>--state</c>): <c>tune.json</c> records the settings that decide
/// what the trials measure (data, split, folds, metric, search, space), and each model's search keeps its trials in a file
/// of its own (<c>mlp.json</c>, ...), which the library's search writes after each batch of trials and replays on
/// <c>--resume</c>. A resumed search with any of those settings changed would mix scores of different things, so it is refused.
/// </summary>
internal sealed class TuneStateFolder
{
    /// <summary>The file of the settings.</summary>
    public const string SettingsFile = "tune.json";

    private readonly string _folder;

    private TuneStateFolder(string folder) => _folder = folder;

    /// <summary>The file where the search of <paramref name="family"/> keeps its trials.</summary>
    public string SearchFile(TuneFamily family) => Path.Combine(_folder, $"{family.Name}.json");

    /// <summary>
    /// Opens the folder for a new search (clearing what an earlier search left there) or, with <c>--resume</c>, for the search
    /// saved there, which must have the same settings.
    /// </summary>
    /// <exception cref="CommandInputException">There is nothing to resume, the folder holds another search, or it cannot be made.</exception>
    public static TuneStateFolder Open(TuneSettings settings, IReadOnlyList<TuneFamily> families, IReadOnlyDictionary<string, string> fingerprint)
    {
        string folder = Path.GetFullPath(settings.StateDirectory);
        var state = new TuneStateFolder(folder);
        string file = Path.Combine(folder, SettingsFile);
        if (settings.Resume)
        {
            if (!File.Exists(file))
                throw new CommandInputException($"--resume: there is no search to resume in '{folder}' ({SettingsFile} is missing); run without --resume to start one.");
            var saved = Read(file);
            foreach (var (key, value) in fingerprint)
                if (!saved.TryGetValue(key, out string? before) || before != value)
                    throw new CommandInputException(
                        $"--resume: the search saved in '{folder}' had {key} {(before is null ? "unset" : $"'{before}'")}, and this run has '{value}'; resume it with the same options, or run without --resume to start afresh.");
            return state;
        }
        if (File.Exists(folder))
            throw new CommandInputException($"--state '{settings.StateDirectory}' is a file; give a folder (it is created when missing).");
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var family in families) File.Delete(state.SearchFile(family));
            AtomicFile.Write(file, stream => JsonSerializer.Serialize(stream, fingerprint, new JsonSerializerOptions { WriteIndented = true }));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandInputException($"--state '{settings.StateDirectory}': {e.Message}");
        }
        return state;
    }

    private static Dictionary<string, string> Read(string file)
    {
        try
        {
            var info = new FileInfo(file);
            // The settings are a few hundred bytes; a huge file is not one of ours.
            if (info.Length > 1 << 20) throw new InvalidDataException($"it is {info.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes, not a saved search's settings");
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file, Encoding.UTF8))
                ?? throw new InvalidDataException("it holds null");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
        {
            throw new CommandInputException($"--resume: '{file}' is not the settings of a saved search: {e.Message}; run without --resume to start afresh.");
        }
    }
}
