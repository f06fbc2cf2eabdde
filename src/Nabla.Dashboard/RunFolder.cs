namespace Nabla.Dashboard;

/// <summary>A run the dashboard found: its name on the page and its log file.</summary>
/// <param name="Name">The run's folder relative to the log folder, '/'-separated (the log folder's own name when the log is in it).</param>
/// <param name="LogPath">The full path of its <see cref="Training.RunLog.FileName"/>.</param>
internal sealed record RunFolder(string Name, string LogPath);
