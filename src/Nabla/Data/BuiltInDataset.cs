namespace Nabla.Data;

/// <summary>
/// A data set shipped with the library (<see cref="Datasets"/>): features, target, and their names.
/// </summary>
/// <param name="Name">A short name: "iris", "diabetes", "breast_cancer", "digits".</param>
/// <param name="Features">The samples as a Float64 (N, F) tensor.</param>
/// <param name="Target">
/// For classification, the class of each sample as an Int32 (N) tensor of indices into
/// <paramref name="ClassNames"/>; for regression, the values as a Float64 (N) tensor.
/// </param>
/// <param name="FeatureNames">The F feature names, from the file's header.</param>
/// <param name="TargetName">The target column's name.</param>
/// <param name="ClassNames">The class names (classification), or null (regression).</param>
public sealed record BuiltInDataset(string Name, Tensor Features, Tensor Target, IReadOnlyList<string> FeatureNames,
    string TargetName, IReadOnlyList<string>? ClassNames)
{
    /// <summary>Whether the target is a class (rather than a number to regress).</summary>
    public bool IsClassification => ClassNames is not null;
}
