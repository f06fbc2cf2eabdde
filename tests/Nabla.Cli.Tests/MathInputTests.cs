namespace Nabla.Cli.Tests;

/// <summary>
/// What the calculus commands share in reading their input (MathInput), run as a process: a constant
/// expression is a function of any variable, so <c>diff</c>, <c>integrate</c> and <c>limit</c> take it
/// (all three refused it: "the expression has no variables: it is a constant").
/// </summary>
public sealed class MathInputTests
{
    private static string Cli => RepositoryLayout.CliAssembly;

    [Theory]
    [InlineData("5")]
    [InlineData("pi^2")]
    public void Diff_OfAConstant_IsZero(string constant)
    {
        var run = ProgramRun.Start(Cli, "diff", constant);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("0", Assert.Single(run.OutputLines));
    }

    [Fact]
    public void Diff_OfAConstant_AtAPoint_IsZeroThere()
    {
        var run = ProgramRun.Start(Cli, "diff", "7", "--var", "t", "--at", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["0", "at t = 2: 0"], run.OutputLines);
    }

    [Theory]
    [InlineData(new[] { "diff", "7", "--at", "y=2" }, "error: --at y=2: the expression \"7\" has no variable 'y' (it has no variables).")]
    [InlineData(new[] { "diff", "7", "--var", "pi" }, "error: --var pi: not a variable name; give a name such as x or t.")]
    [InlineData(new[] { "limit", "7", "--var", "x y", "--at", "0" }, "error: --var x y: not a variable name; give a name such as x or t.")]
    public void AConstant_StillNeedsARealVariableName_ExitCode1(string[] args, string message)
    {
        var run = ProgramRun.Start(Cli, args);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(message, Assert.Single(run.ErrorLines));
        Assert.Empty(run.StandardOutput);
    }
}
