using System.Reflection;

namespace Nabla.Cli.Tests;

/// <summary>Finds the repository and the build output of the projects these tests run as processes.</summary>
internal static class RepositoryLayout
{
    /// <summary>The repository root: the nearest folder above the test assembly that holds Nabla.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration these tests were built in (Debug or Release); the programs under test were built in the same one.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The built <c>nabla</c> command.</summary>
    public static string CliAssembly => BuildOutput("src/Nabla.Cli", "Nabla.Cli.dll");

    /// <summary>The built example program in <c>examples/<paramref name="name"/></c>.</summary>
    public static string ExampleAssembly(string name) => BuildOutput($"examples/{name}", $"{name}.dll");

    /// <summary>
    /// A project's main assembly under its bin/&lt;configuration&gt; folder, whatever the target
    /// framework and runtime folders below it; the newest when several builds are there.
    /// </summary>
    public static string BuildOutput(string projectFolder, string fileName)
    {
        string bin = Path.Combine(Root, projectFolder, "bin", Configuration);
        var candidates = Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, fileName, SearchOption.AllDirectories)
                // A runnable program has its runtimeconfig beside it (excludes copies in other projects' folders).
                .Where(path => File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")))
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0]
            : throw new FileNotFoundException($"{fileName} was not found under {bin}; build it first: dotnet build {projectFolder} -c {Configuration}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No Nabla.slnx found above {AppContext.BaseDirectory}.");
    }
}
