namespace Nabla.Calculus;

/// <summary>
/// The integrand as the quadrature rule sees it: f itself on a finite range, or, on an infinite
/// range, f after QUADPACK's change of variable onto t ∈ (0, 1] (dqagi):
/// [a, ∞): x = a + (1 − t)/t;  (−∞, b]: x = b − (1 − t)/t;  (−∞, ∞): f(x) + f(−x) with x = (1 − t)/t;
/// each times |dx/dt| = 1/t². Counts the calls of f and keeps the first point where f was not finite.
/// </summary>
internal sealed class MappedIntegrand
{
    private readonly Func<double, double> _f;
    private readonly double _bound;
    private readonly Mapping _mapping;

    private MappedIntegrand(Func<double, double> f, Mapping mapping, double bound)
    {
        _f = f;
        _mapping = mapping;
        _bound = bound;
    }

    internal enum Mapping { Finite, UpperInfinite, LowerInfinite, WholeLine }

    /// <summary>f on a finite range: no change of variable.</summary>
    internal static MappedIntegrand Finite(Func<double, double> f) => new(f, Mapping.Finite, 0);

    /// <summary>f over [<paramref name="a"/>, ∞) as an integrand over t ∈ (0, 1].</summary>
    internal static MappedIntegrand UpperInfinite(Func<double, double> f, double a) => new(f, Mapping.UpperInfinite, a);

    /// <summary>f over (−∞, <paramref name="b"/>] as an integrand over t ∈ (0, 1].</summary>
    internal static MappedIntegrand LowerInfinite(Func<double, double> f, double b) => new(f, Mapping.LowerInfinite, b);

    /// <summary>f over (−∞, ∞) as an integrand over t ∈ (0, 1].</summary>
    internal static MappedIntegrand WholeLine(Func<double, double> f) => new(f, Mapping.WholeLine, 0);

    /// <summary>How many times f has been called.</summary>
    internal int Evaluations { get; private set; }

    /// <summary>The calls of f per point of the rule: two on the whole line (x and −x), one otherwise.</summary>
    internal int CallsPerPoint => _mapping == Mapping.WholeLine ? 2 : 1;

    /// <summary>Whether f returned NaN or ±∞ at some point; <see cref="FailedAt"/> and <see cref="FailedValue"/> say where and what.</summary>
    internal bool Failed { get; private set; }

    internal double FailedAt { get; private set; }

    internal double FailedValue { get; private set; }

    /// <summary>The integrand at <paramref name="t"/> (x itself on a finite range).</summary>
    internal double Evaluate(double t)
    {
        if (_mapping == Mapping.Finite) return Call(t);
        double x = ToX(t);
        double value = Call(x);
        if (_mapping == Mapping.WholeLine) value += Call(-x);
        // Divided twice rather than by t², as dqk15i does: t² underflows first near t = 0.
        return value / t / t;
    }

    /// <summary>The point x of the original range that <paramref name="t"/> stands for.</summary>
    internal double ToX(double t) => _mapping switch
    {
        Mapping.Finite => t,
        Mapping.LowerInfinite => _bound - (1.0 - t) / t,
        _ => _bound + (1.0 - t) / t,
    };

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
        return value;
    }
}
