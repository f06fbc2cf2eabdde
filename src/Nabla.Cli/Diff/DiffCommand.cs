using System.CommandLine;
using System.Text.Json.Nodes;
using Nabla.Symbolic;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla diff EXPR</c>: the simplified symbolic derivative of an expression (as text or LaTeX),
/// optionally of a higher order and its value at a point. The calculus is the library's
/// (<see cref="Expr.Differentiate"/>, <see cref="Expr.Evaluate(IReadOnlyDictionary{string, double})"/>);
/// this file only reads the arguments and shows the result.
/// </summary>
internal static class DiffCommand
{
    /// <summary>The highest --order accepted: derivatives of higher orders grow large and say little.</summary>
    public const int MaxOrder = 20;

    public static Command Create(Option<bool> verbose)
    {
        var expression = new Argument<string>("expression")
        {
            Description = "The expression, such as \"x^2*sin(x)\": + - * / ^, parentheses, sin cos tan exp log sqrt abs tanh sigmoid asin acos atan sinh cosh, pi and e. Quote it for the shell.",
        };
        var variable = new Option<string?>("--var")
        {
            Description = "The variable to differentiate by; needed only when the expression has several.",
        };
        var order = new Option<int>("--order")
        {
            Description = $"How many times to differentiate, 1 to {MaxOrder}.",
            DefaultValueFactory = _ => 1,
            CustomParser = InvariantNumber.ParseWhole<int>,
        };
        var at = new Option<string[]>("--at")
        {
            Description = "Also evaluate the derivative at a point: --at 1.5 for the variable, --at y=2 for each other variable (repeat the option). Values may be expressions such as pi/2.",
        };
        var latex = new Option<bool>("--latex") { Description = "Print the derivative as LaTeX." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the expression, the derivative (text and LaTeX) and its value." };

        var command = new Command("diff", "Differentiate an expression symbolically, and optionally evaluate the derivative at a point.")
        {
            expression, variable, order, at, latex, json,
        };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () => Execute(
            parse.GetValue(expression)!, parse.GetValue(variable), parse.GetValue(order), parse.GetValue(at) ?? [],
            parse.GetValue(latex), parse.GetValue(json))));
        return command;
    }

    private static int Execute(string text, string? variableOption, int order, string[] at, bool latex, bool json)
    {
        if (order is < 1 or > MaxOrder)
            throw new CommandInputException($"--order must be between 1 and {MaxOrder}, got {order}.");
        var expression = MathInput.ParseExpression(text);
        string variable = MathInput.ResolveVariable(expression, text, variableOption, "--var");
        var derivative = expression.Differentiate(variable, order);

        Dictionary<string, double>? point = null;
        double? value = null;
        if (at.Length > 0)
        {
            point = MathInput.ParseBindings(at, expression, text, variable, "--at");
            MathInput.RequireBindings(derivative, point, "--at");
            value = derivative.Evaluate(point);
        }

        if (json) WriteJson(text, variable, order, derivative, point, value);
        else
        {
            Console.Out.WriteLine(latex ? derivative.ToLatex() : derivative.ToString());
            if (value is double v)
                Console.Out.WriteLine($"at {string.Join(", ", point!.Select(b => $"{b.Key} = {CommandOutput.Format(b.Value)}"))}: {CommandOutput.Format(v)}");
        }
        return ExitCodes.Success;
    }

    private static void WriteJson(string text, string variable, int order, Expr derivative, Dictionary<string, double>? point, double? value)
    {
        var json = new JsonObject
        {
            ["command"] = "diff",
            ["expression"] = text,
            ["variable"] = variable,
            ["order"] = order,
            ["derivative"] = derivative.ToString(),
            ["latex"] = derivative.ToLatex(),
            ["at"] = point is null ? null : CommandOutput.Json(point),
            ["value"] = value is double v ? CommandOutput.Json(v) : null,
        };
        CommandOutput.WriteJson(json);
    }
}
