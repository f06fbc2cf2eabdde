namespace Nabla.Selection;

/// <summary>
/// Cross-validation for samples in time order, as scikit-learn's <c>TimeSeriesSplit</c>: each fold
/// tests a block of consecutive samples and trains only on samples before it, so a model never
/// learns from the future it is scored on.
/// </summary>
/// <remarks>
/// The test blocks are the last <c>nSplits · testSize</c> samples, cut in order; by default
/// <c>testSize = n / (nSplits + 1)</c>. The training part of a fold is every sample up to
/// <see cref="Gap"/> samples before its test block, or only the last <see cref="MaxTrainSize"/> of them.
/// The folds are exactly scikit-learn's; there is no shuffling.
/// </remarks>
public sealed class TimeSeriesSplit : ICrossValidator
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="nSplits">The number of folds, at least 2.</param>
    /// <param name="maxTrainSize">The most samples a fold trains on (the latest ones); by default all before the gap.</param>
    /// <param name="testSize">The samples each fold tests; by default <c>n / (nSplits + 1)</c>.</param>
    /// <param name="gap">The samples left out between the end of training and the start of the test block.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nSplits"/> is below 2, <paramref name="maxTrainSize"/> or <paramref name="testSize"/> is below 1, or <paramref name="gap"/> is negative.</exception>
    public TimeSeriesSplit(int nSplits = 5, int? maxTrainSize = null, int? testSize = null, int gap = 0)
    {
        SplitCount = FoldAssignment.CheckSplits(nSplits, nameof(TimeSeriesSplit));
        if (maxTrainSize < 1)
            throw new ArgumentOutOfRangeException(nameof(maxTrainSize), maxTrainSize, $"TimeSeriesSplit: maxTrainSize must be at least 1 (or null for no limit), got {maxTrainSize}.");
        if (testSize < 1)
            throw new ArgumentOutOfRangeException(nameof(testSize), testSize, $"TimeSeriesSplit: testSize must be at least 1 (or null for n / (nSplits + 1)), got {testSize}.");
        if (gap < 0)
            throw new ArgumentOutOfRangeException(nameof(gap), gap, $"TimeSeriesSplit: gap must not be negative, got {gap}.");
        (MaxTrainSize, TestSize, Gap) = (maxTrainSize, testSize, gap);
    }

    /// <inheritdoc/>
    public int SplitCount { get; }

    /// <summary>The most samples a fold trains on, or null for no limit.</summary>
    public int? MaxTrainSize { get; }

    /// <summary>The samples each fold tests, or null for <c>n / (nSplits + 1)</c>.</summary>
    public int? TestSize { get; }

    /// <summary>The samples left out between training and testing.</summary>
    public int Gap { get; }

    /// <summary>Splits <paramref name="samples"/> samples in time order; labels and groups are ignored.</summary>
    /// <exception cref="ArgumentException">There are fewer samples than <c>nSplits + 1</c>, or too few for the test blocks and the gap to leave any training sample.</exception>
    public IReadOnlyList<Fold> Split(int samples, ReadOnlySpan<int> labels = default, ReadOnlySpan<int> groups = default)
    {
        string who = nameof(TimeSeriesSplit);
        if (samples < 0)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"{who}: the number of samples must not be negative, got {samples}.");
        int folds = SplitCount + 1;
        if (folds > samples)
            throw new ArgumentException($"{who}: cannot have number of folds={folds} (nSplits + 1) greater than the number of samples={samples}.", nameof(samples));
        int testSize = TestSize ?? samples / folds;
        if (samples - Gap - (long)testSize * SplitCount <= 0)
            throw new ArgumentException($"{who}: too many splits={SplitCount} for number of samples={samples} with testSize={testSize} and gap={Gap}.", nameof(samples));

        var result = new Fold[SplitCount];
        for (int f = 0; f < SplitCount; f++)
        {
            int testStart = samples - (SplitCount - f) * testSize, trainEnd = testStart - Gap;
            int trainStart = MaxTrainSize is int most && most < trainEnd ? trainEnd - most : 0;
            result[f] = new Fold([.. Enumerable.Range(trainStart, trainEnd - trainStart)], [.. Enumerable.Range(testStart, testSize)]);
        }
        return result;
    }
}
