namespace Nabla.Estimators;

/// <summary>The loss of <see cref="LinearSvc"/> on the margin z = y·score (scikit-learn's <c>loss</c>).</summary>
public enum LinearSvcLoss
{
    /// <summary>(max(0, 1 − z))², the L2-loss SVM (scikit-learn's default).</summary>
    SquaredHinge,

    /// <summary>max(0, 1 − z), the standard (L1-loss) SVM.</summary>
    Hinge,
}
