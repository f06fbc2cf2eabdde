using Nabla.Data;

namespace Nabla.Selection;

/// <summary>
/// K-fold cross-validation that keeps each class's share in every fold, as scikit-learn's
/// <c>StratifiedKFold</c> (version 1.2 allocation).
/// </summary>
/// <remarks>
/// <para>
/// How many samples of each class a fold tests is decided as scikit-learn does: the labels,
/// numbered by order of first appearance and sorted, are dealt round-robin to the folds. Each
/// class then gives its samples, in data order, to fold 0 first, then fold 1, ... in blocks of
/// those sizes. Unshuffled, the folds are exactly scikit-learn's.
/// </para>
/// <para>
/// Shuffled, each class's block order is shuffled by Nabla's <see cref="Generator"/> seeded with
/// <see cref="RandomState"/> (the same seed gives the same folds, but not NumPy's). The class
/// counts per fold are the same as unshuffled.
/// </para>
/// <para>
/// As in scikit-learn, it is an error when every class has fewer samples than folds. When only
/// some classes do, the split goes ahead (scikit-learn warns) and some folds test no sample of them.
/// </para>
/// </remarks>
public sealed class StratifiedKFold : ICrossValidator
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="nSplits">The number of folds, at least 2.</param>
    /// <param name="shuffle">Whether to shuffle each class's samples among the folds.</param>
    /// <param name="randomState">The seed of the shuffle; unused when <paramref name="shuffle"/> is false.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nSplits"/> is below 2.</exception>
    public StratifiedKFold(int nSplits = 5, bool shuffle = false, ulong randomState = 0)
    {
        SplitCount = FoldAssignment.CheckSplits(nSplits, nameof(StratifiedKFold));
        (Shuffle, RandomState) = (shuffle, randomState);
    }

    /// <inheritdoc/>
    public int SplitCount { get; }

    /// <summary>Whether each class's samples are shuffled among the folds.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the shuffle.</summary>
    public ulong RandomState { get; }

    /// <summary>Splits the samples whose classes are <paramref name="y"/>, labels of any type.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="y"/> is null.</exception>
    /// <exception cref="ArgumentException">There are fewer samples than folds, or every class has fewer samples than folds.</exception>
    public IReadOnlyList<Fold> Split<TLabel>(IReadOnlyList<TLabel> y) where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(y);
        return Split(y.Count, FoldAssignment.SortedCodes(y, nameof(StratifiedKFold)));
    }

    /// <summary>Splits <paramref name="samples"/> samples of the classes <paramref name="labels"/> (integer codes); groups are ignored.</summary>
    /// <exception cref="ArgumentException">There are fewer samples than folds, the labels are missing or of another length, or every class has fewer samples than folds.</exception>
    public IReadOnlyList<Fold> Split(int samples, ReadOnlySpan<int> labels = default, ReadOnlySpan<int> groups = default)
    {
        string who = nameof(StratifiedKFold);
        FoldAssignment.CheckSamples(SplitCount, samples, who);
        FoldAssignment.CheckPerSample(labels, samples, nameof(labels), who);

        // Classes numbered by order of first appearance, as scikit-learn encodes them.
        var appearance = new Dictionary<int, int>();
        var encoded = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            if (!appearance.TryGetValue(labels[i], out int code)) appearance.Add(labels[i], code = appearance.Count);
            encoded[i] = code;
        }
        int classes = appearance.Count;
        var counts = new int[classes];
        foreach (int code in encoded) counts[code]++;
        if (counts.All(c => SplitCount > c))
            throw new ArgumentException($"{who}: nSplits={SplitCount} cannot be greater than the number of members in each class (the largest class has {counts.Max()}).", nameof(labels));

        // Round robin over the sorted codes: position p of the sorted labels goes to fold p mod k.
        var allocation = new int[SplitCount, classes];
        for (int code = 0, position = 0; code < classes; code++)
            for (int r = 0; r < counts[code]; r++, position++) allocation[position % SplitCount, code]++;

        var generator = new Generator(RandomState);
        var testFold = new int[samples];
        var members = new int[classes];
        var foldsOfClass = new int[classes][];
        for (int code = 0; code < classes; code++)
        {
            var blocks = new List<int>(counts[code]);
            for (int f = 0; f < SplitCount; f++) blocks.AddRange(Enumerable.Repeat(f, allocation[f, code]));
            foldsOfClass[code] = [.. blocks];
            if (Shuffle) generator.Shuffle<int>(foldsOfClass[code]);
        }
        for (int i = 0; i < samples; i++) testFold[i] = foldsOfClass[encoded[i]][members[encoded[i]]++];
        return FoldAssignment.FromTestFolds(testFold, SplitCount);
    }
}
