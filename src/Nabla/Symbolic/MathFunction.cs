namespace Nabla.Symbolic;

/// <summary>
/// The functions an expression may call; each is written in lower case, as <c>sin(x)</c>. All take
/// one argument but <see cref="Max"/> and <see cref="Min"/>, which take two. Where a function has a
/// kink (relu at 0, max and min where their arguments are equal) its derivative there is the
/// average of the slopes on either side: relu′(0) = ½, and d max(a, b) = ½(da + db) where a = b,
/// from <see cref="Heaviside"/>(0) = ½.
/// </summary>
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
    /// <summary>Rectified linear unit max(x, 0), <c>relu</c>; its derivative is heaviside(x), so ½ at 0.</summary>
    Relu,
    /// <summary>Softplus ln(1 + eˣ), a smooth relu, <c>softplus</c>; its derivative is sigmoid(x).</summary>
    Softplus,
    /// <summary>ln(1 + x), accurate where x is tiny, <c>log1p</c>.</summary>
    Log1p,
    /// <summary>The error function (2/√π)∫₀ˣ e^(−t²) dt, <c>erf</c>.</summary>
    Erf,
    /// <summary>The unit step: 0 for x &lt; 0, ½ at 0, 1 for x &gt; 0, <c>heaviside</c> (SymPy's Heaviside); its derivative is taken as 0.</summary>
    Heaviside,
    /// <summary>The larger of two arguments, <c>max(a, b)</c>.</summary>
    Max,
    /// <summary>The smaller of two arguments, <c>min(a, b)</c>.</summary>
    Min,
}
