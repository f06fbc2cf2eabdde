using ScottPlot;

namespace Nabla.Cli;

/// <summary>
/// Draws attributions with ScottPlot into one PNG (<c>nabla explain --plot</c>): for an image model a heat map of each row's
/// attributions over the image (summed over the channels; red adds to the output, blue takes from it, on one scale centred
/// on 0), otherwise a horizontal bar chart of each row's top attributions; several rows as a grid of panels, row by row.
/// </summary>
internal static class AttributionPlot
{
    /// <summary>The most rows one picture shows: a 4 × 4 grid.</summary>
    public const int MaxRows = 16;

    /// <summary>The size of a heat map's panel, in pixels.</summary>
    public const int HeatMapSize = 320;

    /// <summary>The width of a bar chart's panel, in pixels.</summary>
    public const int BarsWidth = 560;

    /// <summary>The height of a bar chart's panel, in pixels.</summary>
    public const int BarsHeight = 400;

    /// <summary>The grid that holds <paramref name="panels"/> panels: as many columns as the square root rounded up, then as many rows as needed.</summary>
    public static (int Columns, int Rows) Grid(int panels)
    {
        int columns = (int)Math.Ceiling(Math.Sqrt(panels));
        return (columns, (panels + columns - 1) / columns);
    }

    /// <summary>Draws one panel per explained row and writes the picture to <paramref name="path"/> atomically.</summary>
    /// <returns>The full path of the file written.</returns>
    public static string WriteRows(string path, IReadOnlyList<RowExplanation> rows, InputLayout layout, int top)
    {
        var panels = rows.Select(row =>
        {
            string title = row.Explained is null ? $"row {row.Row}: predicted {row.Predicted}" : $"row {row.Row}: predicted {row.Predicted}, class {row.Explained}";
            return layout.Image is { } image ? HeatMap(title, row.Attributions, image) : Bars(title, row.Attributions, row.NamesOr(layout.Names), top == 0 ? row.Attributions.Length : top);
        }).ToList();
        return layout.Image is null ? Render(path, panels, BarsWidth, BarsHeight) : Render(path, panels, HeatMapSize, HeatMapSize);
    }

    /// <summary>Draws one bar chart of per-feature values, such as permutation importances, and writes it to <paramref name="path"/> atomically.</summary>
    /// <returns>The full path of the file written.</returns>
    public static string WriteBars(string path, string title, IReadOnlyList<double> values, IReadOnlyList<string> names, int[] shown) =>
        Render(path, [Bars(title, values, names, shown)], BarsWidth, BarsHeight);

    private static Plot HeatMap(string title, double[] attributions, int[] image)
    {
        var (channels, height, width) = (image[0], image[1], image[2]);
        var map = new double[height, width];
        for (int c = 0; c < channels; c++)
            for (int r = 0; r < height; r++)
                for (int col = 0; col < width; col++) map[r, col] += attributions[(c * height + r) * width + col];
        double largest = Math.Max(map.Cast<double>().Max(Math.Abs), double.Epsilon);
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(map);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(-largest, largest);
        plot.Title(title);
        plot.Axes.SetLimits(heatmap.GetAxisLimits());
        // The image speaks for itself; pixel numbers on the axes would only crowd the small panels of a grid.
        plot.Axes.Frameless();
        return plot;
    }

    private static Plot Bars(string title, IReadOnlyList<double> values, IReadOnlyList<string> names, int top) =>
        Bars(title, values, names, TopFeatures.Of(values, top));

    /// <summary>A horizontal bar per shown feature, the first at the top; positive bars red, negative blue.</summary>
    private static Plot Bars(string title, IReadOnlyList<double> values, IReadOnlyList<string> names, int[] shown)
    {
        var plot = new Plot();
        var bars = shown.Select((feature, k) => new Bar
        {
            Position = shown.Length - 1 - k,
            Value = values[feature],
            FillColor = values[feature] >= 0 ? new Color(178, 34, 34) : new Color(70, 130, 180),
        }).ToList();
        plot.Add.Bars(bars).Horizontal = true;
        plot.Axes.Left.SetTicks([.. bars.Select(bar => bar.Position)], [.. shown.Select(feature => names[feature])]);
        // The bars grow from 0, so 0 stays in view even when every value has the same sign.
        double low = Math.Min(0, bars.Min(bar => bar.Value)), high = Math.Max(0, bars.Max(bar => bar.Value));
        double margin = 0.05 * Math.Max(high - low, double.Epsilon);
        plot.Axes.SetLimitsX(low - margin, high + margin);
        plot.Title(title);
        return plot;
    }

    /// <summary>Draws the panels on a grid (<see cref="Grid"/>), each <paramref name="panelWidth"/> × <paramref name="panelHeight"/>, and writes the picture atomically.</summary>
    private static string Render(string path, IReadOnlyList<Plot> panels, int panelWidth, int panelHeight) =>
        PngFile.Write(path, panels, Grid(panels.Count).Columns, panelWidth, panelHeight);
}
