using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>The <c>nabla</c> command as a whole: version, help, and usage errors before any command runs.</summary>
public sealed class ProgramTests
{
    private static string Cli => RepositoryLayout.CliAssembly;

    [Fact]
    public void Version_PrintsTheLibraryVersion()
    {
        var run = ProgramRun.Start(Cli, "--version");

        Assert.True(run.ExitCode == 0, run.ToString());
        var line = Assert.Single(run.OutputLines);
        Assert.Matches(new Regex(@"^nabla \d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$"), line);
        // One version for both packages: the library's and the command's own are the one printed.
        Assert.Equal($"nabla {PackageVersion(typeof(Tensor).Assembly.Location)}", line);
        Assert.Equal($"nabla {PackageVersion(Cli)}", line);
    }

    /// <summary>The version of the package an assembly ships in: its informational version without the +commit SourceLink adds.</summary>
    private static string PackageVersion(string assembly) =>
        FileVersionInfo.GetVersionInfo(assembly).ProductVersion?.Split('+')[0]
            ?? throw new InvalidOperationException($"{assembly} has no informational version.");

    [Fact]
    public void Help_ListsTheCommands()
    {
        var run = ProgramRun.Start(Cli, "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("train", run.StandardOutput);
        Assert.Contains("diff <expression>", run.StandardOutput);
        Assert.Contains("--version", run.StandardOutput);
    }

    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("--bogus")]
    public void UsageError_ExitCode2_PointsToHelp(params string[] args)
    {
        var run = ProgramRun.Start(Cli, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.ErrorLines[0]);
        Assert.Equal("Run 'nabla --help' for usage.", run.ErrorLines[^1]);
        Assert.Empty(run.StandardOutput);
    }
}
