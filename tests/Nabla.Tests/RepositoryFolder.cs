namespace Nabla.Tests;

/// <summary>The checkout these tests run from: the nearest folder above the test assembly that holds Nabla.slnx.</summary>
internal static class RepositoryFolder
{
    /// <summary>The repository root's full path.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds Nabla.slnx.");
    }
}
