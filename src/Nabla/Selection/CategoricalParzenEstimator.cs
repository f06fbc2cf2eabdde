namespace Nabla.Selection;

/// <summary>
/// A Parzen estimator over a choice's values, as Optuna's TPE builds it: each observation's kernel puts 1
/// on its value plus priorWeight / kernels on every value, the prior's kernel is uniform, and the kernels
/// mix with the observation weights and <c>priorWeight</c>.
/// </summary>
internal sealed class CategoricalParzenEstimator
{
    private readonly double[] _probabilities;

    public CategoricalParzenEstimator(IReadOnlyList<int> observations, IReadOnlyList<double> observationWeights, int count, double priorWeight)
    {
        int kernels = observations.Count + 1;
        double total = observationWeights.Sum() + priorWeight;
        _probabilities = new double[count];
        double smoothing = priorWeight / kernels;
        for (int k = 0; k < observations.Count; k++)
        {
            // The kernel's row before normalising: smoothing everywhere, plus 1 at the observation.
            double rowSum = count * smoothing + 1;
            for (int c = 0; c < count; c++) _probabilities[c] += observationWeights[k] / total * smoothing / rowSum;
            _probabilities[observations[k]] += observationWeights[k] / total / rowSum;
        }
        for (int c = 0; c < count; c++) _probabilities[c] += priorWeight / total / count;
    }

    /// <summary>A value's index, drawn by probability.</summary>
    public int Sample(Generator random) => WeightedDraw.Index(random, _probabilities);

    /// <summary>The log of the probability of the value at <paramref name="index"/>.</summary>
    public double LogDensity(int index) => Math.Log(_probabilities[index]);
}
