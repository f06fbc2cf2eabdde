namespace Nabla.Symbolic;

/// <summary>Evaluates an expression tree in double precision, with the same arithmetic as compiled code.</summary>
internal static class Evaluator
{
    /// <summary>An empty set of variable values.</summary>
    public static readonly IReadOnlyDictionary<string, double> NoBindings = new Dictionary<string, double>();

    /// <summary>The value of <paramref name="e"/> with the given variable values; see <see cref="Expr.Evaluate(IReadOnlyDictionary{string, double})"/>.</summary>
    public static double Evaluate(Expr e, IReadOnlyDictionary<string, double> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Eval(e, variables);
    }

    private static double Eval(Expr e, IReadOnlyDictionary<string, double> variables)
    {
        switch (e)
        {
            case Number n:
                return n.Value;
            case Constant c:
                return c.Value;
            case Variable v:
                if (variables.TryGetValue(v.Name, out double value)) return value;
                throw UnboundVariable(v.Name, variables.Keys);
            case Sum s:
            {
                var terms = s.Terms;
                double acc = Eval(terms[0], variables);
                for (int i = 1; i < terms.Count; i++) acc += Eval(terms[i], variables);
                return acc;
            }
            case Product p:
            {
                var factors = p.Factors;
                double acc = Eval(factors[0], variables);
                for (int i = 1; i < factors.Count; i++) acc *= Eval(factors[i], variables);
                return acc;
            }
            case Power pw:
                return MathFunctions.Pow(Eval(pw.Base, variables), Eval(pw.Exponent, variables));
            case FunctionCall { Arguments: [var a, var b] } f:
                return MathFunctions.Apply(f.Function, Eval(a, variables), Eval(b, variables));
            case FunctionCall f:
                return MathFunctions.Apply(f.Function, Eval(f.Argument, variables));
            default:
                throw new InvalidOperationException($"Cannot evaluate {e.GetType().Name}.");
        }
    }

    /// <summary>The error for a variable without a value, naming it and the ones that have values.</summary>
    internal static ArgumentException UnboundVariable(string name, IEnumerable<string> bound)
    {
        var names = bound.Order(StringComparer.Ordinal).ToList();
        string have = names.Count == 0 ? "no variables are bound" : "bound: " + string.Join(", ", names);
        return new ArgumentException($"variable '{name}' has no value ({have})", "variables");
    }
}
