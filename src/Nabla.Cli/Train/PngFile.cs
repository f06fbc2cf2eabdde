using Nabla.IO;
using ScottPlot;
using SkiaSharp;

namespace Nabla.Cli;

/// <summary>
/// Plots drawn as one PNG file: the panels on a grid, written atomically; every plot of the command is written here, so
/// a machine without fonts is warned once, whichever plot it asked for.
/// </summary>
internal static class PngFile
{
    /// <summary>
    /// Whether the drawing library finds any font. Without one the picture is still drawn, but with
    /// no text at all (no titles, labels, numbers or legend entries).
    /// </summary>
    /// <remarks>With no font files the font manager still lists one empty family, so the test is whether the default typeface has glyphs.</remarks>
    public static bool CanDrawText => SKTypeface.Default.GlyphCount > 0;

    /// <summary>
    /// Draws <paramref name="panels"/> row by row, <paramref name="columns"/> to a row, each <paramref name="panelWidth"/> ×
    /// <paramref name="panelHeight"/> pixels, and writes the picture to <paramref name="path"/> atomically (a temporary file,
    /// then a rename); warns on standard error when there are no fonts to draw its text with.
    /// </summary>
    /// <returns>The full path of the file written.</returns>
    public static string Write(string path, IReadOnlyList<Plot> panels, int columns, int panelWidth, int panelHeight)
    {
        if (!CanDrawText)
            TrainOutput.WriteWarning("no fonts were found, so the plot has no text; install some (on Debian: apt-get install fonts-dejavu-core).");
        int rows = (panels.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(columns * panelWidth, rows * panelHeight));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            surface.Canvas.Save();
            surface.Canvas.Translate(i % columns * panelWidth, i / columns * panelHeight);
            // A panel clears its background when it renders; the clip keeps it off its neighbours.
            surface.Canvas.ClipRect(new SKRect(0, 0, panelWidth, panelHeight));
            panels[i].Render(surface.Canvas, panelWidth, panelHeight);
            surface.Canvas.Restore();
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, quality: 100);
        string full = Path.GetFullPath(path);
        AtomicFile.Write(full, png.SaveTo);
        return full;
    }
}
