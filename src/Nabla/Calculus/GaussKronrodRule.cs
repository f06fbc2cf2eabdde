namespace Nabla.Calculus;

/// <summary>
/// A Gauss rule and its Kronrod extension on one interval, with QUADPACK's error estimate (dqk15,
/// dqk21, dqk15i): the Kronrod value is the result, the Gauss–Kronrod difference the raw error.
/// <see cref="K21"/> (10/21 points) is QAGS's rule for finite ranges, <see cref="K15"/> (7/15 points)
/// QAGI's for the mapped infinite ones: the same choices as QUADPACK, so the same points are sampled.
/// </summary>
internal sealed class GaussKronrodRule
{
    /// <summary>The 7-point Gauss rule and its 15-point Kronrod extension.</summary>
    internal static readonly GaussKronrodRule K15 = new(
        nodes:
        [
            0.991455371120812639206854697526329,
            0.949107912342758524526189684047851,
            0.864864423359769072789712788640926,
            0.741531185599394439863864773280788,
            0.586087235467691130294144838258730,
            0.405845151377397166906606412076961,
            0.207784955007898467600689403773245,
            0.0,
        ],
        kronrodWeights:
        [
            0.022935322010529224963732008058970,
            0.063092092629978553290700663189204,
            0.104790010322250183839876322541518,
            0.140653259715525918745189590510238,
            0.169004726639267902826583426598550,
            0.190350578064785409913256402421014,
            0.204432940075298892414161999234649,
            0.209482141084727828012999174891714,
        ],
        gaussWeights:
        [
            0.129484966168869693270611432679082,
            0.279705391489276667901467771423780,
            0.381830050505118944950369775488975,
            0.417959183673469387755102040816327,   // the centre: an odd Gauss rule has a node there
        ]);

    /// <summary>The 10-point Gauss rule and its 21-point Kronrod extension.</summary>
    internal static readonly GaussKronrodRule K21 = new(
        nodes:
        [
            0.995657163025808080735527280689003,
            0.973906528517171720077964012084452,
            0.930157491355708226001207180059508,
            0.865063366688984510732096688423493,
            0.780817726586416897063717578345042,
            0.679409568299024406234327365114874,
            0.562757134668604683339000099272694,
            0.433395394129247190799265943165784,
            0.294392862701460198131126603103866,
            0.148874338981631210884826001129720,
            0.0,
        ],
        kronrodWeights:
        [
            0.011694638867371874278064396062192,
            0.032558162307964727478818972459390,
            0.054755896574351996031381300244580,
            0.075039674810919952767043140916190,
            0.093125454583697605535065465083366,
            0.109387158802297641899210590325805,
            0.123491976262065851077958109831074,
            0.134709217311473325928054001771707,
            0.142775938577060080797094273138717,
            0.147739104901338491374841515972068,
            0.149445554002916905664936468389821,
        ],
        gaussWeights:
        [
            0.066671344308688137593568809893332,
            0.149451349150580593145776339657697,
            0.219086362515982043995534934228163,
            0.269266719309996355091226921569469,
            0.295524224714752870173892994651338,
            0.0,   // the centre: an even Gauss rule has no node there
        ]);

    // Positive abscissae on (−1, 1), largest first, the centre last; the odd positions (1, 3, …) are the
    // Gauss nodes, the even ones the Kronrod additions. Values of L. W. Fullerton (Bell Labs, 1981,
    // 80-digit arithmetic) as QUADPACK lists them.
    private readonly double[] _nodes;
    private readonly double[] _kronrodWeights;
    // Weights of the Gauss nodes _nodes[1], _nodes[3], …, then of the centre.
    private readonly double[] _gaussWeights;

    private GaussKronrodRule(double[] nodes, double[] kronrodWeights, double[] gaussWeights)
    {
        (_nodes, _kronrodWeights, _gaussWeights) = (nodes, kronrodWeights, gaussWeights);
        Points = 2 * nodes.Length - 1;
    }

    /// <summary>The number of points the rule samples.</summary>
    internal int Points { get; }

