using System.Globalization;

namespace Nabla.Data;

/// <summary>
/// The size of one part of a split, as scikit-learn's <c>test_size</c>/<c>train_size</c>: a
/// fraction of the samples (a <c>double</c> in (0, 1)) or a number of samples (an <c>int</c>).
/// Both convert implicitly, so <c>testSize: 0.2</c> and <c>testSize: 30</c> both read naturally.
/// </summary>
public readonly record struct SplitSize
{
    private SplitSize(double fraction, int count, bool isFraction) => (Fraction, Count, IsFraction) = (fraction, count, isFraction);

    /// <summary>Whether the size is a fraction of the samples rather than a count.</summary>
    public bool IsFraction { get; }

    /// <summary>The fraction, when <see cref="IsFraction"/>.</summary>
    public double Fraction { get; }

    /// <summary>The count, when not <see cref="IsFraction"/>.</summary>
    public int Count { get; }

    /// <summary>A fraction of the samples, in (0, 1).</summary>
    public static SplitSize OfFraction(double fraction) => new(fraction, 0, true);

    /// <summary>A number of samples.</summary>
    public static SplitSize OfCount(int count) => new(0, count, false);

    /// <summary>A fraction of the samples.</summary>
    public static implicit operator SplitSize(double fraction) => OfFraction(fraction);

    /// <summary>A number of samples.</summary>
    public static implicit operator SplitSize(int count) => OfCount(count);

    /// <summary>The fraction or the count, as written.</summary>
    public override string ToString() => IsFraction ? Fraction.ToString(CultureInfo.InvariantCulture) : Count.ToString(CultureInfo.InvariantCulture);
}
