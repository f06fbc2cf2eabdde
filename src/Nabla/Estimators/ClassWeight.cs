namespace Nabla.Estimators;

/// <summary>How a classifier weights the samples of each class in its loss (scikit-learn's <c>class_weight</c>).</summary>
public enum ClassWeight
{
    /// <summary>Every sample counts once.</summary>
    None,

    /// <summary>Samples of class k count N / (K · Nₖ), so that every class weighs the same in all.</summary>
    Balanced,
}
