using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Nabla.Cli;

/// <summary><c>nabla --version</c>: the version of the Nabla library this command runs on.</summary>
internal static class VersionInfo
{
    /// <summary>The library's version (its informational version without build metadata).</summary>
    public static string Version
    {
        get
        {
            var assembly = typeof(Tensor).Assembly;
            string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString();
            return version is null ? "unknown" : version.Split('+')[0];
        }
    }

    /// <summary>Makes the root command's <c>--version</c> print <see cref="Version"/>.</summary>
    public static void Install(RootCommand root)
    {
        // The library is versioned, the command ships with it: one version number for both.
        foreach (var option in root.Options.OfType<VersionOption>())
            option.Action = new PrintVersion();
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"nabla {Version}");
            return ExitCodes.Success;
        }
    }
}
