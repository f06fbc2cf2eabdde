using Nabla.IO;
using SkiaSharp;

namespace Nabla.Cli;

/// <summary>A drawn picture written as a PNG file.</summary>
internal static class PngFile
{
    /// <summary>Writes what <paramref name="surface"/> holds to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    /// <returns>The full path of the file written.</returns>
    public static string Write(SKSurface surface, string path)
    {
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, quality: 100);
        string full = Path.GetFullPath(path);
        AtomicFile.Write(full, png.SaveTo);
        return full;
    }
}
