namespace Nabla.Tests;

/// <summary>
/// The real data sets next to the repository (<c>../shared/data</c>: iris, diabetes, breast cancer,
/// digits as CSV, Fashion-MNIST as IDX), found by walking up from the test assembly. The four CSV
/// files are also in the repository (the library ships them, byte for byte the same), so those are
/// read from there when the shared folder is not next to this checkout.
/// </summary>
internal static class SharedData
{
    /// <summary>Set to 1, the shared folder is not looked for: the tests run as in a plain clone of the repository alone.</summary>
    public const string WithoutSharedDataVariable = "NABLA_TESTS_WITHOUT_SHARED_DATA";

    private static readonly Lazy<string?> Folder = new(() =>
        Environment.GetEnvironmentVariable(WithoutSharedDataVariable) == "1" ? null : FindAbove(Path.Combine("shared", "data"), "digits.csv"));
    private static readonly Lazy<string?> BuiltIn = new(() => FindAbove(Path.Combine("src", "Nabla", "Data", "BuiltIn"), "digits.csv"));

    /// <summary>The full path of <paramref name="relativePath"/> inside the shared data folder, such as "digits.csv".</summary>
    /// <exception cref="DirectoryNotFoundException">Neither the shared folder nor (for the CSV files) the repository's copy was found.</exception>
    public static string PathOf(string relativePath)
    {
        if (Folder.Value is { } shared) return Path.Combine(shared, relativePath);
        if (BuiltIn.Value is { } builtIn && File.Exists(Path.Combine(builtIn, relativePath))) return Path.Combine(builtIn, relativePath);
        throw new DirectoryNotFoundException(
            $"The shared data folder (shared/data with digits.csv) was not found above {AppContext.BaseDirectory}, and '{relativePath}' is not one of the data sets the repository ships.");
    }

    /// <summary>Whether the shared data folder is next to this checkout and holds <paramref name="relativePath"/>.</summary>
    public static bool Has(string relativePath) => Folder.Value is { } shared && File.Exists(Path.Combine(shared, relativePath));

    private static string? FindAbove(string folder, string marker)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, folder);
            if (File.Exists(Path.Combine(candidate, marker))) return candidate;
        }
        return null;
    }
}
