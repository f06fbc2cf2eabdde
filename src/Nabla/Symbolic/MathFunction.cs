namespace Nabla.Symbolic;

/// <summary>The functions an expression may call; each is written in lower case, as <c>sin(x)</c>.</summary>
public enum MathFunction
{
    /// <summary>Sine, <c>sin</c>.</summary>
    Sin,
    /// <summary>Cosine, <c>cos</c>.</summary>
    Cos,
    /// <summary>Tangent, <c>tan</c>.</summary>
    Tan,
    /// <summary>Exponential eˣ, <c>exp</c>.</summary>
    Exp,
    /// <summary>Natural logarithm, <c>log</c>.</summary>
    Log,
    /// <summary>Square root, <c>sqrt</c>.</summary>
    Sqrt,
    /// <summary>Absolute value, <c>abs</c>; its derivative is taken as x/|x|.</summary>
    Abs,
    /// <summary>Hyperbolic tangent, <c>tanh</c>.</summary>
    Tanh,
    /// <summary>Logistic sigmoid σ(x) = 1/(1 + e^−x), <c>sigmoid</c>.</summary>
    Sigmoid,
    /// <summary>Inverse sine, <c>asin</c>.</summary>
    Asin,
    /// <summary>Inverse cosine, <c>acos</c>.</summary>
    Acos,
    /// <summary>Inverse tangent, <c>atan</c>.</summary>
    Atan,
    /// <summary>Hyperbolic sine, <c>sinh</c>.</summary>
    Sinh,
    /// <summary>Hyperbolic cosine, <c>cosh</c>.</summary>
    Cosh,
}
