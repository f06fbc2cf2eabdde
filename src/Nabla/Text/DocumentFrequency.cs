using System.Globalization;

namespace Nabla.Text;

/// <summary>
/// A bound on the number of documents a term appears in, as scikit-learn's <c>min_df</c> and
/// <c>max_df</c>: a count of documents, or a fraction of the training documents. As there, an
/// integer converts to a count and a real number to a fraction (so <c>2</c> is two documents and
/// <c>0.5</c> half of them).
/// </summary>
public readonly record struct DocumentFrequency
{
    private DocumentFrequency(double value, bool isFraction)
    {
        Value = value;
        IsFraction = isFraction;
    }

    /// <summary>The count of documents, or the fraction of them when <see cref="IsFraction"/>.</summary>
    public double Value { get; }

    /// <summary>Whether <see cref="Value"/> is a fraction of the training documents rather than a count.</summary>
    public bool IsFraction { get; }

    /// <summary>A bound of <paramref name="documents"/> documents.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="documents"/> is negative.</exception>
    public static DocumentFrequency Count(int documents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(documents);
        return new(documents, isFraction: false);
    }

    /// <summary>A bound of <paramref name="share"/> (0 to 1) of the training documents.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="share"/> is not in [0, 1].</exception>
    public static DocumentFrequency Fraction(double share)
    {
        if (!(share is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(share), share, "A document frequency given as a fraction must be in [0, 1]; give an integer for a count of documents.");
        return new(share, isFraction: true);
    }

    /// <summary>A count of documents, as scikit-learn reads an integer <c>min_df</c>/<c>max_df</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="documents"/> is negative.</exception>
    public static implicit operator DocumentFrequency(int documents) => Count(documents);

    /// <summary>A fraction of the documents, as scikit-learn reads a real <c>min_df</c>/<c>max_df</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="share"/> is not in [0, 1].</exception>
    public static implicit operator DocumentFrequency(double share) => Fraction(share);

    /// <summary>The bound in documents for a training set of <paramref name="documentCount"/> documents (a fraction times the count, unrounded, as scikit-learn).</summary>
    internal double DocumentsOf(int documentCount) => IsFraction ? Value * documentCount : Value;

    /// <summary>"3 documents" or "0.5 of the documents".</summary>
    public override string ToString() =>
        IsFraction ? $"{Value.ToString("R", CultureInfo.InvariantCulture)} of the documents" : $"{Value.ToString(CultureInfo.InvariantCulture)} documents";
}
