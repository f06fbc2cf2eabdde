using Nabla.Selection;
using ScottPlot;

namespace Nabla.Cli;

/// <summary>
/// The picture of a search (<c>nabla tune --plot</c>): each completed trial's cross-validated score in the order the trials
/// ended, a colour a model, with the best score so far as a step line; pruned and failed trials have no score and are left out.
/// </summary>
internal static class TrialsPlot
{
    private const int Width = 1000, Height = 450;

    /// <summary>Draws <paramref name="trials"/> to the PNG file <paramref name="path"/>, atomically.</summary>
    /// <returns>The full path of the file written.</returns>
    public static string Write(string path, IReadOnlyList<TunedTrial> trials, TuneMetric metric, string dataName)
    {
        var plot = new Plot();
        var complete = trials.Select((trial, order) => (trial, order: order + 1)).Where(item => item.trial.Record.State == TrialState.Complete).ToList();
        foreach (var family in complete.GroupBy(item => item.trial.Family.Name))
        {
            var points = plot.Add.ScatterPoints(family.Select(item => (double)item.order).ToArray(), family.Select(item => item.trial.Record.Score!.Value).ToArray());
            points.LegendText = family.Key;
            points.MarkerSize = 7;
        }
        if (complete.Count > 0)
        {
            var bestSoFar = new List<double>();
            foreach (var (trial, _) in complete)
            {
                double score = trial.Record.Score!.Value;
                bestSoFar.Add(bestSoFar.Count == 0 ? score : metric.IsGreaterBetter ? Math.Max(bestSoFar[^1], score) : Math.Min(bestSoFar[^1], score));
            }
            var line = plot.Add.Scatter(complete.Select(item => (double)item.order).ToArray(), bestSoFar.ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LegendText = "best so far";
        }
        plot.Title($"Trials of the search on {dataName}");
        plot.XLabel("trial (in the order they ended)");
        plot.YLabel($"{metric.Key}, cross-validated");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(metric.IsGreaterBetter ? Alignment.LowerRight : Alignment.UpperRight);
        return PngFile.Write(path, [plot], 1, Width, Height);
    }
}
