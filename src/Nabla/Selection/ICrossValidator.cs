namespace Nabla.Selection;

/// <summary>
/// A rule that splits samples into folds for cross-validation, as scikit-learn's splitters
/// (<c>KFold</c>, <c>StratifiedKFold</c>, ...): <see cref="KFold"/>, <see cref="StratifiedKFold"/>,
/// <see cref="GroupKFold"/>, <see cref="ShuffleSplit"/> and <see cref="TimeSeriesSplit"/>.
/// </summary>
/// <remarks>
/// Each splitter reads what it needs and ignores the rest, as scikit-learn's <c>split(X, y, groups)</c>:
/// <see cref="StratifiedKFold"/> needs the class of each sample, <see cref="GroupKFold"/> its group.
/// Classes and groups are given as integer codes here (any distinct number per class or group);
/// the splitters that need them also take labels or groups of any type.
/// <code>
/// foreach (var fold in new KFold(5).Split(150))
///     Console.WriteLine($"{fold.Train.Length} train, {fold.Test.Length} test");
/// </code>
/// </remarks>
public interface ICrossValidator
{
    /// <summary>The number of folds <see cref="Split"/> returns (scikit-learn's <c>get_n_splits</c>).</summary>
    int SplitCount { get; }

    /// <summary>Splits <paramref name="samples"/> samples into <see cref="SplitCount"/> folds.</summary>
    /// <param name="samples">The number of samples.</param>
    /// <param name="labels">The class of each sample as an integer code, for a splitter that stratifies; otherwise ignored.</param>
    /// <param name="groups">The group of each sample as an integer code, for a splitter that keeps groups together; otherwise ignored.</param>
    /// <returns>The folds, in scikit-learn's order.</returns>
    /// <exception cref="ArgumentException">There are too few samples, classes or groups for the folds, or the labels or groups a splitter needs are missing or of another length.</exception>
    IReadOnlyList<Fold> Split(int samples, ReadOnlySpan<int> labels = default, ReadOnlySpan<int> groups = default);
}
