namespace Nabla.Data;

/// <summary>What <see cref="OneHotEncoder"/> does with a category it did not see in fitting (scikit-learn's <c>handle_unknown</c>).</summary>
public enum HandleUnknown
{
    /// <summary>Throw, naming the unknown categories and their column.</summary>
    Error,

    /// <summary>Encode the feature as all zeros.</summary>
    Ignore,
}

/// <summary>Which category of each feature <see cref="OneHotEncoder"/> leaves out, to avoid collinear columns (scikit-learn's <c>drop</c>).</summary>
public enum OneHotDrop
{
    /// <summary>Keep one column per category.</summary>
    None,

    /// <summary>Drop the first category of every feature.</summary>
    First,

    /// <summary>Drop the first category of features with exactly two categories only.</summary>
    IfBinary,
}
