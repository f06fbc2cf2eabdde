using Nabla.Data;

namespace Nabla.Selection;

/// <summary>
/// Random permutation cross-validation, as scikit-learn's <c>ShuffleSplit</c>: each of
/// <see cref="SplitCount"/> splits shuffles all the samples afresh and takes a test part and a
/// training part from the front of the shuffle, so test parts of different splits may overlap.
/// </summary>
/// <remarks>
/// The sizes follow scikit-learn's rules (those of <see cref="TrainTestSplit"/>): a fraction of the
/// test part rounds up, of the training part down; with neither size given, a tenth of the samples
/// is tested and the rest trains. The shuffles come from one <see cref="Generator"/> seeded with
/// <see cref="RandomState"/>: the same seed gives the same splits, but not the ones NumPy's
/// generator gives scikit-learn. Indices come back in shuffled order, as scikit-learn's do.
/// </remarks>
public sealed class ShuffleSplit : ICrossValidator
{
    /// <summary>scikit-learn's test share for <c>ShuffleSplit</c> when neither size is given.</summary>
    private const double DefaultTestFraction = 0.1;

    /// <summary>Creates the splitter.</summary>
    /// <param name="nSplits">The number of splits, at least 1.</param>
    /// <param name="testSize">The test part: a fraction in (0, 1) or a count; by default the complement of <paramref name="trainSize"/>, or 0.1 when neither is given.</param>
    /// <param name="trainSize">The training part: a fraction in (0, 1) or a count; by default the complement of the test part.</param>
    /// <param name="randomState">The seed of the shuffles.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nSplits"/> is below 1.</exception>
    public ShuffleSplit(int nSplits = 10, SplitSize? testSize = null, SplitSize? trainSize = null, ulong randomState = 0)
    {
        if (nSplits < 1)
            throw new ArgumentOutOfRangeException(nameof(nSplits), nSplits, $"ShuffleSplit: nSplits must be at least 1, got {nSplits}.");
        (SplitCount, TestSize, TrainSize, RandomState) = (nSplits, testSize, trainSize, randomState);
    }

    /// <inheritdoc/>
    public int SplitCount { get; }

    /// <summary>The test part as given, or null.</summary>
    public SplitSize? TestSize { get; }

    /// <summary>The training part as given, or null.</summary>
    public SplitSize? TrainSize { get; }

    /// <summary>The seed of the shuffles.</summary>
    public ulong RandomState { get; }

    /// <summary>Splits <paramref name="samples"/> samples <see cref="SplitCount"/> times; labels and groups are ignored.</summary>
    /// <exception cref="ArgumentException">A size is out of range for the number of samples, the sizes add up to more than the samples, or the training part would be empty.</exception>
    public IReadOnlyList<Fold> Split(int samples, ReadOnlySpan<int> labels = default, ReadOnlySpan<int> groups = default)
    {
        var testSize = TestSize ?? (TrainSize is null ? DefaultTestFraction : null);
        var (nTrain, nTest) = TrainTestSplit.Sizes(samples, testSize, TrainSize, nameof(ShuffleSplit));
        var generator = new Generator(RandomState);
        var result = new Fold[SplitCount];
        for (int s = 0; s < SplitCount; s++)
        {
            var permutation = TrainTestSplit.Permutation(generator, samples);
            result[s] = new Fold(permutation[nTest..(nTest + nTrain)], permutation[..nTest]);
        }
        return result;
    }
}
