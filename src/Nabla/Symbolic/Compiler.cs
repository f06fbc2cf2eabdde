using System.Linq.Expressions;
using System.Reflection;
using Nabla.Kernels;
using Linq = System.Linq.Expressions.Expression;

namespace Nabla.Symbolic;

/// <summary>
/// Compiles an expression tree to a delegate through System.Linq.Expressions. A subtree that
/// occurs more than once (σ(x) in σ(x)(1 − σ(x)), say) is computed once into a local. The
/// arithmetic is exactly <see cref="Evaluator"/>'s: sums and products left to right, small integer
/// powers and ½ by the same operations as <see cref="MathFunctions.Pow"/>.
/// </summary>
internal sealed class Compiler
{
    private static readonly MethodInfo s_pow = Method(typeof(MathFunctions), nameof(MathFunctions.Pow), 2);
    private static readonly MethodInfo s_wrongLength = typeof(Compiler).GetMethod(nameof(WrongLength), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Dictionary<string, Linq> _variables;
    private readonly Dictionary<Expr, int> _counts = [];
    private readonly Dictionary<Expr, ParameterExpression> _locals = [];

    private Compiler(Dictionary<string, Linq> variables) => _variables = variables;

    /// <summary>See <see cref="Expr.Compile(string)"/>.</summary>
    public static Func<double, double> Compile(Expr e, string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var x = Linq.Parameter(typeof(double), variable);
        var compiler = new Compiler(new(StringComparer.Ordinal) { [variable] = x });
        var body = compiler.Build(e);
        return Linq.Lambda<Func<double, double>>(Linq.Block(compiler._locals.Values, body), x).Compile();
    }

    /// <summary>See <see cref="Expr.Compile(string[])"/>.</summary>
    public static Func<double[], double> Compile(Expr e, string[] variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        string[] names = variables.Length == 0 ? [.. e.Variables] : variables;
        var args = Linq.Parameter(typeof(double[]), "values");
        var map = new Dictionary<string, Linq>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(names[i], nameof(variables));
            if (!map.TryAdd(names[i], Linq.ArrayIndex(args, Linq.Constant(i))))
                throw new ArgumentException($"variable '{names[i]}' is listed twice", nameof(variables));
        }
        var compiler = new Compiler(map);
        var body = compiler.Build(e);
        var check = Linq.IfThen(
            Linq.OrElse(Linq.Equal(args, Linq.Constant(null, typeof(double[]))), Linq.NotEqual(Linq.ArrayLength(args), Linq.Constant(names.Length))),
            Linq.Throw(Linq.Call(s_wrongLength, args, Linq.Constant(names))));
        return Linq.Lambda<Func<double[], double>>(Linq.Block(compiler._locals.Values, check, body), args).Compile();
    }

    private static Exception WrongLength(double[]? values, string[] names) => values is null
        ? new ArgumentNullException(nameof(values))
        : new ArgumentException(
            $"expected {names.Length} value(s), for ({string.Join(", ", names)}), but got {values.Length}", nameof(values));

    private Linq Build(Expr e)
    {
        foreach (var name in e.Variables)
        {
            if (!_variables.ContainsKey(name))
                throw new ArgumentException(
                    $"variable '{name}' is not among the compiled variables ({string.Join(", ", _variables.Keys)})", "variables");
        }
        Count(e);
        return Emit(e);
    }

    private void Count(Expr e)
    {
        if (e is Number or Constant or Variable) return;
        _counts[e] = _counts.GetValueOrDefault(e) + 1;
        if (_counts[e] > 1) return; // its children were counted the first time
        switch (e)
        {
            case Sum s: foreach (var t in s.Terms) Count(t); break;
            case Product p: foreach (var f in p.Factors) Count(f); break;
            case Power pw: Count(pw.Base); Count(pw.Exponent); break;
            case FunctionCall f: foreach (var a in f.Arguments) Count(a); break;
        }
    }

    // Expression trees evaluate operands left to right and these have no branches, so the first
    // emission of a shared subtree (which assigns its local) always runs before the later reads.
    private Linq Emit(Expr e)
    {
        if (_locals.TryGetValue(e, out var local)) return local;
        var value = EmitNode(e);
        if (_counts.GetValueOrDefault(e) < 2) return value;
        local = Linq.Variable(typeof(double));
        _locals[e] = local;
        return Linq.Assign(local, value);
    }

