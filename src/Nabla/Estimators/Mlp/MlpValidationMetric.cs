namespace Nabla.Estimators;

/// <summary>What early stopping watches on the held-out validation samples.</summary>
public enum MlpValidationMetric
{
    /// <summary>The estimator's score (accuracy or R²), higher is better: scikit-learn's rule.</summary>
    Score,

    /// <summary>The loss (log-loss or squared loss / 2, without the penalty), lower is better; smoother than accuracy on small validation sets.</summary>
    Loss,
}