    /// <summary>Applies the rule to <paramref name="g"/> over [a, b].</summary>
    internal KronrodEstimate Apply(MappedIntegrand g, double a, double b)
    {
        int pairs = _nodes.Length - 1;
        double centre = 0.5 * (a + b);
        double halfLength = 0.5 * (b - a);
        double absHalfLength = Math.Abs(halfLength);

        Span<double> left = stackalloc double[pairs], right = stackalloc double[pairs];
        double fc = g.Evaluate(centre);
        double gauss = fc * _gaussWeights[^1];
        double kronrod = fc * _kronrodWeights[pairs];
        double absIntegral = Math.Abs(kronrod);
        // Gauss nodes first, then the Kronrod additions: QUADPACK's order, so the same points are
        // evaluated in the same order and the sums round identically.
        for (int j = 1; j < pairs; j += 2)
        {
            double abscissa = halfLength * _nodes[j];
            double f1 = g.Evaluate(centre - abscissa), f2 = g.Evaluate(centre + abscissa);
            (left[j], right[j]) = (f1, f2);
            double sum = f1 + f2;
            gauss += _gaussWeights[j / 2] * sum;
            kronrod += _kronrodWeights[j] * sum;
            absIntegral += _kronrodWeights[j] * (Math.Abs(f1) + Math.Abs(f2));
        }
        for (int j = 0; j < pairs; j += 2)
        {
            double abscissa = halfLength * _nodes[j];
            double f1 = g.Evaluate(centre - abscissa), f2 = g.Evaluate(centre + abscissa);
            (left[j], right[j]) = (f1, f2);
            double sum = f1 + f2;
            kronrod += _kronrodWeights[j] * sum;
            absIntegral += _kronrodWeights[j] * (Math.Abs(f1) + Math.Abs(f2));
        }

        double mean = kronrod * 0.5;
        double deviation = _kronrodWeights[pairs] * Math.Abs(fc - mean);
        for (int j = 0; j < pairs; j++)
            deviation += _kronrodWeights[j] * (Math.Abs(left[j] - mean) + Math.Abs(right[j] - mean));

        double result = kronrod * halfLength;
        absIntegral *= absHalfLength;
        deviation *= absHalfLength;
        double error = Math.Abs((kronrod - gauss) * halfLength);
        // |K − G| overestimates the Kronrod error by orders of magnitude on smooth integrands; QUADPACK's
        // empirical scaling (200·|K − G| / resasc)^1.5 tightens it there, and never lets it exceed resasc.
        if (deviation != 0 && error != 0)
            error = deviation * Math.Min(1.0, Math.Pow(200 * error / deviation, 1.5));
        // Nothing below 50 ulps of ∫|f| can be resolved in double precision.
        if (absIntegral > AdaptiveQuadrature.Underflow / (50 * AdaptiveQuadrature.Epsilon))
            error = Math.Max(AdaptiveQuadrature.Epsilon * 50 * absIntegral, error);
        return new KronrodEstimate(result, error, absIntegral, deviation);
    }

    /// <summary>
    /// The rule's points on [<paramref name="a"/>, <paramref name="b"/>], left to right, with the Kronrod
    /// weight and the Gauss weight (0 at the Kronrod additions) of each, both scaled to the interval:
    /// for integrands evaluated many points at a time, such as a vector-valued one batched through a network.
    /// </summary>
    internal (double[] Points, double[] KronrodWeights, double[] GaussWeights) Sample(double a, double b)
    {
        int pairs = _nodes.Length - 1;
        double centre = 0.5 * (a + b), halfLength = 0.5 * (b - a);
        var points = new double[Points];
        var kronrod = new double[Points];
        var gauss = new double[Points];
        for (int j = 0; j < pairs; j++)
        {
            // Odd positions of _nodes are the Gauss nodes, whose weights _gaussWeights lists in order.
            double gaussWeight = j % 2 == 1 ? _gaussWeights[j / 2] : 0;
            int left = j, right = Points - 1 - j;
            points[left] = centre - halfLength * _nodes[j];
            points[right] = centre + halfLength * _nodes[j];
            kronrod[left] = kronrod[right] = _kronrodWeights[j] * halfLength;
            gauss[left] = gauss[right] = gaussWeight * halfLength;
        }
        points[pairs] = centre;
        kronrod[pairs] = _kronrodWeights[pairs] * halfLength;
        gauss[pairs] = _gaussWeights[^1] * halfLength;
        return (points, kronrod, gauss);
    }
}

/// <summary>One application of a <see cref="GaussKronrodRule"/>.</summary>
/// <param name="Value">The Kronrod value.</param>
/// <param name="Error">QUADPACK's estimate of the absolute error of <paramref name="Value"/>.</param>
/// <param name="AbsIntegral">The same rule applied to |f| (QUADPACK's resabs).</param>
/// <param name="Deviation">The rule applied to |f − mean of f| (QUADPACK's resasc): the scale of the error formula.</param>
internal readonly record struct KronrodEstimate(double Value, double Error, double AbsIntegral, double Deviation);
