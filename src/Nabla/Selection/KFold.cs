using Nabla.Data;

namespace Nabla.Selection;

/// <summary>
/// K-fold cross-validation, as scikit-learn's <c>KFold</c>: the samples, in order or shuffled, are
/// cut into <see cref="SplitCount"/> consecutive folds; each fold is held out once while the others train.
/// </summary>
/// <remarks>
/// The first <c>n % k</c> folds hold <c>n / k + 1</c> samples, the others <c>n / k</c>. Unshuffled,
/// the folds are exactly scikit-learn's. Shuffled, the order comes from Nabla's
/// <see cref="Generator"/> seeded with <see cref="RandomState"/>: the same seed gives the same folds,
/// but not the ones NumPy's generator gives scikit-learn. Train and test indices come back in
/// ascending order, as scikit-learn's do.
/// </remarks>
public sealed class KFold : ICrossValidator
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="nSplits">The number of folds, at least 2.</param>
    /// <param name="shuffle">Whether to shuffle the samples before cutting them into folds.</param>
    /// <param name="randomState">The seed of the shuffle; unused when <paramref name="shuffle"/> is false.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nSplits"/> is below 2.</exception>
    public KFold(int nSplits = 5, bool shuffle = false, ulong randomState = 0)
    {
        SplitCount = FoldAssignment.CheckSplits(nSplits, nameof(KFold));
        (Shuffle, RandomState) = (shuffle, randomState);
    }

    /// <inheritdoc/>
    public int SplitCount { get; }

    /// <summary>Whether the samples are shuffled before they are cut into folds.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the shuffle.</summary>
    public ulong RandomState { get; }

    /// <summary>Splits <paramref name="samples"/> samples into <see cref="SplitCount"/> folds; labels and groups are ignored.</summary>
    /// <exception cref="ArgumentException">There are fewer samples than folds.</exception>
    public IReadOnlyList<Fold> Split(int samples, ReadOnlySpan<int> labels = default, ReadOnlySpan<int> groups = default)
    {
        FoldAssignment.CheckSamples(SplitCount, samples, nameof(KFold));
        var order = Shuffle ? TrainTestSplit.Permutation(new Generator(RandomState), samples) : [.. Enumerable.Range(0, samples)];
        var testFold = new int[samples];
        int start = 0;
        for (int f = 0; f < SplitCount; f++)
        {
            int size = samples / SplitCount + (f < samples % SplitCount ? 1 : 0);
            for (int r = start; r < start + size; r++) testFold[order[r]] = f;
            start += size;
        }
        return FoldAssignment.FromTestFolds(testFold, SplitCount);
    }
}
