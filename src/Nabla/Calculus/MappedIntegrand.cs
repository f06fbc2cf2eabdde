using System.Globalization;

namespace Nabla.Calculus;

/// <summary>
/// The integrand as the quadrature rule sees it, in the variable the rule runs over:
/// <list type="bullet">
/// <item>f itself on a finite range;</item>
/// <item>on a half-line, f after QUADPACK's change of variable onto t ∈ (0, 1] (dqagi): x = c + (1 − t)/t
/// for [c, ∞) and x = c − (1 − t)/t for (−∞, c], times |dx/dt| = 1/t²;</item>
/// <item>far out on a very wide finite range, f after x = c ± s·eᵘ, times |dx/du| = s·eᵘ: equal steps in
/// u are equal ratios in x, so the rule spreads its points over every order of magnitude of the range,
/// and an integrand that decays, stays constant or grows there stays smooth in u.</item>
/// </list>
/// Counts the calls of f, keeps the first point where f was not finite and the first where it was not 0,
/// and notes whether f changed sign.
/// </summary>
internal sealed class MappedIntegrand
{
    private readonly Func<double, double> _f;
    private readonly Mapping _mapping;
    private readonly double _anchor;
    private readonly double _direction;
    private readonly double _scale;

    private MappedIntegrand(Func<double, double> f, Mapping mapping, double anchor, double direction, double scale)
    {
        _f = f;
        _mapping = mapping;
        _anchor = anchor;
        _direction = direction;
        _scale = scale;
    }

    private enum Mapping { Finite, HalfLine, Logarithmic }

    /// <summary>f on a finite range: no change of variable.</summary>
    internal static MappedIntegrand Finite(Func<double, double> f) => new(f, Mapping.Finite, 0, 1, 1);

    /// <summary>
    /// f over [<paramref name="anchor"/>, ∞) (<paramref name="direction"/> +1) or (−∞, <paramref name="anchor"/>]
    /// (−1) as an integrand over t ∈ (0, 1].
    /// </summary>
    internal static MappedIntegrand HalfLine(Func<double, double> f, double anchor, double direction) => new(f, Mapping.HalfLine, anchor, direction, 1);

    /// <summary>
    /// f over x = <paramref name="anchor"/> + <paramref name="direction"/>·<paramref name="scale"/>·eᵘ as an
    /// integrand over u; u from 0 to ln(w/scale) covers the x at distances from scale to w from the anchor.
    /// </summary>
    internal static MappedIntegrand Logarithmic(Func<double, double> f, double anchor, double direction, double scale) =>
        new(f, Mapping.Logarithmic, anchor, direction, scale);

    /// <summary>Whether the rule runs over a changed variable rather than x itself.</summary>
    internal bool IsMapped => _mapping != Mapping.Finite;

    /// <summary>How many times f has been called.</summary>
    internal int Evaluations { get; private set; }

    /// <summary>Whether f returned NaN or ±∞ at some point; <see cref="FailedAt"/> and <see cref="FailedValue"/> say where and what.</summary>
    internal bool Failed { get; private set; }

    internal double FailedAt { get; private set; }

    internal double FailedValue { get; private set; }

    /// <summary>The first point where f was not 0, with its value; null while every value has been 0.</summary>
    internal (double X, double Value)? FirstNonZero { get; private set; }

    /// <summary>Whether f took both signs at the points sampled.</summary>
    internal bool ChangedSign { get; private set; }

    /// <summary>The integrand at <paramref name="t"/> (x itself on a finite range).</summary>
    internal double Evaluate(double t)
    {
        switch (_mapping)
        {
            case Mapping.Finite:
                return Call(t);
            case Mapping.HalfLine:
                // Divided twice rather than by t², as dqk15i does: t² underflows first near t = 0.
                return Call(ToX(t)) / t / t;
            default:
                double distance = _scale * Math.Exp(t);
                return Call(_anchor + _direction * distance) * distance;
        }
    }

    /// <summary>The point x of the original range that <paramref name="t"/> stands for.</summary>
    internal double ToX(double t) => _mapping switch
    {
        Mapping.Finite => t,
        Mapping.HalfLine => _anchor + _direction * ((1.0 - t) / t),
        _ => _anchor + _direction * _scale * Math.Exp(t),
    };

    /// <summary>The stretch of x that the variable's range [<paramref name="lower"/>, <paramref name="upper"/>] covers, for messages.</summary>
    internal string DescribeRange(double lower, double upper)
    {
        double x1 = ToX(lower), x2 = ToX(upper);
        (double low, double high) = x1 <= x2 ? (x1, x2) : (x2, x1);
        // t = 0 stands for the infinite end of a half-line.
        if (_mapping == Mapping.HalfLine && lower == 0) return _direction > 0 ? $"[{Number(low)}, ∞)" : $"(−∞, {Number(high)}]";
        return $"[{Number(low)}, {Number(high)}]";
    }

    private static string Number(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    private double Call(double x)
    {
        Evaluations++;
        double value = _f(x);
        if (!double.IsFinite(value) && !Failed)
        {
            Failed = true;
            FailedAt = x;
            FailedValue = value;
        }
        if (value != 0 && FirstNonZero is null) FirstNonZero = (x, value);
        else if (FirstNonZero is (_, double first) && value * first < 0) ChangedSign = true;
        return value;
    }
}
