using Nabla.Symbolic;

namespace Nabla.Cli;

/// <summary>
/// Reading the arguments of the calculus commands (<c>diff</c>, <c>integrate</c> and
/// <c>limit</c>): an expression, the variable it is taken
/// with respect to, a number that may be written as an expression (<c>pi/2</c>) or an infinity,
/// and variable values given as <c>--at x=1.5</c>. Every bad value becomes a
/// <see cref="CommandInputException"/> naming the option and what was given.
/// </summary>
internal static class MathInput
{
    /// <summary>The variable a constant expression is taken as a function of when none is named.</summary>
    private const string ConstantVariable = "x";

    /// <summary>Parses an expression argument; a parse error keeps its column and quotes the text.</summary>
    public static Expr ParseExpression(string text)
    {
        try
        {
            return Expr.Parse(text);
        }
        catch (ExpressionParseException e)
        {
            throw new CommandInputException($"cannot read the expression \"{text}\": {e.Message}");
        }
    }

    /// <summary>
    /// The variable to work with: <paramref name="requested"/> when given (it must occur in the
    /// expression), otherwise the expression's only variable. A constant is a function of any
    /// variable: of <paramref name="requested"/> when that is a variable name, otherwise of x.
    /// </summary>
    public static string ResolveVariable(Expr expression, string text, string? requested, string option)
    {
        var variables = expression.Variables;
        if (variables.Count == 0)
        {
            if (requested is null) return ConstantVariable;
            if (IsVariableName(requested)) return requested;
            throw new CommandInputException($"{option} {requested}: not a variable name; give a name such as x or t.");
        }
        if (requested is not null)
        {
            if (variables.Contains(requested, StringComparer.Ordinal)) return requested;
            throw new CommandInputException($"{option} {requested}: the expression \"{text}\" has no variable '{requested}' (its variables are {string.Join(", ", variables)}).");
        }
        return variables.Count == 1
            ? variables[0]
            : throw new CommandInputException(
                $"the expression \"{text}\" has several variables ({string.Join(", ", variables)}): choose one with {option}, as {option} {variables[0]}.");
    }

    /// <summary>Whether <paramref name="name"/> reads as exactly one variable of that name (not pi, 2x or sin).</summary>
    private static bool IsVariableName(string name)
    {
        try
        {
            return Expr.Parse(name).Variables is [var only] && only == name;
        }
        catch (ExpressionParseException)
        {
            return false;
        }
    }

    /// <summary>
    /// A number written as a decimal (<c>1.5</c>, <c>-2e-3</c>), a constant expression
    /// (<c>pi/2</c>, <c>-e</c>, <c>sqrt(2)</c>) or, when <paramref name="allowInfinity"/>,
    /// <c>inf</c>, <c>+inf</c> or <c>-inf</c>.
    /// </summary>
    public static double ParseNumber(string text, string option, bool allowInfinity)
    {
        string s = text.Trim();
        if (s.ToLowerInvariant() is "inf" or "+inf" or "infinity" or "+infinity" or "-inf" or "-infinity")
        {
            if (!allowInfinity) throw new CommandInputException($"{option} must be a finite number, got \"{text}\".");
            return s[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        }
        double value;
        try
        {
            var e = Expr.Parse(s);
            if (e.Variables.Count > 0) throw NotANumber();
            value = e.Evaluate();
        }
        catch (ExpressionParseException)
        {
            throw NotANumber();
        }
        if (!double.IsFinite(value))
            throw new CommandInputException($"{option} must be a finite number, got \"{text}\" = {CommandOutput.Format(value)}.");
        return value;

        CommandInputException NotANumber() => new(
            $"{option} expects a number such as 1.5, -2e-3 or pi/2{(allowInfinity ? ", or inf" : "")}, got \"{text}\".");
    }

    /// <summary>
    /// Variable values from repeated <paramref name="option"/> values: <c>name=number</c>, or a bare
    /// number for <paramref name="defaultVariable"/>. Each name must be a variable of
    /// <paramref name="expression"/> and be given once.
    /// </summary>
    public static Dictionary<string, double> ParseBindings(IEnumerable<string> values, Expr expression, string text, string defaultVariable, string option)
    {
        var bindings = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            int eq = value.IndexOf('=');
            string name = eq < 0 ? defaultVariable : value[..eq].Trim();
            string number = eq < 0 ? value : value[(eq + 1)..];
            // A constant has no variables, but is still a function of the default one.
            if (!expression.DependsOn(name) && !(name == defaultVariable && expression.Variables.Count == 0))
                throw new CommandInputException($"{option} {value}: the expression \"{text}\" has no variable '{name}' ({VariablesOf(expression)}).");
            if (!bindings.TryAdd(name, ParseNumber(number, $"{option} {name}", allowInfinity: false)))
                throw new CommandInputException($"{option}: '{name}' is given more than once.");
        }
        return bindings;
    }

    private static string VariablesOf(Expr expression) => expression.Variables.Count == 0
        ? "it has no variables"
        : $"its variables are {string.Join(", ", expression.Variables)}";

    /// <summary>Throws unless every variable of <paramref name="e"/> has a value, naming the first missing one.</summary>
    public static void RequireBindings(Expr e, IReadOnlyDictionary<string, double> bindings, string option)
    {
        foreach (string name in e.Variables)
        {
            if (!bindings.ContainsKey(name))
                throw new CommandInputException($"{option}: no value for '{name}'; give one with {option} {name}=VALUE.");
        }
    }

    /// <summary>
    /// <paramref name="expression"/> as a fast function of <paramref name="variable"/> alone, the
    /// other variables fixed at the values given by <paramref name="values"/> (as <see cref="ParseBindings"/>
    /// reads them; <paramref name="variable"/> itself may not be among them).
    /// </summary>
    public static Func<double, double> BindAllBut(Expr expression, string text, string variable, IEnumerable<string> values, string option,
        out Dictionary<string, double> bindings)
    {
        bindings = ParseBindings(values, expression, text, variable, option);
        if (bindings.ContainsKey(variable))
            throw new CommandInputException($"{option} {variable}=...: '{variable}' is the variable itself; give values for the other variables only.");
        foreach (string name in expression.Variables)
        {
            if (name != variable && !bindings.ContainsKey(name))
                throw new CommandInputException($"{option}: no value for '{name}'; give one with {option} {name}=VALUE.");
        }
        string[] order = [variable, .. bindings.Keys];
        var compiled = expression.Compile(order);
        var arguments = new double[order.Length];
        for (int i = 1; i < order.Length; i++) arguments[i] = bindings[order[i]];
        // One array reused across calls: the integrator and the limit call f from one thread.
        return x =>
        {
            arguments[0] = x;
            return compiled(arguments);
        };
    }
}
