using System.Reflection;

namespace Nabla.IO;

/// <summary>The version of this Nabla library, as the files it writes record it (model files, run logs): the package version, without the commit.</summary>
internal static class LibraryVersion
{
    /// <summary>The assembly's informational version up to any "+commit" suffix, or its assembly version.</summary>
    public static string Current { get; } =
        typeof(LibraryVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(LibraryVersion).Assembly.GetName().Version?.ToString() ?? "unknown";
}
