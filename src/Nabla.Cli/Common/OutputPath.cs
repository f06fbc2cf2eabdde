namespace Nabla.Cli;

/// <summary>
/// Checks a path a command will write to, before any work: a typo in a path should cost nothing, and
/// a run that cannot save its result should not start.
/// </summary>
internal static class OutputPath
{
    /// <summary>Throws unless <paramref name="path"/> names a file (not a folder) in a folder that exists, and is not a read-only file.</summary>
    /// <exception cref="CommandInputException">The path is empty, is a folder, is a read-only file, or its folder does not exist; the message names <paramref name="option"/>.</exception>
    public static void Check(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new CommandInputException($"{option} needs a file path, got an empty one.");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new CommandInputException($"{option} '{path}' is a folder; give a file path inside it.");
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw new CommandInputException($"{option} '{path}': the folder '{folder}' does not exist; create it first.");
        // Files are replaced by renaming a new one over them, which the file's own permissions do not stop:
        // a file the user made read-only is refused here, as an editor or cp would refuse it.
        if (File.Exists(full) && File.GetAttributes(full).HasFlag(FileAttributes.ReadOnly))
            throw new CommandInputException($"{option} '{path}' is a read-only file; give another path, or make it writable (chmod u+w) to replace it.");
    }
}
