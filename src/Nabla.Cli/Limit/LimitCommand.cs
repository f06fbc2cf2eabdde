using System.CommandLine;
using System.Text.Json.Nodes;
using Nabla.Calculus;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla limit EXPR --at A</c>: the limit of an expression as its variable approaches a point
/// or ±∞, from both sides or one (<see cref="Limit.Of"/>). A limit that does not exist is an answer,
/// not a failure: the command says why (the sides disagree, it grows without bound, it oscillates)
/// and exits 0. A limit that could not be determined (the values do not settle) is a failure: exit 1.
/// </summary>
internal static class LimitCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var expression = new Argument<string>("expression")
        {
            Description = "The expression, such as \"sin(x)/x\" (the syntax of 'nabla diff'). Quote it for the shell.",
        };
        var at = new Option<string[]>("--at")
        {
            Description = "The point the variable approaches: a number, a constant expression such as pi/2, inf or -inf; and the value of each other variable, as --at y=2 (repeat the option).",
            Required = true,
        };
        var side = new Option<string>("--side")
        {
            Description = "Approach from both sides, or from the left (x → a⁻) or the right (x → a⁺) only.",
            DefaultValueFactory = _ => "both",
        };
        side.AcceptOnlyFromAmong("both", "left", "right");
        var variable = new Option<string?>("--var")
        {
            Description = "The variable that approaches the point; needed only when the expression has several.",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with whether the limit exists, its value and error estimate, or why it does not exist." };

        var command = new Command("limit", "Find the limit of an expression at a point or at ±infinity, or say why it does not exist.")
        {
            expression, at, side, variable, json,
        };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () => Execute(
            parse.GetValue(expression)!, parse.GetValue(at) ?? [], parse.GetValue(side)!, parse.GetValue(variable), parse.GetValue(json))));
        return command;
    }

    private static int Execute(string text, string[] at, string sideName, string? variableOption, bool json)
    {
        var expression = MathInput.ParseExpression(text);
        string variable = MathInput.ResolveVariable(expression, text, variableOption, "--var");

        // The bare value (or variable=value) of --at is the point; the other name=value pairs bind the other variables.
        var point = at.Where(v => !v.Contains('=') || v[..v.IndexOf('=')].Trim() == variable).ToArray();
        if (point.Length != 1)
            throw new CommandInputException(point.Length == 0
                ? $"--at: give the point {variable} approaches, as --at 0 or --at inf."
                : $"--at: the point {variable} approaches is given {point.Length} times ({string.Join(", ", point)}).");
        string pointText = point[0].Contains('=') ? point[0][(point[0].IndexOf('=') + 1)..] : point[0];
        double a = MathInput.ParseNumber(pointText, "--at", allowInfinity: true);
        var side = sideName switch { "left" => LimitSide.Left, "right" => LimitSide.Right, _ => LimitSide.TwoSided };
        if (a == double.PositiveInfinity && side == LimitSide.Right)
            throw new CommandInputException("--side right: x → +inf can only be approached from the left (use --side left or leave --side out).");
        if (a == double.NegativeInfinity && side == LimitSide.Left)
            throw new CommandInputException("--side left: x → -inf can only be approached from the right (use --side right or leave --side out).");
        var f = MathInput.BindAllBut(expression, text, variable, at.Except(point), "--at", out var bindings);

        var result = Limit.Of(f, a, side);

        bool undetermined = result.Status == LimitStatus.NotConverged;
        if (json) WriteJson(text, variable, a, sideName, bindings, result);
        else if (result.Exists)
        {
            Console.Out.WriteLine(CommandOutput.Format(result.Value));
            Console.Out.WriteLine($"error estimate {CommandOutput.Brief(result.Error)}, {result.Evaluations} evaluations");
        }
        else if (undetermined)
        {
            Console.Error.WriteLine($"error: the limit could not be determined: {result.Reason}");
        }
        else
        {
            Console.Out.WriteLine($"does not exist: {result.Reason}");
        }
        return undetermined ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static void WriteJson(string text, string variable, double a, string side, Dictionary<string, double> bindings, LimitResult result)
    {
        var json = new JsonObject
        {
            ["command"] = "limit",
            ["expression"] = text,
            ["variable"] = variable,
            ["at"] = CommandOutput.Json(a),
            ["side"] = side,
            ["bindings"] = CommandOutput.Json(bindings),
            ["exists"] = result.Exists,
            ["value"] = result.Exists ? CommandOutput.Json(result.Value) : null,
            ["errorEstimate"] = result.Exists ? CommandOutput.Json(result.Error) : null,
            ["status"] = result.Status.ToString(),
            ["reason"] = result.Reason,
            ["left"] = result.Left is double l ? CommandOutput.Json(l) : null,
            ["right"] = result.Right is double r ? CommandOutput.Json(r) : null,
            ["evaluations"] = result.Evaluations,
        };
        CommandOutput.WriteJson(json);
    }
}
