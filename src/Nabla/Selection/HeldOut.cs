namespace Nabla.Selection;

/// <summary>
/// What a scorer reads about one fold's held-out samples: for a classifier the true and predicted
/// classes as codes 0 … <see cref="ClassCount"/> − 1 (the sorted classes of the whole data set) and,
/// when a scorer asks, the probability of each of those classes; for a regressor the true and
/// predicted targets, (samples, targets).
/// </summary>
internal sealed record HeldOut(
    int[]? Truth = null, int[]? Predicted = null, int ClassCount = 0, double[,]? Probabilities = null,
    double[,]? Targets = null, double[,]? PredictedTargets = null)
{
    /// <summary>The class codes 0 … K − 1, the columns of <see cref="Probabilities"/>.</summary>
    public int[] ClassCodes => [.. Enumerable.Range(0, ClassCount)];
}
