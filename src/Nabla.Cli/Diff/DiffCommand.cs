using System.CommandLine;
using System.Text.Json.Nodes;
using Nabla.Symbolic;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla diff EXPR</c>: the simplified symbolic derivative of an expression (as text or LaTeX),
/// optionally of a higher order and its value at a point. The calculus is the library's
/// (<see cref="Expr.Differentiate(string, int, long)"/>, <see cref="Expr.Evaluate(IReadOnlyDictionary{string, double})"/>,
/// <see cref="Expr.DerivativeAt"/>); this file only reads the arguments and shows the result.
/// </summary>
/// <remarks>
/// A derivative of a high order can be far too large to print (the 5th of 150 nested sines has
/// hundreds of millions of nodes). Past <see cref="MaxPrintedNodes"/> the command stops differentiating and says so; with
/// --at it still gives the value, from Taylor series at the point, which never builds the derivative.
/// </remarks>
internal static class DiffCommand
{
    /// <summary>The highest --order accepted: derivatives of higher orders grow large and say little.</summary>
    public const int MaxOrder = 20;

    /// <summary>
    /// The most nodes a printed derivative may have: about 350 KB of text, which takes about half a
    /// second to build and print. Larger derivatives take longer, and help nobody as text.
    /// </summary>
    public const long MaxPrintedNodes = 100_000;

    public static Command Create(Option<bool> verbose)
    {
        var expression = new Argument<string>("expression")
        {
            Description = "The expression, such as \"x^2*sin(x)\": + - * / ^, parentheses, sin cos tan exp log sqrt abs tanh sigmoid asin acos atan "
                + "sinh cosh relu softplus log1p erf heaviside, max(a, b) and min(a, b), pi and e. At a kink the derivative is the average of the "
                + "slopes on either side (heaviside(0) = 0.5): relu'(0) = 0.5 (PyTorch's relu takes 0), and max and min give each argument half "
                + "where the two are equal (as PyTorch's maximum). Quote it for the shell.",
        };
        var variable = new Option<string?>("--var")
        {
            Description = "The variable to differentiate by; needed only when the expression has several.",
        };
        var order = new Option<int>("--order")
        {
            Description = $"How many times to differentiate, 1 to {MaxOrder}. A derivative of more than {MaxPrintedNodes} nodes is not printed; --at still evaluates it.",
            DefaultValueFactory = _ => 1,
            CustomParser = InvariantNumber.ParseWhole<int>,
        };
        var at = new Option<string[]>("--at")
        {
            Description = "Also evaluate the derivative at a point: --at 1.5 for the variable, --at y=2 for each other variable (repeat the option). Values may be expressions such as pi/2.",
        };
        var latex = new Option<bool>("--latex") { Description = "Print the derivative as LaTeX." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the expression, the derivative (text and LaTeX; null when too large to print) and its value." };

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
        var point = at.Length > 0 ? MathInput.ParseBindings(at, expression, text, variable, "--at") : null;

        Expr? derivative = null;
        double? value = null;
        try
        {
            derivative = expression.Differentiate(variable, order, MaxPrintedNodes);
            if (point is not null)
            {
                MathInput.RequireBindings(derivative, point, "--at");
                value = derivative.Evaluate(point);
            }
        }
        catch (ExpressionTooLargeException e)
        {
            string why = $"the {Ordinal(order)} derivative of \"{text}\" is too large to print: {GrowthOf(e, order)}";
            if (point is null) throw new CommandInputException($"{why}; use --at to evaluate it at a point.");
            // Without the derivative there is no telling which variables it keeps: all need values.
            MathInput.RequireBindings(expression, point, "--at");
            value = expression.DerivativeAt(variable, order, point);
            Console.Error.WriteLine($"note: {why}; its value at the point comes from Taylor series instead.");
        }

        if (json) WriteJson(text, variable, order, derivative, point, value);
        else
        {
            if (derivative is not null) Console.Out.WriteLine(latex ? derivative.ToLatex() : derivative.ToString());
            if (value is double v)
                Console.Out.WriteLine($"at {string.Join(", ", point!.Select(b => $"{b.Key} = {CommandOutput.Format(b.Value)}"))}: {CommandOutput.Format(v)}");
        }
        return ExitCodes.Success;
    }

    /// <summary>How far the derivative got: "it has more than N nodes", or at which lower order it outgrew them.</summary>
    private static string GrowthOf(ExpressionTooLargeException e, int order) => e.Order == order
        ? $"it has more than {e.Limit} nodes (the limit)"
        : $"the {Ordinal(e.Order)} already has more than {e.Limit} nodes (the limit)";

    /// <summary>1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st.</summary>
    private static string Ordinal(int n) => n + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch
    {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    });

    private static void WriteJson(string text, string variable, int order, Expr? derivative, Dictionary<string, double>? point, double? value)
    {
        var json = new JsonObject
        {
            ["command"] = "diff",
            ["expression"] = text,
            ["variable"] = variable,
            ["order"] = order,
            ["derivative"] = derivative?.ToString(),
            ["latex"] = derivative?.ToLatex(),
            ["at"] = point is null ? null : CommandOutput.Json(point),
            ["value"] = value is double v ? CommandOutput.Json(v) : null,
        };
        CommandOutput.WriteJson(json);
    }
}
