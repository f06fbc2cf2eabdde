using ScottPlot.TickGenerators;

namespace Nabla.Cli;

/// <summary>
/// Ticks for an axis that shows learning rates on a log scale. ScottPlot has no log axis, so the plots
/// draw log10 of each rate: the major ticks fall on whole powers of ten, labelled back as the rates
/// themselves ("1e-5", "0.01", "1"), with the minor ticks spaced as on log paper.
/// </summary>
internal static class LogScaleTicks
{
    /// <summary>A new tick generator for one axis (ScottPlot's generators keep state per axis).</summary>
    public static NumericAutomatic Create() => new()
    {
        IntegerTicksOnly = true,
        MinorTickGenerator = new LogMinorTickGenerator(),
        LabelFormatter = exponent => LearningRateSearchResult.Text(Math.Pow(10, Math.Round(exponent))),
    };
}
