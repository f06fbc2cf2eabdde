using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary><c>nabla integrate</c>, run as a process: the integrals of the calculus issue to 1e-10, infinite bounds, JSON, non-convergence, and bad input.</summary>
public sealed class IntegrateCommandTests
{
    private static string Cli => RepositoryLayout.CliAssembly;

    private static ProgramRun Integrate(params string[] args) => ProgramRun.Start(Cli, ["integrate", .. args]);

    [Theory]
    [InlineData("log(x)", "0", "1", -1.0)]
    [InlineData("1/sqrt(x)", "0", "1", 2.0)]
    [InlineData("exp(-x^2)", "-inf", "inf", 1.7724538509055160273)]   // √π
    [InlineData("x^2*exp(-x)", "0", "inf", 2.0)]
    [InlineData("cos(50*x)", "0", "1", -0.0052474970740785)]          // sin(50)/50
    [InlineData("abs(x-0.3)", "0", "1", 0.29)]
    [InlineData("sin(x)", "0", "pi/2", 1.0)]
    [InlineData("exp(-x^2)", "-1e300", "1e300", 1.7724538509055160273)]   // a wide range is mapped; it came out as 0
    [InlineData("exp(-x^2)", "-1e10", "1e10", 1.7724538509055160273)]
    [InlineData("1/(1+x^2)", "0", "1e300", Math.PI / 2)]
    [InlineData("1", "0", "1", 1.0)]                                       // a constant integrand was refused
    [InlineData("2.5", "-1", "3", 10.0)]
    [InlineData("0", "-inf", "inf", 0.0)]
    [InlineData("exp(-(x-20)^2)", "0", "inf", 1.7724538509055160273)]     // QAGI's points step over it: it was 5e-13
    [InlineData("erf(x)", "0", "1", 0.48606495811225593)]                    // erf(1) − (1 − 1/e)/√π
    [InlineData("log1p(x)", "0", "1", 0.38629436111989062)]                  // 2 ln 2 − 1
    [InlineData("relu(x)", "-1", "2", 2.0)]
    [InlineData("max(x, 1 - x) + min(x, 0.5)", "0", "1", 1.125)]             // 3/4 + 3/8
    [InlineData("heaviside(x - 0.25)*softplus(0)", "0", "1", 0.5198603854199589)]    // ¾ ln 2
    public void Integral_MeetsTheRelativeTolerance(string expression, string from, string to, double exact)
    {
        var run = Integrate(expression, "--from", from, "--to", to);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.OutputLines.Length);
        double value = double.Parse(run.OutputLines[0], CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(value - exact) <= 1e-10 * Math.Abs(exact), $"{expression}: {value} vs {exact}");
        Assert.Matches(@"^error estimate \S+, \d+ evaluations$", run.OutputLines[1]);
        Assert.Empty(run.StandardError);
    }

    [Fact]
    public void Json_CarriesValueErrorEvaluationsAndConvergence()
    {
        var run = Integrate("exp(-a*x^2)", "--var", "x", "--from", "-inf", "--to", "inf", "--at", "a=2", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(Assert.Single(run.OutputLines));
        var root = json.RootElement;
        Assert.Equal("integrate", root.GetProperty("command").GetString());
        Assert.Equal("x", root.GetProperty("variable").GetString());
        Assert.Equal("-Infinity", root.GetProperty("from").GetString());
        Assert.Equal("Infinity", root.GetProperty("to").GetString());
        Assert.Equal(2, root.GetProperty("at").GetProperty("a").GetDouble());
        Assert.Equal(Math.Sqrt(Math.PI / 2), root.GetProperty("value").GetDouble(), 1e-10);
        double error = root.GetProperty("errorEstimate").GetDouble();
        Assert.InRange(error, 0, 1e-10 * Math.Sqrt(Math.PI / 2));
        Assert.InRange(root.GetProperty("evaluations").GetInt32(), 30, 10_000);
        Assert.True(root.GetProperty("converged").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("message").ValueKind);
    }

    [Fact]
    public void Tolerance_IsPassedOn_ALooserOneTakesFewerEvaluations()
    {
        int Evaluations(string tol)
        {
            var run = Integrate("cos(50*x)", "--from", "0", "--to", "1", "--tol", tol, "--json");
            Assert.True(run.ExitCode == 0, run.ToString());
            using var json = JsonDocument.Parse(run.StandardOutput);
            return json.RootElement.GetProperty("evaluations").GetInt32();
        }

        Assert.True(Evaluations("1e-3") < Evaluations("1e-12"));
    }

    [Fact]
    public void NotConverged_IsShownButMarkedNotConverged_ExitCode1()
    {
        var run = Integrate("1/((x-0.5)^2+1e-4)", "--from", "0", "--to", "1", "--max-evals", "100");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(2, run.OutputLines.Length);
        Assert.True(double.TryParse(run.OutputLines[0], CultureInfo.InvariantCulture, out _), run.ToString());
        Assert.EndsWith(", NOT converged", run.OutputLines[1]);
        string error = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: the integral did not reach the tolerance (relative 1e-10, absolute 1e-12): ", error);
        Assert.Contains("Raise --max-evals", error);
    }

    [Theory]
    [InlineData("sin(x)", "-inf", "inf", "as x → −∞, the integral up to x keeps swinging without settling down")]   // was a converged 0
    [InlineData("x", "-inf", "inf", "toward −∞, the integral over [−2x, −x] does not shrink as x grows")]          // was a converged 0
    [InlineData("cos(x)", "-inf", "inf", "keeps swinging")]
    [InlineData("1/x", "0", "1", "toward x = 0 from the right, the integral over [h/2, h] does not shrink as h shrinks")]
    [InlineData("1/x", "1", "inf", "toward +∞")]
    [InlineData("2", "0", "inf", "toward +∞")]
    public void Divergent_ShowsNoValue_SaysItDoesNotConverge_ExitCode1(string expression, string from, string to, string how)
    {
        var run = Integrate(expression, "--from", from, "--to", to);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(run.StandardOutput);
        string error = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: the integral does not converge: ", error);
        Assert.Contains(how, error);
    }

    [Fact]
    public void ConditionallyConvergent_SaysTheQuadratureCannotEstimateIt_ExitCode1()
    {
        var run = Integrate("sin(x)/x", "--from", "0", "--to", "inf");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.EndsWith(", NOT converged", run.OutputLines[1]);
        string error = Assert.Single(run.ErrorLines);
        Assert.Contains("Its tail does shrink as x → +∞", error);
        Assert.EndsWith("so it may converge, slowly or by cancelling oscillations, but not in a way this quadrature can estimate.", error);
    }

    [Fact]
    public void NoEvidenceOfTheMass_IsNotPassedOffAsZero_ExitCode1()
    {
        // A peak at 10⁸ that no point sampled comes near; the answer was 0 with error estimate 0.
        var run = Integrate("exp(-(x-1e8)^2)", "--from", "-1e300", "--to", "1e300");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.EndsWith(", NOT converged", run.OutputLines[1]);
        string error = Assert.Single(run.ErrorLines);
        Assert.Contains("The integrand is 0 at every point sampled", error);
        Assert.Contains("so the integral cannot be established", error);
    }

    [Fact]
    public void Divergent_Json_HasDivergesTrueAndNoValue()
    {
        var run = Integrate("sin(x)", "--from", "-inf", "--to", "inf", "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(run.StandardError);
        using var json = JsonDocument.Parse(Assert.Single(run.OutputLines));
        var root = json.RootElement;
        Assert.False(root.GetProperty("converged").GetBoolean());
        Assert.True(root.GetProperty("diverges").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("errorEstimate").ValueKind);
        Assert.StartsWith("The integral does not converge: ", root.GetProperty("message").GetString());
    }

    [Fact]
    public void Constant_IsAFunctionOfTheVariableNamed()
    {
        var run = Integrate("3", "--var", "t", "--from", "0", "--to", "2", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(Assert.Single(run.OutputLines));
        Assert.Equal("t", json.RootElement.GetProperty("variable").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("value").GetDouble(), 1e-12);
    }

    [Fact]
    public void Divergent_Json_SaysConvergedFalse_WithTheReason()
    {
        var run = Integrate("exp(x)", "--from", "0", "--to", "inf", "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(run.StandardError);
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.False(json.RootElement.GetProperty("converged").GetBoolean());
        Assert.Contains("Infinity", json.RootElement.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(new[] { "x^2)", "--from", "0", "--to", "1" }, "error: cannot read the expression \"x^2)\": unexpected ')' at column 4: no '(' matches it")]
    [InlineData(new[] { "x*y", "--from", "0", "--to", "1" }, "error: the expression \"x*y\" has several variables (x, y): choose one with --var, as --var x.")]
    [InlineData(new[] { "x*y", "--var", "x", "--from", "0", "--to", "1" }, "error: --at: no value for 'y'; give one with --at y=VALUE.")]
    [InlineData(new[] { "x", "--from", "0", "--to", "1", "--at", "x=2" }, "error: --at x=...: 'x' is the variable itself; give values for the other variables only.")]
    [InlineData(new[] { "x", "--from", "zero", "--to", "1" }, "error: --from expects a number such as 1.5, -2e-3 or pi/2, or inf, got \"zero\".")]
    [InlineData(new[] { "x", "--from", "0", "--to", "nan" }, "error: --to expects a number such as 1.5, -2e-3 or pi/2, or inf, got \"nan\".")]
    [InlineData(new[] { "x", "--from", "0", "--to", "1", "--tol", "-1" }, "error: --tol and --abs-tol must be non-negative, got --tol -1 and --abs-tol 1e-12.")]
    [InlineData(new[] { "x", "--from", "0", "--to", "1", "--tol", "0", "--abs-tol", "0" }, "error: --tol and --abs-tol are both 0: no error estimate can meet that; give at least one of them a positive value.")]
    [InlineData(new[] { "x", "--from", "0", "--to", "1", "--tol", "1e-20", "--abs-tol", "0" }, "error: --tol 1E-20 is below 1.1E-14 (50 ulps), which double precision cannot meet; raise it or give an --abs-tol.")]
    [InlineData(new[] { "x", "--from", "0", "--to", "1", "--max-evals", "5" }, "error: --max-evals is 5, but one 21-point Gauss–Kronrod rule needs 21 evaluations on this range.")]
    [InlineData(new[] { "x", "--from", "0", "--to", "1", "--max-evals", "0" }, "error: --max-evals must be positive, got 0.")]
    [InlineData(new[] { "x", "--from", "-inf", "--to", "inf", "--max-evals", "29" }, "error: --max-evals is 29, but this range is integrated in 2 pieces ((−∞, 0], [0, ∞)), and one 15-point Gauss–Kronrod rule on each needs 30 evaluations.")]
    [InlineData(new[] { "1", "--var", "2x", "--from", "0", "--to", "1" }, "error: --var 2x: not a variable name; give a name such as x or t.")]
    public void BadInput_IsOneLine_ExitCode1(string[] args, string message)
    {
        var run = Integrate(args);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(message, Assert.Single(run.ErrorLines));
        Assert.Empty(run.StandardOutput);
    }

    [Theory]
    [InlineData("integrate", "x", "--from", "0")]
    [InlineData("integrate", "x", "--to", "1")]
    [InlineData("integrate", "x", "--from", "0", "--to", "1", "--tol", "small")]
    [InlineData("integrate", "x", "--from", "0", "--to", "1", "--tol", "1,0")]
    [InlineData("integrate", "x", "--from", "0", "--to", "1", "--abs-tol", "0,001")]
    public void UsageError_ExitCode2_PointsToHelp(params string[] args)
    {
        var run = ProgramRun.Start(Cli, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.ErrorLines[0]);
        Assert.Equal("Run 'nabla integrate --help' for usage.", run.ErrorLines[^1]);
    }
    private static JsonDocument MonteCarloJson(params string[] args)
    {
        var run = Integrate([.. args, "--method", "monte-carlo", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(Assert.Single(run.OutputLines));
    }

    // σ² is the variance of (B − A)·f(U) for U uniform on [A, B] (or of f(X) for the distribution), by hand,
    // so the standard error should be σ/√samples.
    [Theory]
    [InlineData(new[] { "x^2", "--from", "0", "--to", "1" }, 1.0 / 3, 4.0 / 45)]                                  // Var[U²] = 1/5 − 1/9
    [InlineData(new[] { "sin(x)", "--from", "0", "--to", "pi" }, 2.0, Math.PI * Math.PI / 2 - 4)]               // π²·(1/2 − 4/π²)
    [InlineData(new[] { "exp(t)", "--from", "-1", "--to", "2", "--samples", "200000", "--seed", "5" }, 7.021176657759208, 32.39730046539869)]   // e² − 1/e
    [InlineData(new[] { "x^2", "--distribution", "normal" }, 1.0, 2.0)]                                           // E[X⁴] − 1
    [InlineData(new[] { "relu(x)", "--distribution", "normal" }, 0.3989422804014327, 0.3408450569081047)]       // 1/√(2π); ½ − 1/(2π)
    [InlineData(new[] { "exp(x)", "--distribution", "normal" }, 1.6487212707001282, 4.6707742704716050)]         // e^½; e² − e
    [InlineData(new[] { "x^2", "--distribution", "normal", "--mean", "1", "--std", "2", "--seed", "9" }, 5.0, 48.0)]  // μ² + σ²; 4σ²μ² + 2σ⁴
    [InlineData(new[] { "a*x", "--var", "x", "--at", "a=3", "--from", "0", "--to", "2" }, 6.0, 12.0)]            // 2·3·U, U on [0, 2]: Var = 36·1/3
    public void MonteCarlo_IsWithinFourStandardErrors_WithTheAnalyticStandardError(string[] args, double exact, double variance)
    {
        using var json = MonteCarloJson(args);
        var root = json.RootElement;
        double value = root.GetProperty("value").GetDouble(), standardError = root.GetProperty("standardError").GetDouble();
        int samples = root.GetProperty("samples").GetInt32();

        Assert.Equal("monte-carlo", root.GetProperty("method").GetString());
        Assert.True(Math.Abs(value - exact) <= 4 * standardError, $"{value} ± {standardError}, exact {exact}");
        Assert.InRange(standardError / Math.Sqrt(variance / samples), 0.95, 1.05);
        var interval = root.GetProperty("interval95");
        Assert.Equal(value - 1.959963984540054 * standardError, interval[0].GetDouble(), 1e-12);
        Assert.Equal(value + 1.959963984540054 * standardError, interval[1].GetDouble(), 1e-12);
    }

    [Fact]
    public void MonteCarlo_Text_ShowsTheEstimateStandardErrorIntervalAndSamples()
    {
        var run = Integrate("x^2", "--from", "0", "--to", "1", "--method", "monte-carlo", "--samples", "10000", "--seed", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.OutputLines.Length);
        double value = double.Parse(run.OutputLines[0], CultureInfo.InvariantCulture);
        Assert.InRange(value, 1.0 / 3 - 0.012, 1.0 / 3 + 0.012);   // 4 standard errors of √(4/45/10⁴) ≈ 0.003
        Assert.Matches(@"^standard error 0\.00\d+, 95 % interval \[0\.3\d+, 0\.3\d+\], 10000 samples, seed 1$", run.OutputLines[1]);
        Assert.Empty(run.StandardError);
    }

    [Fact]
    public void MonteCarlo_SameSeedSameOutput_AnotherSeedAnotherEstimate()
    {
        string[] args = ["exp(-x^2)", "--from", "-2", "--to", "2", "--method", "monte-carlo", "--samples", "50000"];
        var first = Integrate([.. args, "--seed", "42"]);
        var again = Integrate([.. args, "--seed", "42"]);
        var other = Integrate([.. args, "--seed", "43"]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(first.StandardOutput, again.StandardOutput);
        Assert.NotEqual(first.OutputLines[0], other.OutputLines[0]);
    }

    [Fact]
    public void MonteCarlo_Json_CarriesTheSettings()
    {
        using var json = MonteCarloJson("exp(x)", "--distribution", "normal", "--mean", "0.5", "--std", "0.25", "--samples", "1000", "--seed", "7");
        var root = json.RootElement;

        Assert.Equal("normal", root.GetProperty("distribution").GetString());
        Assert.Equal(0.5, root.GetProperty("mean").GetDouble());
        Assert.Equal(0.25, root.GetProperty("std").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("from").ValueKind);
        Assert.Equal(1000, root.GetProperty("samples").GetInt32());
        Assert.Equal(7UL, root.GetProperty("seed").GetUInt64());
    }

    [Fact]
    public void Adaptive_Json_SaysItsMethod()
    {
        using var json = JsonDocument.Parse(Integrate("x", "--from", "0", "--to", "1", "--json").StandardOutput);
        Assert.Equal("adaptive", json.RootElement.GetProperty("method").GetString());
    }

    [Theory]
    [InlineData(new[] { "x", "--from", "0", "--to", "inf" },
        "error: --method monte-carlo samples uniformly between --from and --to, which needs a finite interval, got [0, Infinity]; use --method adaptive for an infinite range, or --distribution normal [--mean M --std S] for an expectation over the whole line.")]
    [InlineData(new[] { "x", "--from", "-1e308", "--to", "1e308" },
        "error: --method monte-carlo samples uniformly between --from and --to, which needs a finite interval, got [-1e+308, 1e+308]; use --method adaptive for an infinite range, or --distribution normal [--mean M --std S] for an expectation over the whole line.")]
    [InlineData(new[] { "x", "--from", "0", "--to", "1", "--samples", "1" }, "error: --samples must be from 2 to 100,000,000, got 1.")]
    [InlineData(new[] { "x", "--from", "0", "--to", "1", "--samples", "100000001" }, "error: --samples must be from 2 to 100,000,000, got 100000001.")]
    [InlineData(new[] { "x", "--distribution", "normal", "--std", "0" },
        "error: --distribution normal needs a finite --mean and a positive, finite --std, got --mean 0 and --std 0.")]
    [InlineData(new[] { "x", "--distribution", "normal", "--mean", "1e999" },
        "error: --distribution normal needs a finite --mean and a positive, finite --std, got --mean Infinity and --std 1.")]
    [InlineData(new[] { "log(t)", "--from", "-1", "--to", "1", "--seed", "0" },
        "error: \"log(t)\" is NaN at t = -0.7939600212099274 (draw 3 of 1000000, seed 0); Monte Carlo needs an integrand that is finite wherever it samples.")]
    [InlineData(new[] { "exp(x^2)", "--distribution", "normal", "--std", "100", "--samples", "10" },
        "error: \"exp(x^2)\" is Infinity at x = -40.37210970508877 (draw 2 of 10, seed 0); Monte Carlo needs an integrand that is finite wherever it samples.")]
    public void MonteCarlo_BadInput_IsOneLine_ExitCode1(string[] args, string message)
    {
        var run = Integrate([.. args, "--method", "monte-carlo"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(message, Assert.Single(run.ErrorLines));
        Assert.Empty(run.StandardOutput);
    }

    [Theory]
    [InlineData("1/x", "-1")]        // ∫₋₁¹ dx/x does not exist; uniform draws still gave "-2.96 ± 2.33" with exit code 0
    [InlineData("x^(-0.75)", "0")]   // the integral is 4, but f² is not integrable: the standard error means nothing
    public void MonteCarlo_OfAnIntegrandWithoutFiniteVariance_IsRefused(string expression, string from)
    {
        var run = Integrate(expression, "--from", from, "--to", "1", "--method", "monte-carlo", "--samples", "100000");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches($@"^error: ""{Regex.Escape(expression)}"" looks to have no finite variance: the draw at x = -?[0-9.e-]+ alone carries \d+ % of the sum of the squared values, "
            + @"so the standard error means nothing and the estimate cannot be trusted \(a singularity near there\?\); use --method adaptive, which says whether the integral converges\.$",
            Assert.Single(run.ErrorLines));
        Assert.Empty(run.StandardOutput);
    }

    [Theory]
    [InlineData("error: --tol does not apply to --method monte-carlo: its accuracy is set by --samples (the standard error shrinks as 1/√samples).",
        "x", "--from", "0", "--to", "1", "--method", "monte-carlo", "--tol", "1e-3")]
    [InlineData("error: --max-evals does not apply to --method monte-carlo: its accuracy is set by --samples (the standard error shrinks as 1/√samples).",
        "x", "--from", "0", "--to", "1", "--method", "monte-carlo", "--max-evals", "100")]
    [InlineData("error: --samples applies only to --method monte-carlo.", "x", "--from", "0", "--to", "1", "--samples", "100")]
    [InlineData("error: --seed applies only to --method monte-carlo.", "x", "--from", "0", "--to", "1", "--seed", "1")]
    [InlineData("error: --distribution applies only to --method monte-carlo.", "x", "--distribution", "normal")]
    [InlineData("error: --from and --to do not apply with --distribution: the expectation is over the whole line, weighted by the distribution.",
        "x", "--from", "0", "--method", "monte-carlo", "--distribution", "normal")]
    [InlineData("error: --mean and --std need --distribution normal.", "x", "--from", "0", "--to", "1", "--method", "monte-carlo", "--std", "2")]
    [InlineData("error: --from and --to are required (or, with --method monte-carlo, --distribution normal for an expectation).", "x", "--method", "monte-carlo")]
    public void MonteCarlo_OptionsThatDoNotGoTogether_AreUsageErrors(string message, params string[] args)
    {
        var run = Integrate(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(message, run.ErrorLines[0]);
        Assert.Equal("Run 'nabla integrate --help' for usage.", run.ErrorLines[^1]);
    }

    [Theory]
    [InlineData("simpson", "x", "--from", "0", "--to", "1", "--method", "simpson")]
    [InlineData("cauchy", "x", "--method", "monte-carlo", "--distribution", "cauchy")]
    public void MonteCarlo_UnknownWord_IsAUsageError(string word, params string[] args)
    {
        var run = Integrate(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(word, run.ErrorLines[0]);
    }
}
