namespace Nabla.Text;

/// <summary>How <see cref="TfidfVectorizer"/> scales each document's row.</summary>
public enum TfidfNorm
{
    /// <summary>Rows are left as computed.</summary>
    None,

    /// <summary>Each row with a non-zero entry is divided by its Euclidean length, so it has length 1 (scikit-learn's default <c>norm="l2"</c>).</summary>
    L2,
}
