using Nabla.Kernels;

namespace Nabla.Selection;

/// <summary>
/// A Parzen estimator over [low, high] in a range's internal coordinates, as Optuna's TPE builds it: one
/// truncated normal kernel per observation plus one for the prior (centred, as wide as the range).
/// </summary>
/// <remarks>
/// Each kernel's width is the larger gap to its sorted neighbours (the range's ends count as neighbours,
/// except that the outermost kernels use their inner gap), clipped to [(high − low) / min(100, 1 + kernels),
/// high − low] ("magic clip"); the prior keeps width high − low. Kernel weights are the observation weights
/// and <c>priorWeight</c>, normalised.
/// </remarks>
internal sealed class NumericParzenEstimator
{
    private readonly double _low, _high;
    private readonly double[] _mus, _sigmas, _weights;

    public NumericParzenEstimator(IReadOnlyList<double> observations, IReadOnlyList<double> observationWeights, double low, double high, double priorWeight)
    {
        (_low, _high) = (low, high);
        int n = observations.Count + 1;
        _mus = [.. observations, 0.5 * (low + high)];
        _weights = [.. observationWeights, priorWeight];
        double total = _weights.Sum();
        for (int i = 0; i < n; i++) _weights[i] /= total;

        int[] order = Enumerable.Range(0, n).OrderBy(i => _mus[i]).ToArray();
        double[] withEnds = [low, .. order.Select(i => _mus[i]), high];
        var sorted = new double[n];
        for (int k = 0; k < n; k++) sorted[k] = Math.Max(withEnds[k + 1] - withEnds[k], withEnds[k + 2] - withEnds[k + 1]);
        if (withEnds.Length >= 4)
        {
            sorted[0] = withEnds[2] - withEnds[1];
            sorted[^1] = withEnds[^2] - withEnds[^3];
        }
        double width = high - low, narrowest = width / Math.Min(100.0, 1.0 + n);
        _sigmas = new double[n];
        for (int k = 0; k < n; k++) _sigmas[order[k]] = Math.Clamp(sorted[k], narrowest, width);
        _sigmas[^1] = width;
    }

    /// <summary>A draw: a kernel by weight, then its normal truncated to [low, high].</summary>
    public double Sample(Generator random)
    {
        int kernel = WeightedDraw.Index(random, _weights);
        // With μ inside the range and σ at most its width, at least a third of each kernel's mass lies inside.
        while (true)
        {
            double x = _mus[kernel] + _sigmas[kernel] * random.NextNormal();
            if (x >= _low && x <= _high) return x;
        }
    }

    /// <summary>The log of the mixture's density at <paramref name="x"/>.</summary>
    public double LogDensity(double x)
    {
        var terms = new double[_mus.Length];
        for (int k = 0; k < _mus.Length; k++)
        {
            double sigma = _sigmas[k], z = (x - _mus[k]) / sigma;
            double mass = SpecialFunctions.NormalCdf((_high - _mus[k]) / sigma) - SpecialFunctions.NormalCdf((_low - _mus[k]) / sigma);
            terms[k] = Math.Log(_weights[k]) - 0.5 * z * z - Math.Log(sigma * Math.Sqrt(2 * Math.PI) * mass);
        }
        double max = terms.Max();
        return max + Math.Log(terms.Sum(term => Math.Exp(term - max)));
    }
}
