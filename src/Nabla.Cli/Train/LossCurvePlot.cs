using Nabla.IO;
using Nabla.Training;
using ScottPlot;
using SkiaSharp;

namespace Nabla.Cli;

/// <summary>
/// Draws the learning curves of a run with ScottPlot: training and validation loss per epoch, and
/// beside it the accuracy per epoch when the task is classification, in one PNG.
/// </summary>
internal static class LossCurvePlot
{
    /// <summary>The picture's width in pixels; each panel gets an equal share of it.</summary>
    public const int Width = 1000;

    /// <summary>The picture's height in pixels.</summary>
    public const int Height = 450;

    /// <summary>
    /// Whether the drawing library finds any font. Without one the picture is still drawn, but with
    /// no text at all (no titles, labels, numbers or legend entries).
    /// </summary>
    /// <remarks>With no font files the font manager still lists one empty family, so the test is whether the default typeface has glyphs.</remarks>
    public static bool CanDrawText => SKTypeface.Default.GlyphCount > 0;

    /// <summary>Draws <paramref name="history"/> and writes it to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    /// <param name="path">The PNG file to create or replace; its folder must exist.</param>
    /// <param name="history">The epochs to draw.</param>
    /// <param name="title">What was trained, for the panels' titles, such as "mlp on digits".</param>
    /// <returns>The full path of the file written.</returns>
    public static string Write(string path, History history, string title)
    {
        double[] epochs = [.. history.Epochs.Select(e => (double)e.Epoch)];
        var panels = new List<Plot> { Panel($"Loss per epoch: {title}", "loss", epochs, history.Loss, history.ValidationLoss, Alignment.UpperRight) };
        if (history.Accuracy.Count == epochs.Length)
            panels.Add(Panel($"Accuracy per epoch: {title}", "accuracy", epochs, history.Accuracy, history.ValidationAccuracy, Alignment.LowerRight));

        using var surface = SKSurface.Create(new SKImageInfo(Width, Height));
        surface.Canvas.Clear(SKColors.White);
        int panelWidth = Width / panels.Count;
        for (int i = 0; i < panels.Count; i++)
        {
            surface.Canvas.Save();
            surface.Canvas.Translate(i * panelWidth, 0);
            // A panel clears its background when it renders; the clip keeps it off its neighbours.
            surface.Canvas.ClipRect(new SKRect(0, 0, panelWidth, Height));
            panels[i].Render(surface.Canvas, panelWidth, Height);
            surface.Canvas.Restore();
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, quality: 100);
        string full = Path.GetFullPath(path);
        AtomicFile.Write(full, png.SaveTo);
        return full;
    }

    private static Plot Panel(string title, string quantity, double[] epochs, IReadOnlyList<double> training, IReadOnlyList<double> validation,
        Alignment legendCorner)
    {
        var plot = new Plot();
        var trainingLine = plot.Add.Scatter(epochs, training.ToArray());
        trainingLine.LegendText = $"training {quantity}";
        if (validation.Count == epochs.Length)
        {
            var validationLine = plot.Add.Scatter(epochs, validation.ToArray());
            validationLine.LegendText = $"validation {quantity}";
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.YLabel(quantity);
        // Losses fall and accuracies rise, so the legend goes in the corner the curves leave empty.
        plot.ShowLegend(legendCorner);
        return plot;
    }
}
