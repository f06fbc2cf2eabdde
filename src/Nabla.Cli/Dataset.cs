namespace Nabla.Cli;

/// <summary>A table of numeric features with one numeric target column, stored row-major.</summary>
internal sealed class Dataset
{
    public Dataset(string name, IReadOnlyList<string> featureNames, string targetName, float[] features, float[] target)
    {
        if (features.Length != target.Length * featureNames.Count)
            throw new ArgumentException($"{name}: {features.Length} feature values do not make {target.Length} rows of {featureNames.Count} features.");
        Name = name;
        FeatureNames = featureNames;
        TargetName = targetName;
        Features = features;
        Target = target;
    }

    /// <summary>What the data set is called in messages and output.</summary>
    public string Name { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public string TargetName { get; }

    /// <summary>Rows × columns values, row-major.</summary>
    public float[] Features { get; }

    /// <summary>One value per row.</summary>
    public float[] Target { get; }

    public int Rows => Target.Length;

    public int Columns => FeatureNames.Count;
}
