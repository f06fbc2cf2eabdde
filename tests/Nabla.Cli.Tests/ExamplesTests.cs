using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>
/// The programs in examples/: each runs, and all three fit the same θ, which is the closed-form
/// least-squares solution of their data.
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
