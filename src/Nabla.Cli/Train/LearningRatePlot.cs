using ScottPlot;

namespace Nabla.Cli;

/// <summary>
/// Draws what <c>--find-lr</c> measured with ScottPlot: each step's loss (faint) and the smoothed loss
/// against the learning rate on a log axis, with the range where the loss falls shaded and the suggested
/// rate marked, in one PNG.
/// </summary>
internal static class LearningRatePlot
{
    /// <summary>Draws <paramref name="search"/> and writes it to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    /// <param name="path">The PNG file to create or replace; its folder must exist.</param>
    /// <param name="search">The curve and the suggestion to draw.</param>
    /// <param name="title">What was searched for, such as "mlp on digits".</param>
    /// <returns>The full path of the file written.</returns>
    public static string Write(string path, LearningRateSearchResult search, string title)
    {
        var curve = search.Curve;
        var plot = new Plot();
        // ScottPlot has no log axis: the rates are drawn at their log10, and the ticks are labelled back as rates.
        var losses = Finite(curve.LearningRates, curve.Losses);
        var raw = plot.Add.Scatter(losses.LogRates, losses.Values);
        raw.LegendText = "loss of each step";
        raw.MarkerSize = 0;
        raw.Color = raw.Color.WithAlpha(0.35);
        var smoothed = Finite(curve.LearningRates, curve.SmoothedLosses);
        var line = plot.Add.Scatter(smoothed.LogRates, smoothed.Values);
        line.LegendText = "smoothed loss";
        line.MarkerSize = 0;
        line.LineWidth = 2;
        if (search.FallsFrom is { } from && search.FallsTo is { } to)
        {
            var falling = plot.Add.HorizontalSpan(Math.Log10(from), Math.Log10(to));
            falling.LegendText = $"the loss falls: {LearningRateSearchResult.Text(from)} to {LearningRateSearchResult.Text(to)}";
            falling.FillStyle.Color = Colors.Green.WithAlpha(0.12);
        }
        var suggestion = plot.Add.VerticalLine(Math.Log10(search.SuggestedLearningRate));
        suggestion.LegendText = $"suggested lr {LearningRateSearchResult.Text(search.SuggestedLearningRate)}";
        suggestion.LinePattern = LinePattern.Dashed;
        suggestion.Color = Colors.Red;

        plot.Axes.Bottom.TickGenerator = LogScaleTicks.Create();
        plot.Title($"Learning-rate finder: {title}");
        plot.XLabel("learning rate (log scale)");
        plot.YLabel("training loss");
        plot.ShowLegend(Alignment.UpperLeft);
        // The single steps' losses spike at high rates; the axis fits the smoothed curve, which the suggestion is read from.
        double low = Math.Min(losses.Values.DefaultIfEmpty(0).Min(), smoothed.Values.DefaultIfEmpty(0).Min());
        double high = smoothed.Values.DefaultIfEmpty(1).Max();
        double margin = Math.Max(high - low, 1e-3) * 0.05;
        plot.Axes.SetLimitsY(low - margin, high + margin);

        return PngFile.Write(path, [plot], 1, LossCurvePlot.Width, LossCurvePlot.Height);
    }

    /// <summary>The points whose value is finite (a search can end on an infinite or NaN loss), the rates as log10.</summary>
    private static (double[] LogRates, double[] Values) Finite(IReadOnlyList<double> rates, IReadOnlyList<double> values)
    {
        var kept = Enumerable.Range(0, rates.Count).Where(i => double.IsFinite(values[i])).ToArray();
        return ([.. kept.Select(i => Math.Log10(rates[i]))], [.. kept.Select(i => values[i])]);
    }
}
