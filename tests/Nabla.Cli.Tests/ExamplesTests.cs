using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>
/// The programs in examples/: each runs; the three regressions fit the same θ, which is the
/// closed-form least-squares solution of their data; integrated gradients add up to the change in
/// the model's output.
/// </summary>
public sealed partial class ExamplesTests
{
    private static readonly string[] Names = ["GradientDescentByHand", "GradientDescentAutodiff", "GradientTapeRegression"];

    public static TheoryData<string> Examples => new(Names);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_FitsTheLeastSquaresTheta(string example)
    {
        var data = CsvTable.Read(Path.Combine(RepositoryLayout.Root, "examples/data/houses.csv"));
        double[] expected = LeastSquares.Fit(data.Features, data.Target);

        double[] theta = FittedTheta(ProgramRun.Start(RepositoryLayout.ExampleAssembly(example)));

        Assert.Equal(expected.Length, theta.Length);
        for (int j = 0; j < theta.Length; j++)
            Assert.True(Math.Abs(theta[j] - expected[j]) <= 1e-5 * Math.Max(1, Math.Abs(expected[j])),
                $"{example}: θ{j} = {theta[j]}, least squares gives {expected[j]}.");
    }

    [Fact]
    public void AllExamples_PrintTheSameTheta()
    {
        var lines = Names
            .Select(example => ThetaLine().Match(ProgramRun.Start(RepositoryLayout.ExampleAssembly(example)).StandardOutput).Value)
            .ToArray();

        Assert.All(lines, line => Assert.NotEmpty(line));
        Assert.All(lines, line => Assert.Equal(lines[0], line));
    }

    [Fact]
    public void IntegratedGradients_AttributionsAddUpToTheOutputDifference()
    {
        var run = ProgramRun.Start(RepositoryLayout.ExampleAssembly("IntegratedGradients"));
        Assert.True(run.ExitCode == 0, run.ToString());

        // One line per feature: name, x − x', attribution, error bound, evaluations; none unconverged.
        var rows = AttributionRow().Matches(run.StandardOutput);
        Assert.Equal(4, rows.Count);
        Assert.DoesNotContain("not converged", run.StandardOutput);
        double sumOfRows = rows.Sum(r => Number(r.Groups["attribution"].Value));
        double bounds = rows.Sum(r => Number(r.Groups["bound"].Value));
        Assert.All(rows, r => Assert.True(int.Parse(r.Groups["evaluations"].Value, CultureInfo.InvariantCulture) >= 21));

        double total = Number(Labelled(run, "Σ attributions  = "));
        double difference = Number(Labelled(run, "F(x) − F(x')    = "));
        Assert.Equal(sumOfRows, total, 1e-11);                      // the rows are printed to 12 decimals
        Assert.True(Math.Abs(total - difference) <= bounds + 1e-12, $"Σ = {total}, ΔF = {difference}:\n{run}");
        Assert.True(Math.Abs(difference) > 0.01, "a trivial model would make completeness trivial");
        Assert.Contains("completeness: |Σ − ΔF| = ", run.StandardOutput);
        Assert.EndsWith(": yes", run.StandardOutput.TrimEnd());
    }

    private static string Labelled(ProgramRun run, string label)
    {
        var line = run.OutputLines.FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal));
        Assert.True(line is not null, $"No '{label}' line in the output:\n{run}");
        return line![label.Length..].Trim();
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<feature>\w+)\s+(?<delta>-?[0-9.]+)\s+(?<attribution>-?[0-9.]+)\s+(?<bound>[0-9.E+-]+)\s+(?<evaluations>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AttributionRow();

    private static double[] FittedTheta(ProgramRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        var match = ThetaLine().Match(run.StandardOutput);
        Assert.True(match.Success, $"No 'θ = [...]' line in the output:\n{run}");
        return match.Groups["values"].Value.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    [GeneratedRegex(@"θ = \[(?<values>[^\]]+)\]")]
    private static partial Regex ThetaLine();
}
