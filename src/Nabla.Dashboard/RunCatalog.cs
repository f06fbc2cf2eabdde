using Nabla.IO;
using Nabla.Training;

namespace Nabla.Dashboard;

/// <summary>
/// Finds the runs in a log folder: the folder itself, its subfolders and theirs (a tune job keeps its trials' runs one
/// level down), each holding a <see cref="RunLog.FileName"/>.
/// </summary>
/// <remarks>
/// The page names runs, never paths: a name is looked up among what this found, so no request can lead outside the
/// folder. Symbolic links are not followed (a link in the folder could point anywhere, /etc included), hidden folders
/// are skipped (a run log's temporary files, version control), and a log that is not a regular file (a pipe, whose
/// reading would block, or a device) is not a run. The number of runs is capped, so a huge folder costs bounded time
/// at each look.
/// </remarks>
internal static class RunCatalog
{
    /// <summary>The most runs shown; the page says when the folder holds more.</summary>
    public const int MaxRuns = 1000;

    /// <summary>How deep below the log folder runs are looked for.</summary>
    private const int MaxDepth = 2;

    private static readonly EnumerationOptions Subfolders = new()
    {
        AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden | FileAttributes.System,
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The runs under <paramref name="logDirectory"/> (a full path), in ordinal order of their names, at most <see cref="MaxRuns"/>.</summary>
    /// <param name="logDirectory">The log folder, a full path.</param>
    /// <param name="truncated">Whether the folder holds more runs than were returned.</param>
    public static IReadOnlyList<RunFolder> Find(string logDirectory, out bool truncated)
    {
        var runs = new List<RunFolder>();
        string ownName = Path.GetFileName(Path.TrimEndingDirectorySeparator(logDirectory));
        string? own = LogIn(logDirectory);
        if (own is not null) runs.Add(new RunFolder(ownName, own));
        // Subfolders' names are distinct paths; only one straight below can take the folder's own name, which its own log keeps.
        Search(logDirectory, "", 1, own is null ? null : ownName, runs);
        runs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        truncated = runs.Count > MaxRuns;
        return truncated ? runs[..MaxRuns] : runs;
    }

    private static void Search(string folder, string prefix, int depth, string? taken, List<RunFolder> runs)
    {
        IEnumerable<string> children;
        try
        {
            children = Directory.EnumerateDirectories(folder, "*", Subfolders).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (string child in children)
        {
            string name = Path.GetFileName(child);
            if (name.StartsWith('.')) continue;
            string relative = prefix + name;
            if (relative != taken && LogIn(child) is { } log) runs.Add(new RunFolder(relative, log));
            // Enough runs seen: a folder of many thousands is cut here rather than walked to the end.
            if (runs.Count > MaxRuns) return;
            if (depth < MaxDepth) Search(child, relative + "/", depth + 1, null, runs);
        }
    }

    /// <summary>The folder's log when it holds one that is a regular file, not a link.</summary>
    private static string? LogIn(string folder)
    {
        string log = Path.Combine(folder, RunLog.FileName);
        try
        {
            var file = new FileInfo(log);
            return file.Exists && file.LinkTarget is null && !SpecialFile.Is(log) ? log : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
