using System.Globalization;
using System.Text.Json;

namespace Nabla.Cli.Tests;

/// <summary><c>nabla limit</c>, run as a process: limits that exist, limits that do not (and why), one side, ±∞, JSON, and bad input.</summary>
public sealed class LimitCommandTests
{
    private static string Cli => RepositoryLayout.CliAssembly;

    private static ProgramRun Limit(params string[] args) => ProgramRun.Start(Cli, ["limit", .. args]);

    [Theory]
    [InlineData(new[] { "sin(x)/x", "--at", "0" }, 1.0)]
    [InlineData(new[] { "(1+1/x)^x", "--at", "inf" }, Math.E)]
    [InlineData(new[] { "x*log(x)", "--at", "0", "--side", "right" }, 0.0)]
    [InlineData(new[] { "(exp(a*x)-1)/x", "--var", "x", "--at", "0", "--at", "a=3" }, 3.0)]
    [InlineData(new[] { "x*sin(1/x)", "--at", "inf" }, 1.0)]
    [InlineData(new[] { "exp(x)", "--at", "-inf" }, 0.0)]
    [InlineData(new[] { "sqrt(x)", "--at", "x=0", "--side", "right" }, 0.0)]
    [InlineData(new[] { "exp(-1/x^2)/x^100", "--at", "0" }, 0.0)]   // was "does not exist", its late terms all 0
    [InlineData(new[] { "7", "--at", "0" }, 7.0)]                     // a constant was refused
    [InlineData(new[] { "-2", "--at", "-inf" }, -2.0)]
    public void ExistingLimit_PrintsTheValueAndItsErrorEstimate(string[] args, double expected)
    {
        var run = Limit(args);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.OutputLines.Length);
        double value = double.Parse(run.OutputLines[0], CultureInfo.InvariantCulture);
        Assert.Equal(expected, value, 1e-9);
        Assert.Matches(@"^error estimate \S+, \d+ evaluations$", run.OutputLines[1]);
    }

    [Theory]
    [InlineData(new[] { "abs(x)/x", "--at", "0" }, "does not exist: left limit -1 and right limit 1 differ")]
    [InlineData(new[] { "1/x^2", "--at", "0" }, "does not exist: grows without bound (+∞) as x → 0 from both sides")]
    [InlineData(new[] { "log(x)", "--at", "0", "--side", "right" }, "does not exist: falls without bound (−∞) as x → 0⁺")]
    [InlineData(new[] { "relu(x)/x", "--at", "0" }, "does not exist: left limit 0 and right limit 1 differ")]
    public void MissingLimit_IsAnAnswerWithTheReason_ExitCode0(string[] args, string expected)
    {
        var run = Limit(args);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expected, Assert.Single(run.OutputLines));
        Assert.Empty(run.StandardError);
    }

    [Fact]
    public void RoundOffAtTheEnd_DoesNotHideTheLimit()
    {
        // The right side was "−∞": the numerator cancels, then eˣ rounds to 1 and the terms fall as −1/x.
        var run = Limit("(exp(x)-1-x)/x^2", "--at", "0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(0.5, double.Parse(run.OutputLines[0], CultureInfo.InvariantCulture), 1e-8);
    }

    [Fact]
    public void Undetermined_IsAFailureNotAnAnswer_ExitCode1()
    {
        // 1/log|x| → 0 too slowly to see: "does not exist" would be a wrong answer.
        var run = Limit("1/log(abs(x))", "--at", "0");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(run.StandardOutput);
        Assert.StartsWith("error: the limit could not be determined: the values do not settle as x → 0⁻", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Oscillation_IsNamed()
    {
        var run = Limit("sin(1/x)", "--at", "0", "--side", "right");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("does not exist: oscillates", Assert.Single(run.OutputLines));
    }

    [Fact]
    public void Json_ForAMissingLimit_HasExistsFalseAndNullValue()
    {
        var run = Limit("abs(x)/x", "--at", "0", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(Assert.Single(run.OutputLines));
        var root = json.RootElement;
        Assert.Equal("limit", root.GetProperty("command").GetString());
        Assert.False(root.GetProperty("exists").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("value").ValueKind);
        Assert.Equal("SidesDisagree", root.GetProperty("status").GetString());
        Assert.Equal(-1, root.GetProperty("left").GetDouble());
        Assert.Equal(1, root.GetProperty("right").GetDouble());
        Assert.Equal("left limit -1 and right limit 1 differ", root.GetProperty("reason").GetString());
    }

    [Fact]
    public void Json_ForAnExistingLimit_HasTheValueErrorAndEvaluations()
    {
        var run = Limit("(1+1/x)^x", "--at", "inf", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.True(root.GetProperty("exists").GetBoolean());
        Assert.Equal("Infinity", root.GetProperty("at").GetString());
        Assert.Equal("both", root.GetProperty("side").GetString());
        Assert.Equal(Math.E, root.GetProperty("value").GetDouble(), 1e-12);
        Assert.InRange(root.GetProperty("errorEstimate").GetDouble(), 0, 1e-9);
        Assert.True(root.GetProperty("evaluations").GetInt32() > 0);
    }

    [Fact]
    public void Json_ForDivergence_WritesTheInfiniteSidesAsStrings()
    {
        var run = Limit("1/x", "--at", "0", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal("-Infinity", json.RootElement.GetProperty("left").GetString());
        Assert.Equal("Infinity", json.RootElement.GetProperty("right").GetString());
    }

    [Theory]
    [InlineData(new[] { "sin(x)/x)", "--at", "0" }, "error: cannot read the expression \"sin(x)/x)\": unexpected ')' at column 9: no '(' matches it")]
    [InlineData(new[] { "x", "--at", "1", "--at", "2" }, "error: --at: the point x approaches is given 2 times (1, 2).")]
    [InlineData(new[] { "x*y", "--var", "x", "--at", "y=1" }, "error: --at: give the point x approaches, as --at 0 or --at inf.")]
    [InlineData(new[] { "x*y", "--var", "x", "--at", "0" }, "error: --at: no value for 'y'; give one with --at y=VALUE.")]
    [InlineData(new[] { "x", "--at", "near" }, "error: --at expects a number such as 1.5, -2e-3 or pi/2, or inf, got \"near\".")]
    [InlineData(new[] { "x", "--at", "inf", "--side", "right" }, "error: --side right: x → +inf can only be approached from the left (use --side left or leave --side out).")]
    [InlineData(new[] { "x", "--at", "-inf", "--side", "left" }, "error: --side left: x → -inf can only be approached from the right (use --side right or leave --side out).")]
    public void BadInput_IsOneLine_ExitCode1(string[] args, string message)
    {
        var run = Limit(args);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(message, Assert.Single(run.ErrorLines));
        Assert.Empty(run.StandardOutput);
    }

    [Theory]
    [InlineData("limit", "x")]
    [InlineData("limit", "x", "--at", "0", "--side", "up")]
    public void UsageError_ExitCode2_PointsToHelp(params string[] args)
    {
        var run = ProgramRun.Start(Cli, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.ErrorLines[0]);
        Assert.Equal("Run 'nabla limit --help' for usage.", run.ErrorLines[^1]);
    }
}
