namespace Nabla.Explain;

/// <summary>What <see cref="PermutationImportance"/> measured, with scikit-learn's names.</summary>
/// <param name="BaselineScore">The score on the data as given.</param>
/// <param name="Importances">The score drop of each feature (rows) in each repeat (columns).</param>
/// <param name="ImportancesMean">Each feature's mean drop over the repeats.</param>
/// <param name="ImportancesStd">Each feature's population standard deviation of the drop over the repeats (NumPy's <c>std</c>).</param>
public sealed record PermutationImportanceResult(double BaselineScore, double[,] Importances, double[] ImportancesMean, double[] ImportancesStd)
{
    /// <summary>The result from the drops, the mean and deviation per feature computed as NumPy does (sum, then divide).</summary>
    internal static PermutationImportanceResult From(double baseline, double[,] importances)
    {
        int features = importances.GetLength(0), repeats = importances.GetLength(1);
        var mean = new double[features];
        var std = new double[features];
        for (int f = 0; f < features; f++)
        {
            double sum = 0;
            for (int k = 0; k < repeats; k++) sum += importances[f, k];
            mean[f] = sum / repeats;
            double squares = 0;
            for (int k = 0; k < repeats; k++) squares += (importances[f, k] - mean[f]) * (importances[f, k] - mean[f]);
            std[f] = Math.Sqrt(squares / repeats);
        }
        return new PermutationImportanceResult(baseline, importances, mean, std);
    }
}
