using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>
/// The scikit-learn tutorial snippets in examples/: LinearRegressionQuickstart gives scikit-learn's
/// numbers on the diabetes data, and MlpRegressorSgd prints scikit-learn's verbose lines, stops by the
/// training-loss rule with a falling loss, and fits held-out data.
/// </summary>
public sealed partial class EstimatorExamplesTests
{
    [Fact]
    public void LinearRegressionQuickstart_GivesScikitLearnsNumbers()
    {
        var run = ProgramRun.Start(RepositoryLayout.ExampleAssembly("LinearRegressionQuickstart"));
        Assert.True(run.ExitCode == 0, run.ToString());
        // scikit-learn 1.2.1 on the same rows of the raw file: coef_ [10.11244095], intercept_
        // −113.8047758, MSE 2548.0723987, R² 0.4725754 (the tutorial prints 2548.07 and 0.47).
        Assert.Equal(10.11, Value(run, "Coefficients: "));
        Assert.Equal(-113.80, Value(run, "Intercept: "));
        Assert.Equal(2548.07, Value(run, "Mean squared error: "));
        Assert.Equal(0.47, Value(run, "Coefficient of determination: "));
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
