namespace Nabla.Data;

/// <summary>What a <see cref="TabularPreprocessor"/> does with a missing feature cell.</summary>
public enum MissingValuePolicy
{
    /// <summary>Refuse the table, naming the file, line and column of the first missing cell.</summary>
    Error,

    /// <summary>Fill a number column with its training mean and a text column with its most frequent training category, as scikit-learn's <c>SimpleImputer</c>.</summary>
    ImputeMean,
}
