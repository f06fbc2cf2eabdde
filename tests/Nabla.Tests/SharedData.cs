namespace Nabla.Tests;

/// <summary>
/// The real data sets next to the repository (<c>../shared/data</c>: iris, diabetes, breast cancer,
/// digits as CSV, Fashion-MNIST as IDX), found by walking up from the test assembly.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> Folder = new(Find);

    /// <summary>The full path of <paramref name="relativePath"/> inside the shared data folder, such as "digits.csv".</summary>
    public static string PathOf(string relativePath) => System.IO.Path.Combine(Folder.Value, relativePath);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate) && File.Exists(System.IO.Path.Combine(candidate, "digits.csv"))) return candidate;
        }
        throw new DirectoryNotFoundException($"The shared data folder (shared/data with digits.csv) was not found above {AppContext.BaseDirectory}.");
    }
}
