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
/// does not converge shows no value at all, only why, and exits 1. With <c>--method monte-carlo</c>
/// the integral, or an expectation under a normal distribution, is estimated by sampling instead
/// (<see cref="MonteCarloIntegration"/>).
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
            Description = "The lower bound: a number, a constant expression such as pi/2, or -inf. Required, except with --distribution.",
        };
        var to = new Option<string>("--to")
        {
            Description = "The upper bound: a number, a constant expression such as pi/2, or inf. Required, except with --distribution.",
        };
        var variable = new Option<string?>("--var")
        {
            Description = "The variable of integration; needed only when the expression has several.",
        };
        var at = new Option<string[]>("--at")
        {
            Description = "The value of each other variable, as --at y=2 (repeat the option).",
        };
        var method = new Option<string>("--method")
        {
            Description = "adaptive: Gauss–Kronrod quadrature to --tol (the default). monte-carlo: (B − A) times the mean of the integrand at "
                + "--samples points drawn uniformly from [A, B], with its standard error and 95 % interval; reproducible with --seed. "
                + "Its error shrinks only as 1/√samples, so adaptive is far more accurate for these one-variable integrals.",
            DefaultValueFactory = _ => MonteCarloIntegration.Adaptive,
        };
        method.AcceptOnlyFromAmong(MonteCarloIntegration.Adaptive, MonteCarloIntegration.MonteCarlo);
        var tolerance = new Option<double>("--tol")
        {
            Description = "The relative accuracy asked for (adaptive only).",
            DefaultValueFactory = _ => 1e-10,
            CustomParser = InvariantNumber.Parse,
        };
        var absoluteTolerance = new Option<double>("--abs-tol")
        {
            Description = "The absolute accuracy asked for (what lets an integral whose value is 0 converge; adaptive only).",
            DefaultValueFactory = _ => 1e-12,
            CustomParser = InvariantNumber.Parse,
        };
        var maxEvaluations = new Option<int>("--max-evals")
        {
            Description = "The most evaluations of the integrand the quadrature may make; when it fails, as many again may go to checking whether the integral converges at all (adaptive only).",
            DefaultValueFactory = _ => Integrate.DefaultMaxEvaluations,
            CustomParser = InvariantNumber.ParseWhole<int>,
        };
        var samples = new Option<int>("--samples")
        {
            Description = $"How many points monte-carlo draws, from 2 to {MonteCarloIntegration.MaxSamples:N0} (the error shrinks as 1/√samples).",
            DefaultValueFactory = _ => MonteCarloIntegration.DefaultSamples,
            CustomParser = InvariantNumber.ParseWhole<int>,
        };
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seeds monte-carlo's draws: the same seed gives the same estimate.",
            DefaultValueFactory = _ => 0UL,
            CustomParser = InvariantNumber.ParseWhole<ulong>,
        };
        var distribution = new Option<string?>("--distribution")
        {
            Description = "With --method monte-carlo and no --from/--to: estimate the expectation E[f(X)] for X ~ normal(--mean, --std), "
                + "an integral over the whole line weighted by the normal density.",
        };
        distribution.AcceptOnlyFromAmong(MonteCarloIntegration.Normal);
        var mean = new Option<double>("--mean")
        {
            Description = "The mean of --distribution normal.",
            DefaultValueFactory = _ => 0,
            CustomParser = InvariantNumber.Parse,
        };
        var std = new Option<double>("--std")
        {
            Description = "The standard deviation of --distribution normal, positive.",
            DefaultValueFactory = _ => 1,
            CustomParser = InvariantNumber.Parse,
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object with the method and value; adaptive adds the error estimate, evaluations, whether it converged "
                + "and whether it diverges, monte-carlo the standard error, 95 % interval, samples and seed.",
        };

        var command = new Command("integrate",
            "Integrate an expression over an interval, finite or infinite, by adaptive Gauss–Kronrod quadrature, or estimate the integral "
            + "or an expectation under a normal distribution by Monte Carlo sampling.")
        {
            expression, from, to, variable, at, method, tolerance, absoluteTolerance, maxEvaluations, samples, seed, distribution, mean, std, json,
        };
        command.Validators.Add(result =>
        {
            bool monteCarlo = result.GetValue(method) == MonteCarloIntegration.MonteCarlo;
            bool expectation = result.GetResult(distribution) is not null;
            bool Given(Option option) => result.GetResult(option) is { Implicit: false };
            if (!expectation && (!Given(from) || !Given(to)))
                result.AddError("--from and --to are required (or, with --method monte-carlo, --distribution normal for an expectation).");
            if (expectation && (Given(from) || Given(to)))
                result.AddError("--from and --to do not apply with --distribution: the expectation is over the whole line, weighted by the distribution.");
            if (!expectation && (Given(mean) || Given(std)))
                result.AddError("--mean and --std need --distribution normal.");
            foreach (var option in new Option[] { samples, seed, distribution })
                if (!monteCarlo && Given(option)) result.AddError($"{option.Name} applies only to --method monte-carlo.");
            foreach (var option in new Option[] { tolerance, absoluteTolerance, maxEvaluations })
                if (monteCarlo && Given(option))
                    result.AddError($"{option.Name} does not apply to --method monte-carlo: its accuracy is set by --samples (the standard error shrinks as 1/√samples).");
        });
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () => Execute(new Request(
            parse.GetValue(expression)!, parse.GetValue(from), parse.GetValue(to), parse.GetValue(variable), parse.GetValue(at) ?? [],
            parse.GetValue(tolerance), parse.GetValue(absoluteTolerance), parse.GetValue(maxEvaluations), parse.GetValue(json),
            parse.GetValue(method) == MonteCarloIntegration.MonteCarlo
                ? new MonteCarloIntegration.Settings(parse.GetValue(samples), parse.GetValue(seed), parse.GetValue(distribution), parse.GetValue(mean), parse.GetValue(std))
                : null))));
        return command;
    }

    /// <summary>What the user asked for; <paramref name="MonteCarlo"/> is null for the adaptive method, and the bounds are null with a distribution.</summary>
    private sealed record Request(string Text, string? From, string? To, string? Variable, string[] At,
        double Tolerance, double AbsoluteTolerance, int MaxEvaluations, bool Json, MonteCarloIntegration.Settings? MonteCarlo);

    private static int Execute(Request request)
    {
        var expression = MathInput.ParseExpression(request.Text);
        string variable = MathInput.ResolveVariable(expression, request.Text, request.Variable, "--var");
        if (request.MonteCarlo is { } settings)
            return MonteCarloIntegration.Execute(settings, expression, request.Text, variable, request.At, request.From, request.To, request.Json);
        double a = MathInput.ParseNumber(request.From!, "--from", allowInfinity: true);
        double b = MathInput.ParseNumber(request.To!, "--to", allowInfinity: true);
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
            ["method"] = MonteCarloIntegration.Adaptive,
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
