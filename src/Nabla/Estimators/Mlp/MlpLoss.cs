namespace Nabla.Estimators;

/// <summary>
/// The output layer's activation and loss, as scikit-learn's MLP computes them: identity with the
/// squared loss / 2, logistic with the binary log-loss, softmax with the log-loss (probabilities
/// clipped to [ε, 1 − ε] in the loss, ε the machine epsilon), and the error at the output, p − y,
/// that back-propagation starts from.
/// </summary>
internal static class MlpLoss
{
    /// <summary>Applies the output activation to the raw outputs (row-major, <paramref name="outputs"/> a row) in place.</summary>
    public static void Activate(MlpOutputActivation activation, Span<double> values, int outputs)
    {
        if (activation == MlpOutputActivation.Logistic)
        {
            foreach (ref double z in values) z = 1 / (1 + Math.Exp(-z));
        }
        else if (activation == MlpOutputActivation.Softmax)
        {
            for (int start = 0; start < values.Length; start += outputs)
            {
                var row = values.Slice(start, outputs);
                double max = double.NegativeInfinity, sum = 0;
                foreach (double z in row) max = Math.Max(max, z);
                foreach (ref double z in row) sum += z = Math.Exp(z - max);
                foreach (ref double z in row) z /= sum;
            }
        }
    }

    /// <summary>
    /// The mean loss of activated outputs <paramref name="predicted"/> against <paramref name="targets"/>
    /// (both row-major, <paramref name="outputs"/> a row); each sample's term weighted by
    /// <paramref name="sampleWeights"/> when given. The squared loss is averaged over every value, as scikit-learn's.
    /// </summary>
    public static double Value(MlpOutputActivation activation, ReadOnlySpan<double> predicted, ReadOnlySpan<double> targets, int outputs, ReadOnlySpan<double> sampleWeights)
    {
        int rows = predicted.Length / outputs;
        double total = 0;
        for (int i = 0; i < rows; i++)
        {
            double term = 0;
            for (int k = i * outputs; k < (i + 1) * outputs; k++)
            {
                double p = predicted[k], y = targets[k];
                term += activation switch
                {
                    MlpOutputActivation.Identity => (y - p) * (y - p),
                    MlpOutputActivation.Logistic => -(XLogY(y, Clip(p)) + XLogY(1 - y, 1 - Clip(p))),
                    _ => -XLogY(y, Clip(p)),
                };
            }
            total += sampleWeights.IsEmpty ? term : sampleWeights[i] * term;
        }
        return activation == MlpOutputActivation.Identity ? total / predicted.Length / 2 : total / rows;
    }

    /// <summary>The output errors p − y, each row scaled by its sample weight when given, written over <paramref name="predicted"/>.</summary>
    public static void Delta(Span<double> predicted, ReadOnlySpan<double> targets, int outputs, ReadOnlySpan<double> sampleWeights)
    {
        for (int k = 0; k < predicted.Length; k++)
        {
            predicted[k] -= targets[k];
            if (!sampleWeights.IsEmpty) predicted[k] *= sampleWeights[k / outputs];
        }
    }

    private static double Clip(double p) => Math.Clamp(p, MachineEpsilon, 1 - MachineEpsilon);

    // NumPy's finfo(float64).eps, 2⁻⁵²: the clip bound scikit-learn's log-losses use.
    private const double MachineEpsilon = 2.220446049250313e-16;

    // scipy's xlogy: 0 when x is 0, whatever y.
    private static double XLogY(double x, double y) => x == 0 ? 0 : x * Math.Log(y);
}
