using System.CommandLine;
using System.Text.Json.Nodes;
using Nabla.Calculus;
using Nabla.Symbolic;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla integrate EXPR --from A --to B</c>: a definite integral by adaptive Gauss–Kronrod
/// quadrature (<see cref="Integrate.Adaptive"/>), with its error estimate and the evaluations it
/// took. An integral that misses its tolerance is still shown, marked as not converged, and the
/// command exits 1: a result that is not trustworthy is never passed off as one. An integral that
/// does not converge shows no value at all, only why, and exits 1.
/// </summary>
internal static class IntegrateCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var expression = new Argument<string>("expression")
        {
            Description = "The integrand, such as \"exp(-x^2)\" (the syntax of 'nabla diff'). Quote it for the shell.",
        };
        var from = new Option<string>("--from")
        {
            Description = "The lower bound: a number, a constant expression such as pi/2, or -inf.",
            Required = true,
        };
        var to = new Option<string>("--to")
        {
            Description = "The upper bound: a number, a constant expression such as pi/2, or inf.",
            Required = true,
        };
        var variable = new Option<string?>("--var")
        {
            Description = "The variable of integration; needed only when the expression has several.",
        };
        var at = new Option<string[]>("--at")
        {
            Description = "The value of each other variable, as --at y=2 (repeat the option).",
        };
        var tolerance = new Option<double>("--tol")
        {
            Description = "The relative accuracy asked for.",
            DefaultValueFactory = _ => 1e-10,
            CustomParser = InvariantNumber.Parse,
        };
        var absoluteTolerance = new Option<double>("--abs-tol")
        {
            Description = "The absolute accuracy asked for (what lets an integral whose value is 0 converge).",
            DefaultValueFactory = _ => 1e-12,
            CustomParser = InvariantNumber.Parse,
        };
        var maxEvaluations = new Option<int>("--max-evals")
        {
            Description = "The most evaluations of the integrand the quadrature may make; when it fails, as many again may go to checking whether the integral converges at all.",
            DefaultValueFactory = _ => Integrate.DefaultMaxEvaluations,
            CustomParser = InvariantNumber.ParseWhole<int>,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the value, error estimate, evaluations, whether it converged and whether it diverges." };

        var command = new Command("integrate", "Integrate an expression over an interval, finite or infinite, by adaptive Gauss–Kronrod quadrature.")
        {
            expression, from, to, variable, at, tolerance, absoluteTolerance, maxEvaluations, json,
        };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () => Execute(new Request(
            parse.GetValue(expression)!, parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(variable), parse.GetValue(at) ?? [],
            parse.GetValue(tolerance), parse.GetValue(absoluteTolerance), parse.GetValue(maxEvaluations), parse.GetValue(json)))));
        return command;
    }

    private sealed record Request(string Text, string From, string To, string? Variable, string[] At,
        double Tolerance, double AbsoluteTolerance, int MaxEvaluations, bool Json);

    private static int Execute(Request request)
    {
        var expression = MathInput.ParseExpression(request.Text);
        string variable = MathInput.ResolveVariable(expression, request.Text, request.Variable, "--var");
        double a = MathInput.ParseNumber(request.From, "--from", allowInfinity: true);
        double b = MathInput.ParseNumber(request.To, "--to", allowInfinity: true);
        if (!(request.Tolerance >= 0) || !(request.AbsoluteTolerance >= 0))
            throw new CommandInputException($"--tol and --abs-tol must be non-negative, got --tol {CommandOutput.Format(request.Tolerance)} and --abs-tol {CommandOutput.Format(request.AbsoluteTolerance)}.");
        if (request.MaxEvaluations < 1)
            throw new CommandInputException($"--max-evals must be positive, got {request.MaxEvaluations}.");
        var f = MathInput.BindAllBut(expression, request.Text, variable, request.At, "--at", out var bindings);

        IntegrationResult result;
        try
        {
            result = Integrate.Adaptive(f, a, b, request.Tolerance, request.AbsoluteTolerance, request.MaxEvaluations);
        }
        catch (ArgumentException e)
        {
            // The integrator's own checks (a tolerance double precision cannot meet, a budget too small for one rule).
            // .NET appends " (Parameter 'name') Actual value was ..." to the message; the command names options instead.
            int suffix = e.Message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            string message = suffix < 0 ? e.Message : e.Message[..suffix];
            throw new CommandInputException(ForTheCommandLine(message));
        }

        // No sampling tells the zero function from a peak between the points sampled, so on a wide or infinite
        // range the quadrature cannot vouch for a 0; an integrand written as the constant 0 is 0 everywhere.
        if (!result.Converged && expression.Variables.Count == 0 && expression.Evaluate() == 0)
            result = result with { Value = 0, ErrorEstimate = 0, Converged = true, Message = null };

        if (request.Json) WriteJson(request, variable, a, b, bindings, result);
        else if (!result.Diverges)
        {
            Console.Out.WriteLine(CommandOutput.Format(result.Value));
            Console.Out.WriteLine($"error estimate {CommandOutput.Brief(result.ErrorEstimate)}, {result.Evaluations} evaluations{(result.Converged ? "" : ", NOT converged")}");
        }
        if (result.Converged) return ExitCodes.Success;
        if (!request.Json)
        {
            string reason = ForTheCommandLine(result.Message ?? "");
            Console.Error.WriteLine(result.Diverges
                ? $"error: {char.ToLowerInvariant(reason[0])}{reason[1..]}"
                : $"error: the integral did not reach the tolerance (relative {CommandOutput.Format(request.Tolerance)}, absolute {CommandOutput.Format(request.AbsoluteTolerance)}): {reason}");
        }
        return ExitCodes.Failure;
    }

    /// <summary>The integrator's messages name its parameters; here the user sets them with options.</summary>
    private static string ForTheCommandLine(string message) => message
        .Replace("maxEvaluations", "--max-evals", StringComparison.Ordinal)
        .Replace("relativeTolerance", "--tol", StringComparison.Ordinal)
        .Replace("absoluteTolerance", "--abs-tol", StringComparison.Ordinal);

    private static void WriteJson(Request request, string variable, double a, double b, Dictionary<string, double> bindings, IntegrationResult result)
    {
        var json = new JsonObject
        {
            ["command"] = "integrate",
            ["expression"] = request.Text,
            ["variable"] = variable,
            ["from"] = CommandOutput.Json(a),
            ["to"] = CommandOutput.Json(b),
            ["at"] = CommandOutput.Json(bindings),
            // The quadrature's last sum means nothing for an integral that does not converge.
            ["value"] = result.Diverges ? null : CommandOutput.Json(result.Value),
            ["errorEstimate"] = result.Diverges ? null : CommandOutput.Json(result.ErrorEstimate),
            ["evaluations"] = result.Evaluations,
            ["intervals"] = result.Intervals,
            ["converged"] = result.Converged,
            ["diverges"] = result.Diverges,
            ["message"] = result.Converged ? null : ForTheCommandLine(result.Message ?? ""),
            ["relativeTolerance"] = request.Tolerance,
            ["absoluteTolerance"] = request.AbsoluteTolerance,
        };
        CommandOutput.WriteJson(json);
    }
}
