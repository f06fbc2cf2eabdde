namespace Nabla.Cli;

/// <summary>What <c>nabla train --impute</c> does with a missing cell in a feature column of a CSV file.</summary>
internal enum ImputeKind
{
    /// <summary>A missing cell is an error naming its line and column.</summary>
    None,

    /// <summary>A missing cell takes its column's mean over the training rows.</summary>
    Mean,
}
