namespace Nabla.Estimators;

/// <summary>
/// One of scikit-learn's SGD losses (<c>_sgd_fast.pyx</c>) of a prediction p and a target y (±1
/// for classification), and its derivative in p, written as there: the same branch points and the
/// same shortcuts (the log loss's e^(−z) beyond |z| &gt; 18), so that SGD takes the same steps.
/// </summary>
/// <remarks>A struct with a switch rather than a class hierarchy: one predictable branch a sample, no virtual call.</remarks>
internal readonly struct SgdLoss
{
    private readonly Kind _kind;
    private readonly double _parameter;

    private SgdLoss(Kind kind, double parameter) => (_kind, _parameter) = (kind, parameter);

    private enum Kind { Squared, Huber, EpsilonInsensitive, SquaredEpsilonInsensitive, Hinge, SquaredHinge, Log, ModifiedHuber }

    /// <summary>A regression loss; <paramref name="epsilon"/> is Huber's threshold or the insensitive band's half width.</summary>
    public static SgdLoss For(SgdRegressorLoss loss, double epsilon) => loss switch
    {
        SgdRegressorLoss.SquaredError => new(Kind.Squared, 0),
        SgdRegressorLoss.Huber => new(Kind.Huber, epsilon),
        SgdRegressorLoss.EpsilonInsensitive => new(Kind.EpsilonInsensitive, epsilon),
        _ => new(Kind.SquaredEpsilonInsensitive, epsilon),
    };

    /// <summary>A classification loss (the perceptron is the hinge with threshold 0).</summary>
    public static SgdLoss For(SgdClassifierLoss loss) => loss switch
    {
        SgdClassifierLoss.Hinge => new(Kind.Hinge, 1),
        SgdClassifierLoss.Perceptron => new(Kind.Hinge, 0),
        SgdClassifierLoss.SquaredHinge => new(Kind.SquaredHinge, 1),
        SgdClassifierLoss.LogLoss => new(Kind.Log, 0),
        _ => new(Kind.ModifiedHuber, 0),
    };

    /// <summary>The loss of prediction <paramref name="p"/> for target <paramref name="y"/>.</summary>
    public double Value(double p, double y)
    {
        double z, r;
        switch (_kind)
        {
            case Kind.Squared:
                return 0.5 * (p - y) * (p - y);
            case Kind.Huber:
                r = p - y;
                return Math.Abs(r) <= _parameter ? 0.5 * r * r : _parameter * Math.Abs(r) - 0.5 * _parameter * _parameter;
            case Kind.EpsilonInsensitive:
                r = Math.Abs(y - p) - _parameter;
                return r > 0 ? r : 0;
            case Kind.SquaredEpsilonInsensitive:
                r = Math.Abs(y - p) - _parameter;
                return r > 0 ? r * r : 0;
            case Kind.Hinge:
                z = p * y;
                return z <= _parameter ? _parameter - z : 0;
            case Kind.SquaredHinge:
                z = _parameter - p * y;
                return z > 0 ? z * z : 0;
            case Kind.Log:
                z = p * y;
                // Beyond |z| > 18, ln(1 + e^(−z)) is e^(−z) or −z to double precision.
                return z > 18 ? Math.Exp(-z) : z < -18 ? -z : Math.Log(1 + Math.Exp(-z));
            default:
                z = p * y;
                return z >= 1 ? 0 : z >= -1 ? (1 - z) * (1 - z) : -4 * z;
        }
    }

    /// <summary>The derivative of the loss in the prediction <paramref name="p"/>.</summary>
    public double Derivative(double p, double y)
    {
        double z, r;
        switch (_kind)
        {
            case Kind.Squared:
                return p - y;
            case Kind.Huber:
                r = p - y;
                return Math.Abs(r) <= _parameter ? r : r > 0 ? _parameter : -_parameter;
            case Kind.EpsilonInsensitive:
                return y - p > _parameter ? -1 : p - y > _parameter ? 1 : 0;
            case Kind.SquaredEpsilonInsensitive:
                z = y - p;
                return z > _parameter ? -2 * (z - _parameter) : z < -_parameter ? 2 * (-z - _parameter) : 0;
            case Kind.Hinge:
                return p * y <= _parameter ? -y : 0;
            case Kind.SquaredHinge:
                z = _parameter - p * y;
                return z > 0 ? -2 * y * z : 0;
            case Kind.Log:
                z = p * y;
                return z > 18 ? Math.Exp(-z) * -y : z < -18 ? -y : -y / (Math.Exp(z) + 1);
            default:
                z = p * y;
                return z >= 1 ? 0 : z >= -1 ? 2 * (1 - z) * -y : -4 * y;
        }
    }
}
