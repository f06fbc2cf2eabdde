namespace Nabla.Estimators;

/// <summary>The default scores of the estimator families: accuracy for classifiers, R² for regressors, as scikit-learn's <c>score</c>.</summary>
internal static class EstimatorScores
{
    /// <summary>The fraction of samples whose predicted label equals the true one.</summary>
    public static double Accuracy<TLabel>(TLabel[] truth, TLabel[] predicted)
    {
        var comparer = EqualityComparer<TLabel>.Default;
        int correct = 0;
        for (int i = 0; i < truth.Length; i++)
            if (comparer.Equals(truth[i], predicted[i])) correct++;
        return (double)correct / truth.Length;
    }

    /// <summary>
    /// The coefficient of determination 1 − Σ(y − ŷ)² / Σ(y − ȳ)², per target column of the
    /// row-major N × T matrices, averaged over the targets with equal weights (scikit-learn's
    /// <c>r2_score</c>, <c>multioutput="uniform_average"</c>). A constant target scores 1 when
    /// predicted exactly and 0 otherwise, as scikit-learn does rather than dividing by zero.
    /// </summary>
    public static double RSquared(double[] truth, double[] predicted, int rows, int targets)
    {
        double total = 0;
        for (int t = 0; t < targets; t++)
        {
            double mean = 0;
            for (int i = 0; i < rows; i++) mean += truth[i * targets + t];
            mean /= rows;
            double residual = 0, spread = 0;
            for (int i = 0; i < rows; i++)
            {
                double y = truth[i * targets + t], e = y - predicted[i * targets + t], d = y - mean;
                residual += e * e;
                spread += d * d;
            }
            total += spread != 0 ? 1 - residual / spread : residual == 0 ? 1 : 0;
        }
        return total / targets;
    }
}
