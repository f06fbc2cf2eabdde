namespace Nabla.Metrics;

/// <summary>How ROC AUC is extended to more than two classes, as scikit-learn's <c>multi_class</c>.</summary>
public enum MultiClass
{
    /// <summary>One-vs-rest: each class against all the others, from its own score column.</summary>
    Ovr,

    /// <summary>One-vs-one (Hand and Till, 2001): the mean AUC of every pair of classes, each pair scored both ways.</summary>
    Ovo,
}
