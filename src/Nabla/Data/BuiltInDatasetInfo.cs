namespace Nabla.Data;

/// <summary>
/// What a built-in data set is (<see cref="Datasets.Catalog"/>), without reading it: its size, its
/// target, where it comes from and its licence (the full notice is in the library's Data/BuiltIn/README.md).
/// </summary>
/// <param name="Name">The name <see cref="Datasets.ReadTable"/> and <see cref="Datasets.OpenCsv"/> take.</param>
/// <param name="Rows">The number of samples.</param>
/// <param name="Features">The number of feature columns (every column but the target).</param>
/// <param name="Target">The target column's name, the last column of the file.</param>
/// <param name="Classes">The number of classes, or null when the target is a number to regress.</param>
/// <param name="Description">One line on what the rows are.</param>
/// <param name="Origin">Who made it, and the copy it is taken from.</param>
/// <param name="Licence">The licence's short name (SPDX where there is one).</param>
public sealed record BuiltInDatasetInfo(string Name, int Rows, int Features, string Target, int? Classes,
    string Description, string Origin, string Licence)
{
    /// <summary>"classification (3 classes)" or "regression".</summary>
    public string Task => Classes is { } count ? $"classification ({count} classes)" : "regression";

    /// <summary>The name and its size, task and licence on one line.</summary>
    public override string ToString() => $"{Name}: {Rows} rows × {Features} features, {Task}, target '{Target}' ({Licence})";
}
