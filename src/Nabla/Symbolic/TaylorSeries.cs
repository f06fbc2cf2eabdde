namespace Nabla.Symbolic;

/// <summary>
/// Arithmetic on truncated Taylor series. A series is the array of its first n + 1 coefficients,
/// a(t) = a₀ + a₁t + … + aₙtⁿ, and every operation returns the first n + 1 coefficients of its
/// exact result, so the k-th coefficient of f(x₀ + t) is f⁽ᵏ⁾(x₀)/k!, up to rounding. The
/// recurrences are the standard ones of higher-order automatic differentiation (Griewank and
/// Walther, <i>Evaluating Derivatives</i>, chapter 13): products by convolution, quotients by
/// solving the convolution for the quotient, and every function y = f(a) from the differential
/// equation it satisfies, y′ = f′(a)·a′, matched coefficient by coefficient:
/// yₖ = (1/k)·Σⱼ₌₁..ₖ j·aⱼ·wₖ₋ⱼ with w = f′(a). Each costs O(n²) operations.
/// The constant coefficient is always computed as <see cref="Evaluator"/> computes the value.
/// </summary>
internal static class TaylorSeries
{
    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);

    /// <summary>The constant series <paramref name="value"/>, with <paramref name="length"/> coefficients.</summary>
    public static double[] Constant(double value, int length)
    {
        var c = new double[length];
        c[0] = value;
        return c;
    }

    /// <summary>a + b.</summary>
    public static double[] Add(double[] a, double[] b)
    {
        var c = new double[a.Length];
        for (int k = 0; k < c.Length; k++) c[k] = a[k] + b[k];
        return c;
    }

    /// <summary>a·b: cₖ = Σᵢ aᵢ·bₖ₋ᵢ.</summary>
    public static double[] Multiply(double[] a, double[] b)
    {
        var c = new double[a.Length];
        for (int k = 0; k < c.Length; k++)
        {
            double sum = 0;
            for (int i = 0; i <= k; i++) sum += a[i] * b[k - i];
            c[k] = sum;
        }
        return c;
    }

    /// <summary>1/b: from b·c = 1, cₖ = −(Σⱼ₌₁..ₖ bⱼ·cₖ₋ⱼ)/b₀.</summary>
    public static double[] Reciprocal(double[] b)
    {
        var c = new double[b.Length];
        c[0] = 1.0 / b[0];
        for (int k = 1; k < c.Length; k++)
        {
            double sum = 0;
            for (int j = 1; j <= k; j++) sum += b[j] * c[k - j];
            c[k] = -sum / b[0];
        }
        return c;
    }

    /// <summary>
    /// a^r for a number r. Whole exponents by repeated squaring, which stays exact where a₀ = 0
    /// (x³ at 0); others by the recurrence from a·y′ = r·a′·y:
    /// yₖ = (1/(k·a₀))·Σⱼ₌₁..ₖ (r·j − (k − j))·aⱼ·yₖ₋ⱼ.
    /// </summary>
    public static double[] Power(double[] a, double r)
    {
        double[] y;
        if (double.IsInteger(r))
        {
            y = WholePower(a, Math.Abs(r));
            if (r < 0) y = Reciprocal(y);
        }
        else
        {
            y = new double[a.Length];
            y[0] = MathFunctions.Pow(a[0], r);
            for (int k = 1; k < y.Length; k++)
            {
                double sum = 0;
                for (int j = 1; j <= k; j++) sum += (r * j - (k - j)) * a[j] * y[k - j];
                y[k] = sum / (k * a[0]);
            }
        }
        y[0] = MathFunctions.Pow(a[0], r);
        return y;
    }

    /// <summary>
    /// f^g for two series: a number exponent when g is constant; otherwise e^(g·ln f), whose value
    /// is f₀^g₀ (so a negative f₀ gives NaN, as the derivative's ln f does).
    /// </summary>
    public static double[] Power(double[] f, double[] g)
    {
        if (IsConstant(g)) return Power(f, g[0]);
        return Integrate(Multiply(g, Log(f)), MathFunctions.Pow(f[0], g[0]), 0, 1, 0);
    }

    /// <summary>f(a) for one of the functions.</summary>
    public static double[] Apply(MathFunction f, double[] a)
    {
        double value = MathFunctions.Apply(f, a[0]);
        switch (f)
        {
            case MathFunction.Exp:        // y′ = y·a′
                return Integrate(a, value, 0, 1, 0);
            case MathFunction.Tan:        // y′ = (1 + y²)·a′
                return Integrate(a, value, 1, 0, 1);
            case MathFunction.Tanh:       // y′ = (1 − y²)·a′
                return Integrate(a, value, 1, 0, -1);
            case MathFunction.Sigmoid:    // y′ = (y − y²)·a′
                return Integrate(a, value, 0, 1, -1);
            case MathFunction.Sin:
                return SineAndCosine(a, hyperbolic: false).Sine;
            case MathFunction.Cos:
                return SineAndCosine(a, hyperbolic: false).Cosine;
            case MathFunction.Sinh:
                return SineAndCosine(a, hyperbolic: true).Sine;
            case MathFunction.Cosh:
                return SineAndCosine(a, hyperbolic: true).Cosine;
            case MathFunction.Log:        // y′ = a′/a
                return Log(a);
            case MathFunction.Sqrt:
            {
                var y = Power(a, 0.5);
                y[0] = value;
                return y;
            }
            case MathFunction.Asin:       // y′ = a′/√(1 − a²)
                return Integrate(a, value, Power(OnePlus(-1, Multiply(a, a)), -0.5), 1);
            case MathFunction.Acos:       // y′ = −a′/√(1 − a²)
                return Integrate(a, value, Power(OnePlus(-1, Multiply(a, a)), -0.5), -1);
            case MathFunction.Atan:       // y′ = a′/(1 + a²)
                return Integrate(a, value, Reciprocal(OnePlus(1, Multiply(a, a))), 1);
            case MathFunction.Abs:
                return Abs(a);
            case MathFunction.Relu:       // y′ = heaviside(a)·a′, with heaviside constant
                return Choose(value, a, MathFunctions.Heaviside(a[0]), a, 0);
            case MathFunction.Heaviside:  // y′ = 0
                return Constant(value, a.Length);
            case MathFunction.Softplus:   // y′ = σ(a)·a′
                return Integrate(a, value, Apply(MathFunction.Sigmoid, a), 1);
            case MathFunction.Log1p:      // y′ = a′/(1 + a)
                return Integrate(a, value, Reciprocal(OnePlus(1, a)), 1);
            case MathFunction.Erf:        // y′ = (2/√π)·e^(−a²)·a′
                return Integrate(a, value, Apply(MathFunction.Exp, Scale(-1, Multiply(a, a))), TwoOverSqrtPi);
            default:
                throw new InvalidOperationException($"No Taylor rule for {f}.");
        }
    }

    /// <summary>
    /// max(a, b) or min(a, b): the series of the argument chosen, as the symbolic derivative
    /// heaviside(a − b)·a′ + heaviside(b − a)·b′ (for max) gives it; where a₀ = b₀, the average of the two.
    /// </summary>
    public static double[] Apply(MathFunction f, double[] a, double[] b)
    {
        double value = MathFunctions.Apply(f, a[0], b[0]);
        double toA = MathFunctions.Heaviside(f == MathFunction.Max ? a[0] - b[0] : b[0] - a[0]);
        return Choose(value, a, toA, b, 1 - toA);
    }

    /// <summary>y with y₀ = <paramref name="value"/> and yₖ = α·aₖ + β·bₖ beyond: the derivatives of a piecewise choice between a and b.</summary>
    private static double[] Choose(double value, double[] a, double alpha, double[] b, double beta)
    {
        var y = new double[a.Length];
        y[0] = value;
        // A weight of 0 contributes nothing, even where the other branch's coefficient is infinite.
        for (int k = 1; k < y.Length; k++) y[k] = (alpha == 0 ? 0 : alpha * a[k]) + (beta == 0 ? 0 : beta * b[k]);
        return y;
    }

    /// <summary>c·a.</summary>
    private static double[] Scale(double c, double[] a)
    {
        var y = new double[a.Length];
        for (int k = 0; k < y.Length; k++) y[k] = c * a[k];
        return y;
    }

    /// <summary>ln a: yₖ = (1/k)·Σⱼ₌₁..ₖ j·aⱼ·(1/a)ₖ₋ⱼ.</summary>
    private static double[] Log(double[] a) => Integrate(a, Math.Log(a[0]), Reciprocal(a), 1);

    /// <summary>
    /// |a|: ±a away from 0. At a₀ = 0 the function has a kink and no derivative (the symbolic one,
    /// a/|a|·a′, is NaN there), unless a is constant.
    /// </summary>
    private static double[] Abs(double[] a)
    {
        var y = new double[a.Length];
        double sign = a[0] > 0 ? 1 : a[0] < 0 ? -1 : double.NaN;
        for (int k = 0; k < y.Length; k++) y[k] = sign * a[k];
        if (a[0] == 0 && IsConstant(a)) Array.Clear(y);
        y[0] = Math.Abs(a[0]);
        return y;
    }

    /// <summary>sin a and cos a (or sinh a and cosh a) together: s′ = c·a′, c′ = ∓s·a′.</summary>
    private static (double[] Sine, double[] Cosine) SineAndCosine(double[] a, bool hyperbolic)
    {
        var s = new double[a.Length];
        var c = new double[a.Length];
        s[0] = hyperbolic ? Math.Sinh(a[0]) : Math.Sin(a[0]);
        c[0] = hyperbolic ? Math.Cosh(a[0]) : Math.Cos(a[0]);
        double sign = hyperbolic ? 1 : -1;
        for (int k = 1; k < a.Length; k++)
        {
            double ds = 0, dc = 0;
            for (int j = 1; j <= k; j++)
            {
                ds += j * a[j] * c[k - j];
                dc += j * a[j] * s[k - j];
            }
            s[k] = ds / k;
            c[k] = sign * dc / k;
        }
        return (s, c);
    }

    /// <summary>y with y₀ = <paramref name="value"/> and y′ = sign·w·a′, for a known series w.</summary>
    private static double[] Integrate(double[] a, double value, double[] w, double sign)
    {
        var y = new double[a.Length];
        y[0] = value;
        for (int k = 1; k < y.Length; k++)
        {
            double sum = 0;
            for (int j = 1; j <= k; j++) sum += j * a[j] * w[k - j];
            y[k] = sign * sum / k;
        }
        return y;
    }

    /// <summary>
    /// y with y₀ = <paramref name="value"/> and y′ = (α + β·y + γ·y²)·a′, where w = α + βy + γy²
    /// up to order k − 1 needs only y up to order k − 1: each coefficient of y gives the next of w.
    /// </summary>
    private static double[] Integrate(double[] a, double value, double alpha, double beta, double gamma)
    {
        var y = new double[a.Length];
        var w = new double[a.Length];
        y[0] = value;
        for (int k = 0; k < y.Length; k++)
        {
            if (k > 0)
            {
                double sum = 0;
                for (int j = 1; j <= k; j++) sum += j * a[j] * w[k - j];
                y[k] = sum / k;
            }
            double square = 0;
            for (int i = 0; i <= k; i++) square += y[i] * y[k - i];
            w[k] = (k == 0 ? alpha : 0) + beta * y[k] + gamma * square;
        }
        return y;
    }

    /// <summary>1 + sign·a.</summary>
    private static double[] OnePlus(double sign, double[] a)
    {
        var y = new double[a.Length];
        for (int k = 0; k < y.Length; k++) y[k] = sign * a[k];
        y[0] += 1;
        return y;
    }

    /// <summary>aᵐ for a whole m ≥ 0, by repeated squaring (doubles hold whole numbers exactly, so halving m is exact).</summary>
    private static double[] WholePower(double[] a, double m)
    {
        var result = Constant(1, a.Length);
        var square = a;
        while (m > 0)
        {
            if (m % 2 == 1) result = Multiply(result, square);
            m = Math.Floor(m / 2);
            if (m > 0) square = Multiply(square, square);
        }
        return result;
    }

    /// <summary>Whether every coefficient after the first is 0: the series does not vary.</summary>
    private static bool IsConstant(double[] a)
    {
        for (int k = 1; k < a.Length; k++)
            if (a[k] != 0) return false;
        return true;
    }
}
