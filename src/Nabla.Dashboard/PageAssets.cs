using System.Reflection;

namespace Nabla.Dashboard;

/// <summary>
/// The page's files, embedded in this assembly (wwwroot/): served by name from this fixed set only, so no request path
/// ever reaches the file system.
/// </summary>
internal sealed class PageAssets
{
    private const string Prefix = "wwwroot/";

    private readonly Dictionary<string, (byte[] Content, string ContentType)> _files = new(StringComparer.Ordinal);

    /// <summary>Loads the embedded files.</summary>
    /// <exception cref="InvalidOperationException">The assembly holds no index.html: a build without the page.</exception>
    public PageAssets()
    {
        var assembly = typeof(PageAssets).Assembly;
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            string name = resource[Prefix.Length..];
            _files[name] = (copy.ToArray(), ContentType(name));
        }
        if (!_files.ContainsKey(IndexName))
            throw new InvalidOperationException($"The dashboard's page ({Prefix}{IndexName}) is missing from {assembly.GetName().Name}; the build left it out.");
    }

    /// <summary>The page itself.</summary>
    public const string IndexName = "index.html";

    /// <summary>The file named <paramref name="name"/> and its content type, or false when there is none.</summary>
    public bool TryGet(string name, out byte[] content, out string contentType)
    {
        bool found = _files.TryGetValue(name, out var file);
        (content, contentType) = found ? file : ([], "");
        return found;
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
