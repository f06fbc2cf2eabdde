using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>
/// The programs in examples/: each runs; the three regressions fit the same θ, which is the
/// closed-form least-squares solution of their data; integrated gradients add up to the change in
/// the model's output; the difference-quotient table shows where each quotient is best and
/// Ridders' extrapolation beats both.
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

    [Fact]
    public void DerivativeAsLimit_ShowsTruncationThenRoundOffAndRiddersBeatsBoth()
    {
        var run = ProgramRun.Start(RepositoryLayout.ExampleAssembly("DerivativeAsLimit"));
        Assert.True(run.ExitCode == 0, run.ToString());
        double exact = Math.Cos(1);

        // One row per h = 10⁻¹ … 10⁻¹⁵, each error recomputed here from the printed quotient.
        var rows = QuotientRow().Matches(run.StandardOutput).Select(m => (
            H: Number(m.Groups["h"].Value), Forward: Number(m.Groups["forward"].Value), Central: Number(m.Groups["central"].Value))).ToList();
        Assert.Equal(Enumerable.Range(1, 15).Select(k => Math.Pow(10, -k)), rows.Select(r => r.H), new RelativeComparer(1e-12));
        double BestH(Func<(double H, double Forward, double Central), double> quotient) =>
            rows.MinBy(r => Math.Abs(quotient(r) - exact)).H;
        Assert.InRange(Math.Log10(BestH(r => r.Forward)), -9, -7);
        Assert.InRange(Math.Log10(BestH(r => r.Central)), -6, -4);
        // Round-off wins at the smallest steps: h = 1e-15 is far worse than the best.
        Assert.True(Math.Abs(rows[^1].Central - exact) > 1e6 * rows.Min(r => Math.Abs(r.Central - exact)));

        var ridders = RiddersLine().Match(run.StandardOutput);
        Assert.True(ridders.Success, $"No Ridders line in the output:\n{run}");
        double value = Number(ridders.Groups["value"].Value), estimate = Number(ridders.Groups["estimate"].Value);
        Assert.True(Math.Abs(value - exact) <= 1e-13, $"Ridders gave {value:R}, cos 1 = {exact:R}");
        Assert.True(Math.Abs(value - exact) <= estimate, $"the error estimate {estimate} does not cover the true error");
        Assert.True(Math.Abs(value - exact) < rows.Min(r => Math.Abs(r.Central - exact)));
    }

    [Fact]
    public void BackpropByHand_AgreesWithAutograd_AndLearnsTheCircle()
    {
        var run = ProgramRun.Start(RepositoryLayout.ExampleAssembly("BackpropByHand"));
        Assert.True(run.ExitCode == 0, run.ToString());

        // One row per report: epoch, cost, accuracy, the largest difference between the hand-written and autograd gradients.
        var rows = BackpropRow().Matches(run.StandardOutput).Select(m => (
            Cost: Number(m.Groups["cost"].Value), Difference: Number(m.Groups["difference"].Value))).ToList();
        Assert.Equal(7, rows.Count);
        Assert.All(rows, r => Assert.InRange(r.Difference, 0, 1e-15));
        Assert.True(rows[^1].Cost < 0.25 * rows[0].Cost, run.ToString());
        var final = Regex.Match(run.StandardOutput, @"final accuracy (?<accuracy>[0-9.]+) %");
        Assert.True(final.Success, run.ToString());
        Assert.True(Number(final.Groups["accuracy"].Value) >= 95, run.ToString());
    }

    [Fact]
    public void SequentialAdam_LearnsTheCircleFasterThanPlainGradientDescent()
    {
        var run = ProgramRun.Start(RepositoryLayout.ExampleAssembly("SequentialAdam"));
        Assert.True(run.ExitCode == 0, run.ToString());

        Assert.Contains("33 parameters", run.StandardOutput);   // 2·8 + 8 + 8·1 + 1
        var losses = Regex.Matches(run.StandardOutput, @"^\s*\d+\s+(?<loss>[0-9.]+)\s+[0-9.]+ %\s*$", RegexOptions.Multiline)
            .Select(m => Number(m.Groups["loss"].Value)).ToList();
        Assert.Equal(7, losses.Count);
        Assert.True(losses.Zip(losses.Skip(1)).All(pair => pair.Second < pair.First), run.ToString());
        var final = Regex.Match(run.StandardOutput, @"final accuracy (?<accuracy>[0-9.]+) %");
        Assert.True(final.Success, run.ToString());
        Assert.True(Number(final.Groups["accuracy"].Value) >= 98, run.ToString());   // BackpropByHand's plain descent: 96% after 3,000 epochs
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*\d+\s+(?<cost>[0-9.]+)\s+[0-9.]+ %\s+(?<difference>[0-9.e+-]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex BackpropRow();

    [GeneratedRegex(@"^(?<feature>\w+)\s+(?<delta>-?[0-9.]+)\s+(?<attribution>-?[0-9.]+)\s+(?<bound>[0-9.E+-]+)\s+(?<evaluations>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AttributionRow();

    private sealed class RelativeComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance * Math.Abs(b);

        public int GetHashCode(double value) => 0;
    }

    private static double[] FittedTheta(ProgramRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        var match = ThetaLine().Match(run.StandardOutput);
        Assert.True(match.Success, $"No 'θ = [...]' line in the output:\n{run}");
        return match.Groups["values"].Value.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    [GeneratedRegex(@"θ = \[(?<values>[^\]]+)\]")]
    private static partial Regex ThetaLine();

    [GeneratedRegex(@"^\s*(?<h>1e-\d\d)\s+(?<forward>\S+)\s+\S+\s+(?<central>\S+)\s+\S+\s*$", RegexOptions.Multiline)]
    private static partial Regex QuotientRow();

    [GeneratedRegex(@"Ridders: f'\(1\) = (?<value>\S+) ± (?<estimate>\S+) \(estimated\)")]
    private static partial Regex RiddersLine();
}
