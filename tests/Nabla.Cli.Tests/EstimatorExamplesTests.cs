using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>
/// The scikit-learn tutorial snippets in examples/: LinearRegressionQuickstart recovers the slope it
/// generated its data with, and MlpRegressorSgd prints scikit-learn's verbose lines, stops by the
/// training-loss rule with a falling loss, and fits held-out data.
/// </summary>
public sealed partial class EstimatorExamplesTests
{
    [Fact]
    public void LinearRegressionQuickstart_RecoversTheSlopeAndReportsItsErrors()
    {
        var run = ProgramRun.Start(RepositoryLayout.ExampleAssembly("LinearRegressionQuickstart"));
        Assert.True(run.ExitCode == 0, run.ToString());
        // The data follow 152 + 950·bmi with noise of standard deviation 60 (variance 3600).
        Assert.InRange(Value(run, "Coefficients: "), 850, 1050);
        Assert.InRange(Value(run, "Intercept: "), 140, 165);
        Assert.InRange(Value(run, "Mean squared error: "), 1800, 7200);
        Assert.InRange(Value(run, "Coefficient of determination: "), 0.05, 0.6);
    }

    [Fact]
    public void MlpRegressorSgd_PrintsFallingLossesAndFitsHeldOutData()
    {
        var run = ProgramRun.Start(RepositoryLayout.ExampleAssembly("MlpRegressorSgd"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var losses = IterationLine().Matches(run.StandardOutput).Select(m => double.Parse(m.Groups["loss"].Value, CultureInfo.InvariantCulture)).ToArray();
        int epochs = (int)Value(run, "Epochs: ");
        Assert.Equal(epochs, losses.Length);
        Assert.True(epochs < 1000, "stopped by the loss rule before maxIter");
        Assert.Contains("Training loss did not improve more than tol=0.000100 for 10 consecutive epochs. Stopping.", run.StandardOutput);
        Assert.True(losses[^1] < losses[0] / 5, $"loss {losses[0]} → {losses[^1]}");
        Assert.True(Value(run, "Test R²: ") > 0.5, run.StandardOutput);
    }

    private static double Value(ProgramRun run, string label)
    {
        var line = run.StandardOutput.Split('\n').Single(l => l.StartsWith(label, StringComparison.Ordinal));
        return double.Parse(line[label.Length..].Split(',')[0].Trim(), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^Iteration (?<n>\d+), loss = (?<loss>\d+\.\d{8})\r?$", RegexOptions.Multiline)]
    private static partial Regex IterationLine();
}
