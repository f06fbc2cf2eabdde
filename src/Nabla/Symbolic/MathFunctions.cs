using Nabla.Kernels;

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
        MathFunction.Relu => "relu",
        MathFunction.Softplus => "softplus",
        MathFunction.Log1p => "log1p",
        MathFunction.Erf => "erf",
        MathFunction.Heaviside => "heaviside",
        MathFunction.Max => "max",
        MathFunction.Min => "min",
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "Not a MathFunction."),
    };

    /// <summary>How many arguments the function takes: 2 for max and min, 1 for the others.</summary>
    public static int Arity(MathFunction f) => f is MathFunction.Max or MathFunction.Min ? 2 : 1;

    /// <summary>The function written <paramref name="name"/> (case-sensitive), if any.</summary>
    public static bool TryParse(string name, out MathFunction function) => s_byName.TryGetValue(name, out function);

    /// <summary>The value of a one-argument function at <paramref name="x"/>, in double precision.</summary>
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
        MathFunction.Relu => Relu(x),
        MathFunction.Softplus => Softplus(x),
        MathFunction.Log1p => Log1p(x),
        MathFunction.Erf => SpecialFunctions.Erf(x),
        MathFunction.Heaviside => Heaviside(x),
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, $"{f} does not take one argument."),
    };

    /// <summary>The value of a two-argument function (max or min) at (<paramref name="a"/>, <paramref name="b"/>); NaN when either is NaN.</summary>
    public static double Apply(MathFunction f, double a, double b) => f switch
    {
        MathFunction.Max => Math.Max(a, b),
        MathFunction.Min => Math.Min(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, $"{f} does not take two arguments."),
    };

    /// <summary>
    /// σ(x) = 1/(1 + e^−x) for x ≥ 0 and eˣ/(1 + eˣ) below, so that e^−x never overflows: σ(−740)
    /// is the subnormal 4.2e-322, not 0, and σ never divides ∞ by ∞.
    /// </summary>
    public static double Sigmoid(double x)
    {
        if (x >= 0) return 1.0 / (1.0 + Math.Exp(-x));
        double t = Math.Exp(x);
        return t / (1.0 + t);
    }

    /// <summary>max(x, 0); NaN stays NaN.</summary>
    public static double Relu(double x) => x > 0 ? x : x <= 0 ? 0 : x;

    /// <summary>ln(1 + eˣ) as max(x, 0) + ln(1 + e^−|x|): no overflow for large x, no loss of the tiny values for very negative x.</summary>
    public static double Softplus(double x) => Relu(x) + Log1p(Math.Exp(-Math.Abs(x)));

    /// <summary>ln(1 + x) without the cancellation of forming 1 + x (see <see cref="SpecialFunctions.Log1P"/>); ∞ at ∞.</summary>
    public static double Log1p(double x) => double.IsPositiveInfinity(x) ? x : SpecialFunctions.Log1P(x);

    /// <summary>The unit step: 0 below 0, ½ at 0 (the average of the sides, as SymPy's Heaviside), 1 above; NaN stays NaN.</summary>
    public static double Heaviside(double x) => x > 0 ? 1 : x < 0 ? 0 : x == 0 ? 0.5 : x;

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
