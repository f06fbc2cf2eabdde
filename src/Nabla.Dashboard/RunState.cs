using Nabla.Training;

namespace Nabla.Dashboard;

/// <summary>A run as the dashboard last read it.</summary>
/// <param name="Folder">Its name and log file.</param>
/// <param name="Length">The log's length in bytes when read.</param>
/// <param name="LastWrite">The log's last write time (UTC) when read.</param>
/// <param name="Contents">What the log holds; null when it could not be read.</param>
/// <param name="Error">Why it could not be read; null when it was.</param>
/// <param name="Version">Grows each time the log was read anew because it changed.</param>
internal sealed record RunState(RunFolder Folder, long Length, DateTime LastWrite, RunLogContents? Contents, string? Error, long Version)
{
    /// <summary>The run's name on the page.</summary>
    public string Name => Folder.Name;
}
