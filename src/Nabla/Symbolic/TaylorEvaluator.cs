namespace Nabla.Symbolic;

/// <summary>
/// Derivatives at a point without the symbolic derivative: the expression is evaluated on
/// truncated Taylor series in one variable (<see cref="TaylorSeries"/>) instead of numbers, the
/// variable being x₀ + t, each distinct node once. The k-th coefficient of the result is the
/// k-th derivative over k!. The cost is O(order²) per node of the expression's graph, where the
/// symbolic derivative of a high order can have millions of nodes.
/// </summary>
internal sealed class TaylorEvaluator
{
    private readonly string _variable;
    private readonly int _length;
    private readonly IReadOnlyDictionary<string, double> _point;
    private readonly Dictionary<Expr, double[]> _series = new(ReferenceEqualityComparer.Instance);

    private TaylorEvaluator(string variable, int order, IReadOnlyDictionary<string, double> point)
    {
        _variable = variable;
        _length = order + 1;
        _point = point;
    }

    /// <summary>See <see cref="Expr.DerivativeAt"/>.</summary>
    public static double DerivativeAt(Expr e, string variable, int order, IReadOnlyDictionary<string, double> point)
    {
        ArgumentNullException.ThrowIfNull(e);
        Differentiator.CheckVariable(variable);
        ArgumentOutOfRangeException.ThrowIfNegative(order);
        ArgumentNullException.ThrowIfNull(point);
        // The simplified form, which Differentiate differentiates: the value agrees with evaluating
        // the symbolic derivative, and equal subexpressions are one node, evaluated once.
        var series = new TaylorEvaluator(variable, order, point).Series(e.Simplify());
        double factorial = 1;
        for (int k = 2; k <= order; k++) factorial *= k;
        return series[order] * factorial;
    }

    private double[] Series(Expr e)
    {
        if (_series.TryGetValue(e, out var known)) return known;
        var result = e.DependsOn(_variable)
            ? Vary(e)
            : TaylorSeries.Constant(Evaluator.Evaluate(e, _point), _length);
        _series[e] = result;
        return result;
    }

    /// <summary>The series of a node that depends on the variable.</summary>
    private double[] Vary(Expr e)
    {
        switch (e)
        {
            case Variable v:
                if (!_point.TryGetValue(v.Name, out double x)) throw Evaluator.UnboundVariable(v.Name, _point.Keys);
                var series = TaylorSeries.Constant(x, _length);
                if (_length > 1) series[1] = 1;
                return series;
            // Left to right, as Evaluator adds and multiplies, so that order 0 is its value to the bit.
            case Sum s:
                return s.Terms.Select(Series).Aggregate(TaylorSeries.Add);
            case Product p:
                return p.Factors.Select(Series).Aggregate(TaylorSeries.Multiply);
            case Power { Exponent: Number n } pw:
                return TaylorSeries.Power(Series(pw.Base), n.Value);
            case Power pw:
                return TaylorSeries.Power(Series(pw.Base), Series(pw.Exponent));
            case FunctionCall { Arguments: [var a, var b] } f:
                return TaylorSeries.Apply(f.Function, Series(a), Series(b));
            case FunctionCall f:
                return TaylorSeries.Apply(f.Function, Series(f.Argument));
            default:
                throw new InvalidOperationException($"Cannot evaluate {e.GetType().Name}.");
        }
    }
}
