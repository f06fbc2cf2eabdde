using Nabla.Training;
using ScottPlot;

namespace Nabla.Cli;

/// <summary>
/// Draws the learning curves of a run with ScottPlot: training and validation loss per epoch, beside
/// it the accuracy per epoch when the task is classification, and the learning rate of each epoch on a
/// log scale when it was scheduled, in one PNG.
/// </summary>
internal static class LossCurvePlot
{
    /// <summary>The picture's width in pixels without the learning-rate panel; each panel gets an equal share of it.</summary>
    public const int Width = 1000;

    /// <summary>The width the learning-rate panel adds.</summary>
    public const int LearningRateWidth = 500;

    /// <summary>The picture's height in pixels.</summary>
    public const int Height = 450;

    /// <summary>Draws <paramref name="history"/> and writes it to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    /// <param name="path">The PNG file to create or replace; its folder must exist.</param>
    /// <param name="history">The epochs to draw.</param>
    /// <param name="title">What was trained, for the panels' titles, such as "mlp on digits".</param>
    /// <param name="learningRate">Whether to add a panel of the learning rate per epoch, for a run whose rate was scheduled.</param>
    /// <param name="unit">What each entry of <paramref name="history"/> is: an "epoch", or a federated "round".</param>
    /// <returns>The full path of the file written.</returns>
    public static string Write(string path, History history, string title, bool learningRate, string unit = "epoch")
    {
        double[] epochs = [.. history.Epochs.Select(e => (double)e.Epoch)];
        var panels = new List<Plot> { Panel($"Loss per {unit}: {title}", "loss", unit, epochs, history.Loss, history.ValidationLoss, Alignment.UpperRight) };
        if (history.Accuracy.Count == epochs.Length)
            panels.Add(Panel($"Accuracy per {unit}: {title}", "accuracy", unit, epochs, history.Accuracy, history.ValidationAccuracy, Alignment.LowerRight));
        int width = Width;
        if (learningRate)
        {
            panels.Add(LearningRatePanel(title, epochs, history.LearningRate));
            width += LearningRateWidth;
        }
        return Render(path, panels, width);
    }

    /// <summary>
    /// Draws one training curve, such as a recommender solver's loss per epoch, and writes it to <paramref name="path"/> atomically.
    /// </summary>
    /// <param name="path">The PNG file to create or replace; its folder must exist.</param>
    /// <param name="values">The value after each epoch, the first epoch first.</param>
    /// <param name="title">What was trained, for the title, such as "mf on ratings.csv".</param>
    /// <param name="quantity">What the values are, for the axis and legend, such as "RMSE".</param>
    /// <returns>The full path of the file written.</returns>
    public static string WriteCurve(string path, IReadOnlyList<double> values, string title, string quantity)
    {
        double[] epochs = [.. Enumerable.Range(1, values.Count).Select(e => (double)e)];
        return Render(path, [Panel($"{quantity} per epoch: {title}", quantity, "epoch", epochs, values, [], Alignment.UpperRight)], Width);
    }

    /// <summary>Draws the panels side by side on one picture <paramref name="width"/> wide and writes it atomically.</summary>
    private static string Render(string path, IReadOnlyList<Plot> panels, int width) =>
        PngFile.Write(path, panels, panels.Count, width / panels.Count, Height);

    /// <summary>
    /// The learning rate per epoch on a log scale (ScottPlot draws log10 of the values, with ticks labelled
    /// as the rates): schedules multiply the rate, so equal factors take equal heights.
    /// </summary>
    private static Plot LearningRatePanel(string title, double[] epochs, IReadOnlyList<double> rates)
    {
        var plot = new Plot();
        // A rate of 0 has no logarithm; the epochs that had one are left out of the line.
        int[] positive = [.. Enumerable.Range(0, rates.Count).Where(i => rates[i] > 0)];
        var line = plot.Add.Scatter(positive.Select(i => epochs[i]).ToArray(), positive.Select(i => Math.Log10(rates[i])).ToArray());
        line.LegendText = "learning rate";
        plot.Title($"Learning rate per epoch: {title}");
        plot.XLabel("epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.YLabel("learning rate (log scale)");
        plot.Axes.Left.TickGenerator = LogScaleTicks.Create();
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot Panel(string title, string quantity, string unit, double[] epochs, IReadOnlyList<double> training, IReadOnlyList<double> validation,
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
        plot.XLabel(unit);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.YLabel(quantity);
        // Losses fall and accuracies rise, so the legend goes in the corner the curves leave empty.
        plot.ShowLegend(legendCorner);
        return plot;
    }
}
