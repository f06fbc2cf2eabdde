namespace Nabla.Symbolic;

/// <summary>Names of the <see cref="MathFunction"/> values and their double-precision definitions, shared by every evaluator.</summary>
internal static class MathFunctions
{
    private static readonly Dictionary<string, MathFunction> s_byName =
        Enum.GetValues<MathFunction>().ToDictionary(f => f.ToString().ToLowerInvariant(), StringComparer.Ordinal);

    /// <summary>Every function name, in declaration order, for error messages.</summary>
    public static readonly string KnownNames = string.Join(", ", Enum.GetValues<MathFunction>().Select(Name));

    /// <summary>The name as written in expressions.</summary>
    public static string Name(MathFunction f) => f switch
    {
        MathFunction.Sin => "sin",
        MathFunction.Cos => "cos",
        MathFunction.Tan => "tan",
        MathFunction.Exp => "exp",
        MathFunction.Log => "log",
        MathFunction.Sqrt => "sqrt",
        MathFunction.Abs => "abs",
        MathFunction.Tanh => "tanh",
        MathFunction.Sigmoid => "sigmoid",
        MathFunction.Asin => "asin",
        MathFunction.Acos => "acos",
        MathFunction.Atan => "atan",
        MathFunction.Sinh => "sinh",
        MathFunction.Cosh => "cosh",
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "Not a MathFunction."),
    };

    /// <summary>The function written <paramref name="name"/> (case-sensitive), if any.</summary>
    public static bool TryParse(string name, out MathFunction function) => s_byName.TryGetValue(name, out function);

    /// <summary>The function's value at <paramref name="x"/>, in double precision.</summary>
    public static double Apply(MathFunction f, double x) => f switch
    {
        MathFunction.Sin => Math.Sin(x),
        MathFunction.Cos => Math.Cos(x),
        MathFunction.Tan => Math.Tan(x),
        MathFunction.Exp => Math.Exp(x),
        MathFunction.Log => Math.Log(x),
        MathFunction.Sqrt => Math.Sqrt(x),
        MathFunction.Abs => Math.Abs(x),
        MathFunction.Tanh => Math.Tanh(x),
        MathFunction.Sigmoid => Sigmoid(x),
        MathFunction.Asin => Math.Asin(x),
        MathFunction.Acos => Math.Acos(x),
        MathFunction.Atan => Math.Atan(x),
        MathFunction.Sinh => Math.Sinh(x),
        MathFunction.Cosh => Math.Cosh(x),
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "Not a MathFunction."),
    };

    /// <summary>σ(x) = 1/(1 + e^−x); 0 (not NaN) for very negative x.</summary>
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>
    /// bᵉ. Small integer exponents and ½ are computed by multiplication, division and
    /// <see cref="Math.Sqrt"/> (faster than <see cref="Math.Pow(double, double)"/>, within an ulp
    /// or two of it); the compiler emits the same operations inline, so compiled code and
    /// <see cref="Expr.Evaluate(IReadOnlyDictionary{string, double})"/> agree to the bit.
    /// </summary>
    public static double Pow(double b, double e) => e switch
    {
        1 => b,
        2 => b * b,
        3 => b * b * b,
        -1 => 1.0 / b,
        -2 => 1.0 / (b * b),
        0.5 => Math.Sqrt(b),
        _ => Math.Pow(b, e),
    };
}