    private Linq EmitNode(Expr e)
    {
        switch (e)
        {
            case Number n:
                return Linq.Constant(n.Value);
            case Constant c:
                return Linq.Constant(c.Value);
            case Variable v:
                return _variables[v.Name];
            case Sum s:
            {
                var acc = Emit(s.Terms[0]);
                for (int i = 1; i < s.Terms.Count; i++) acc = Linq.Add(acc, Emit(s.Terms[i]));
                return acc;
            }
            case Product p:
            {
                var acc = Emit(p.Factors[0]);
                for (int i = 1; i < p.Factors.Count; i++) acc = Linq.Multiply(acc, Emit(p.Factors[i]));
                return acc;
            }
            case Power pw:
                return EmitPower(pw);
            case FunctionCall f:
                var (type, name) = MethodOf(f.Function);
                return Linq.Call(Method(type, name, f.Arguments.Count), f.Arguments.Select(Emit));
            default:
                throw new InvalidOperationException($"Cannot compile {e.GetType().Name}.");
        }
    }

    // The same operations as MathFunctions.Pow for its special exponents, inline.
    private Linq EmitPower(Power pw)
    {
        if (pw.Exponent is not Number { Value: var p } || p is not (1 or 2 or 3 or -1 or -2 or 0.5))
            return Linq.Call(s_pow, Emit(pw.Base), Emit(pw.Exponent));
        var b = Emit(pw.Base);
        if (p == 1) return b;
        if (p == 0.5) return Linq.Call(Method(typeof(Math), nameof(Math.Sqrt), 1), b);
        // The base is used more than once below: a variable is read directly, anything else is
        // evaluated once into a local.
        var t = b as ParameterExpression ?? Linq.Variable(typeof(double));
        Linq result = p switch
        {
            2 => Linq.Multiply(t, t),
            3 => Linq.Multiply(Linq.Multiply(t, t), t),
            -1 => Linq.Divide(Linq.Constant(1.0), t),
            _ => Linq.Divide(Linq.Constant(1.0), Linq.Multiply(t, t)),
        };
        return ReferenceEquals(t, b) ? result : Linq.Block([t], Linq.Assign(t, b), result);
    }

    // The methods MathFunctions.Apply calls, so that compiled code and the evaluator agree to the bit.
    private static (Type Type, string Name) MethodOf(MathFunction f) => f switch
    {
        MathFunction.Sin => (typeof(Math), nameof(Math.Sin)),
        MathFunction.Cos => (typeof(Math), nameof(Math.Cos)),
        MathFunction.Tan => (typeof(Math), nameof(Math.Tan)),
        MathFunction.Exp => (typeof(Math), nameof(Math.Exp)),
        MathFunction.Log => (typeof(Math), nameof(Math.Log)),
        MathFunction.Sqrt => (typeof(Math), nameof(Math.Sqrt)),
        MathFunction.Abs => (typeof(Math), nameof(Math.Abs)),
        MathFunction.Tanh => (typeof(Math), nameof(Math.Tanh)),
        MathFunction.Asin => (typeof(Math), nameof(Math.Asin)),
        MathFunction.Acos => (typeof(Math), nameof(Math.Acos)),
        MathFunction.Atan => (typeof(Math), nameof(Math.Atan)),
        MathFunction.Sinh => (typeof(Math), nameof(Math.Sinh)),
        MathFunction.Cosh => (typeof(Math), nameof(Math.Cosh)),
        MathFunction.Max => (typeof(Math), nameof(Math.Max)),
        MathFunction.Min => (typeof(Math), nameof(Math.Min)),
        MathFunction.Sigmoid => (typeof(MathFunctions), nameof(MathFunctions.Sigmoid)),
        MathFunction.Relu => (typeof(MathFunctions), nameof(MathFunctions.Relu)),
        MathFunction.Softplus => (typeof(MathFunctions), nameof(MathFunctions.Softplus)),
        MathFunction.Log1p => (typeof(MathFunctions), nameof(MathFunctions.Log1p)),
        MathFunction.Heaviside => (typeof(MathFunctions), nameof(MathFunctions.Heaviside)),
        MathFunction.Erf => (typeof(SpecialFunctions), nameof(SpecialFunctions.Erf)),
        _ => throw new InvalidOperationException($"No method for {f}."),
    };

    private static MethodInfo Method(Type type, string name, int arity) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Static, [.. Enumerable.Repeat(typeof(double), arity)])
        ?? throw new InvalidOperationException($"{type.Name}.{name} of {arity} double(s) not found.");
}
