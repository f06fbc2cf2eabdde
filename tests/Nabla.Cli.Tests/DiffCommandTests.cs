using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Nabla.Cli.Tests;

/// <summary><c>nabla diff</c>, run as a process: derivatives as text and LaTeX, values at a point, JSON, and every kind of bad input.</summary>
public sealed class DiffCommandTests
{
    private static string Cli => RepositoryLayout.CliAssembly;

    private static ProgramRun Diff(params string[] args) => ProgramRun.Start(Cli, ["diff", .. args]);

    [Theory]
    [InlineData("x^2*sin(x)", "x^2*cos(x) + 2*x*sin(x)")]
    [InlineData("x^2", "2*x")]
    [InlineData("exp(2*x)", "2*exp(2*x)")]
    [InlineData("log(x)", "1/x")]
    [InlineData("sqrt(x)", "1/(2*sqrt(x))")]
    [InlineData("1/x", "-1/x^2")]
    [InlineData("-x^2", "-2*x")]   // a leading '-' is the expression, not an option
    [InlineData("relu(x)", "heaviside(x)")]
    [InlineData("softplus(2*x)", "2*sigmoid(2*x)")]
    [InlineData("log1p(x^2)", "2*x/(x^2 + 1)")]
    [InlineData("erf(x)", "2*exp(-x^2)/sqrt(pi)")]
    [InlineData("heaviside(x)*x", "heaviside(x)")]
    [InlineData("max(x, 3)", "heaviside(x - 3)")]
    [InlineData("min(x^2, 1)", "2*x*heaviside(1 - x^2)")]
    public void Plain_PrintsTheSimplifiedDerivative(string expression, string expected)
    {
        var run = Diff(expression);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expected, Assert.Single(run.OutputLines));
        Assert.Empty(run.StandardError);
    }

    // SymPy's values (tools/fixtures/sympy_derivatives.py translates the same way): d/dx erf(2x)·x =
    // erf(2x) + 4x·e^(−4x²)/√π; d²/dx² softplus = σ(1 − σ); d/dx max(sin, cos) = cos where sin > cos.
    [Theory]
    [InlineData(new[] { "erf(2*x)*x", "--at", "0.5" }, 1.2578082903703096)]
    [InlineData(new[] { "softplus(x)", "--order", "2", "--at", "1" }, 0.19661193324148185)]
    [InlineData(new[] { "max(sin(x), cos(x))", "--at", "1" }, 0.5403023058681398)]
    [InlineData(new[] { "log1p(x)", "--at", "1e-17" }, 1.0)]
    // At a kink, the average of the two slopes: relu'(0) = 0.5, max(x, 2x)' = (1 + 2)/2 at 0, min(x, 0)' = 0.5.
    [InlineData(new[] { "relu(x)", "--at", "0" }, 0.5)]
    [InlineData(new[] { "max(x, 2*x)", "--at", "0" }, 1.5)]
    [InlineData(new[] { "min(x, 0)", "--at", "0" }, 0.5)]
    [InlineData(new[] { "relu(x)", "--at", "-1" }, 0.0)]
    public void NewFunctions_ValueAtAPoint(string[] args, double expected)
    {
        var run = Diff(args);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.OutputLines.Length);
        string line = run.OutputLines[1];
        double value = double.Parse(line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..], CultureInfo.InvariantCulture);
        Assert.Equal(expected, value, 1e-14);
    }

    [Fact]
    public void NewFunctions_Latex()
    {
        var run = Diff("max(x, 0) + erf(x)", "--latex");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(@"\frac{2 \cdot e^{-x^{2}}}{\sqrt{\pi}} + \theta\left(x\right)", Assert.Single(run.OutputLines));
    }

    [Fact]
    public void Help_StatesTheKinkConvention()
    {
        var run = Diff("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        string help = string.Join(' ', run.OutputLines.Select(l => l.Trim()));
        Assert.Contains("relu softplus log1p erf heaviside, max(a, b) and min(a, b)", help);
        Assert.Contains("relu'(0) = 0.5", help);
    }

    [Fact]
    public void Order2_DifferentiatesTwice()
    {
        var run = Diff("sin(x)", "--order", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("-sin(x)", Assert.Single(run.OutputLines));
    }

    [Fact]
    public void Latex_PrintsTheDerivativeAsLatex()
    {
        var run = Diff("x^2*sin(x)", "--latex");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(@"x^{2} \cdot \cos\left(x\right) + 2 \cdot x \cdot \sin\left(x\right)", Assert.Single(run.OutputLines));
    }

    [Fact]
    public void At_AddsTheValueAtThePoint()
    {
        var run = Diff("x^2*sin(x)", "--at", "1.5");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.OutputLines.Length);
        Assert.Equal("x^2*cos(x) + 2*x*sin(x)", run.OutputLines[0]);
        Assert.StartsWith("at x = 1.5: ", run.OutputLines[1]);
        double value = double.Parse(run.OutputLines[1]["at x = 1.5: ".Length..], CultureInfo.InvariantCulture);
        Assert.Equal(1.5 * 1.5 * Math.Cos(1.5) + 2 * 1.5 * Math.Sin(1.5), value, 1e-14);
    }

    [Fact]
    public void At_TakesConstantExpressionsAndNegativeNumbers()
    {
        var run = Diff("sin(x)", "--at", "pi/3", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using (var json = JsonDocument.Parse(run.StandardOutput))
            Assert.Equal(0.5, json.RootElement.GetProperty("value").GetDouble(), 1e-15);

        run = Diff("x^3", "--at", "-2");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("at x = -2: 12", run.OutputLines[1]);
    }

    [Fact]
    public void Json_IsOneObjectWithEveryField()
    {
        var run = Diff("x^3*y + sin(x*y)", "--var", "x", "--order", "2", "--at", "x=0.5", "--at", "y=2", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.OutputLines);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("diff", root.GetProperty("command").GetString());
        Assert.Equal("x^3*y + sin(x*y)", root.GetProperty("expression").GetString());
        Assert.Equal("x", root.GetProperty("variable").GetString());
        Assert.Equal(2, root.GetProperty("order").GetInt32());
        Assert.Equal("6*x*y - y^2*sin(x*y)", root.GetProperty("derivative").GetString());
        Assert.Equal(@"6 \cdot x \cdot y - y^{2} \cdot \sin\left(x \cdot y\right)", root.GetProperty("latex").GetString());
        var at = root.GetProperty("at");
        Assert.Equal(0.5, at.GetProperty("x").GetDouble());
        Assert.Equal(2, at.GetProperty("y").GetDouble());
        // ∂²/∂x² (x³y + sin xy) = 6xy − y² sin xy
        Assert.Equal(6 * 0.5 * 2 - 4 * Math.Sin(1.0), root.GetProperty("value").GetDouble(), 1e-14);
    }

    [Fact]
    public void Json_WithoutAt_HasNullPointAndValue()
    {
        var run = Diff("x^2", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("at").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("value").ValueKind);
        Assert.Equal("2*x", json.RootElement.GetProperty("derivative").GetString());
    }

    [Theory]
    [InlineData("sqrt(x)", "-1", "NaN")]
    [InlineData("1/x", "0", "-Infinity")]
    public void Json_NonFiniteValue_IsANamedString(string expression, string at, string expected)
    {
        var run = Diff(expression, "--at", at, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(expected, json.RootElement.GetProperty("value").GetString());
    }

    [Fact]
    public void SeveralVariables_PartialDerivativeByVar()
    {
        var run = Diff("x^2*y + sin(x*y)", "--var", "y", "--at", "x=1", "--at", "y=2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("x^2 + x*cos(x*y)", run.OutputLines[0]);
        Assert.Equal($"at x = 1, y = 2: {(1 + Math.Cos(2)).ToString("R", CultureInfo.InvariantCulture)}", run.OutputLines[1]);
    }

    [Fact]
    public void SeveralVariables_BareAtValueIsTheVarOne()
    {
        var run = Diff("x^2*y", "--var", "y", "--at", "3");   // ∂/∂y x²y = x²: needs x, not y

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("error: --at: no value for 'x'; give one with --at x=VALUE.", Assert.Single(run.ErrorLines));
    }

    [Theory]
    [InlineData(new[] { "x^2)" }, "error: cannot read the expression \"x^2)\": unexpected ')' at column 4: no '(' matches it")]
    [InlineData(new[] { "sin(x+)" }, "error: cannot read the expression \"sin(x+)\": unexpected ')' at column 7: expected a number, variable, function or '('")]
    [InlineData(new[] { "2x" }, "error: cannot read the expression \"2x\": missing operator before 'x' at column 2: there is no implicit multiplication, write 2*x")]
    [InlineData(new[] { "foo(x)" }, "error: cannot read the expression \"foo(x)\": unknown function 'foo' at column 1: 'foo' is not a function (known: sin, cos, tan, exp, log, sqrt, abs, tanh, sigmoid, asin, acos, atan, sinh, cosh, relu, softplus, log1p, erf, heaviside, max, min); for a product write foo*(...)")]
    [InlineData(new[] { "" }, "error: cannot read the expression \"\": empty expression")]
    [InlineData(new[] { "max(x)" }, "error: cannot read the expression \"max(x)\": function 'max' at column 1 takes 2 arguments, got 1: write max(a, b)")]
    [InlineData(new[] { "relu(x, 0)" }, "error: cannot read the expression \"relu(x, 0)\": unexpected ',' at column 7: relu takes one argument")]
    [InlineData(new[] { "x^2*y" }, "error: the expression \"x^2*y\" has several variables (x, y): choose one with --var, as --var x.")]
    [InlineData(new[] { "x^2", "--var", "z" }, "error: --var z: the expression \"x^2\" has no variable 'z' (its variables are x).")]
    [InlineData(new[] { "x^2", "--order", "0" }, "error: --order must be between 1 and 20, got 0.")]
    [InlineData(new[] { "x^2", "--order", "-1" }, "error: --order must be between 1 and 20, got -1.")]
    [InlineData(new[] { "x^2", "--order", "21" }, "error: --order must be between 1 and 20, got 21.")]
    [InlineData(new[] { "x^2", "--at", "abc" }, "error: --at x expects a number such as 1.5, -2e-3 or pi/2, got \"abc\".")]
    [InlineData(new[] { "x^2", "--at", "y" }, "error: --at x expects a number such as 1.5, -2e-3 or pi/2, got \"y\".")]
    [InlineData(new[] { "x^2", "--at", "inf" }, "error: --at x must be a finite number, got \"inf\".")]
    [InlineData(new[] { "x^2", "--at", "1e999" }, "error: --at x expects a number such as 1.5, -2e-3 or pi/2, got \"1e999\".")]
    [InlineData(new[] { "x^2", "--at", "z=1" }, "error: --at z=1: the expression \"x^2\" has no variable 'z' (its variables are x).")]
    [InlineData(new[] { "x^2", "--at", "x=1", "--at", "x=2" }, "error: --at: 'x' is given more than once.")]
    public void BadInput_IsOneLine_ExitCode1(string[] args, string message)
    {
        var run = Diff(args);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(message, Assert.Single(run.ErrorLines));
        Assert.Empty(run.StandardOutput);
    }

    // Process start and the work below take a second or two on a busy machine; these bounds guard
    // against the minutes the same commands took before derivatives shared their subexpressions.
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(30);

    private static readonly string NestedSin150 = string.Concat(Enumerable.Repeat("sin(", 150)) + "x" + new string(')', 150);

    [Fact]
    public void HighOrder_OfXToTheX_PrintsCompactly()
    {
        // SymPy's form, xˣ·Σ c·(log x + 1)ⁱ/xʲ, in 3.7 kB; it was 27 MB and took 76 s.
        var clock = Stopwatch.StartNew();
        var run = Diff("x^x", "--order", "20", "--at", "1.5");

        Assert.True(clock.Elapsed < Quick, $"took {clock.Elapsed}");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.OutputLines.Length);
        Assert.StartsWith("x^x*(log(x) + 1)^20 + 190*x^x*(log(x) + 1)^18/x + 14535*x^x*(log(x) + 1)^16/x^2 - ", run.OutputLines[0]);
        Assert.True(run.OutputLines[0].Length < 5000, $"{run.OutputLines[0].Length} characters");
        // SymPy, diff(x**x, x, 20) at 1.5 to 30 digits (tools/fixtures/sympy_high_order_derivatives.py).
        AssertClose(3478327844247.67225964974726063, ValueOf(run.OutputLines[1], "at x = 1.5: "), 1e-12);
        Assert.Empty(run.StandardError);
    }

    [Fact]
    public void TooLargeToPrint_IsRefusedNamingTheLimit()
    {
        var clock = Stopwatch.StartNew();
        var run = Diff("sin(sin(sin(sin(sin(x)))))", "--order", "20");

        Assert.True(clock.Elapsed < Quick, $"took {clock.Elapsed}");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(
            "error: the 20th derivative of \"sin(sin(sin(sin(sin(x)))))\" is too large to print: the 11th already has more than 100000 nodes (the limit); use --at to evaluate it at a point.",
            Assert.Single(run.ErrorLines));
        Assert.Empty(run.StandardOutput);
    }

    [Fact]
    public void NestedSin150_Order5_IsRefusedQuickly()
    {
        // It ran for more than 300 s: the 5th derivative of 150 nested sines has hundreds of millions of nodes.
        var clock = Stopwatch.StartNew();
        var run = Diff(NestedSin150, "--order", "5");

        Assert.True(clock.Elapsed < Quick, $"took {clock.Elapsed}");
        Assert.True(run.ExitCode == 1, run.ToString());
        string error = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: the 5th derivative of \"sin(sin(", error);
        Assert.EndsWith("x" + new string(')', 150) + "\" is too large to print: the 2nd already has more than 100000 nodes (the limit); use --at to evaluate it at a point.", error);
    }

    [Fact]
    public void NestedSin150_Order5_At_GivesTheValueFromTaylorSeries()
    {
        var clock = Stopwatch.StartNew();
        var run = Diff(NestedSin150, "--order", "5", "--at", "0.57399621961039");

        Assert.True(clock.Elapsed < Quick, $"took {clock.Elapsed}");
        Assert.True(run.ExitCode == 0, run.ToString());
        // mpmath at 60 and 80 digits (tools/fixtures/sympy_high_order_derivatives.py, nested_sin150_order5).
        AssertClose(32.610621467459794, ValueOf(Assert.Single(run.OutputLines), "at x = 0.57399621961039: "), 1e-12);
        string note = Assert.Single(run.ErrorLines);
        Assert.StartsWith("note: the 5th derivative of \"sin(sin(", note);
        Assert.EndsWith("\" is too large to print: the 2nd already has more than 100000 nodes (the limit); its value at the point comes from Taylor series instead.", note);
    }

    [Fact]
    public void TooLargeToPrint_Json_HasTheValueAndNoDerivative()
    {
        var run = Diff(NestedSin150, "--order", "20", "--at", "0.6109848856965634", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("derivative").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("latex").ValueKind);
        Assert.Equal(20, root.GetProperty("order").GetInt32());
        // mpmath (nested_sin150_order20): 2.495024380673188e+20.
        AssertClose(2.495024380673188e+20, root.GetProperty("value").GetDouble(), 1e-12);
        Assert.StartsWith("note: the 20th derivative of", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void TooLargeToPrint_At_NeedsEveryVariableOfTheExpression()
    {
        // Without the derivative there is no telling which variables it keeps: all of them need values.
        var run = Diff("sin(sin(sin(sin(sin(x*y)))))", "--var", "x", "--order", "20", "--at", "0.3");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("error: --at: no value for 'y'; give one with --at y=VALUE.", Assert.Single(run.ErrorLines));
        Assert.Empty(run.StandardOutput);
    }

    private static double ValueOf(string line, string prefix)
    {
        Assert.StartsWith(prefix, line);
        return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void BadExpression_WithVerbose_StillHasNoStackTrace()
    {
        var run = Diff("x^2)", "--verbose");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Single(run.ErrorLines);
        Assert.DoesNotContain(" at ", run.StandardError.Replace("at column", ""));
    }

    [Theory]
    [InlineData("diff")]
    [InlineData("diff", "x", "--order", "two")]
    [InlineData("diff", "x", "--bogus")]
    [InlineData("diff", "x", "y")]
    public void UsageError_ExitCode2_PointsToHelp(params string[] args)
    {
        var run = ProgramRun.Start(Cli, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.ErrorLines[0]);
        Assert.Equal("Run 'nabla diff --help' for usage.", run.ErrorLines[^1]);
    }
}
