namespace Nabla.Selection;

/// <summary>
/// K-fold cross-validation that never splits a group, as scikit-learn's <c>GroupKFold</c>: every
/// sample of a group (a patient, a user, a session) is in the same test fold, so a model is never
/// scored on a group it saw in training.
/// </summary>
/// <remarks>
/// Groups are dealt largest first, each to the fold with the fewest samples so far (the first such
/// fold on a tie), which balances the fold sizes. Groups of equal size are taken in the order
/// NumPy's default (unstable) <c>argsort</c> reversed leaves them, as scikit-learn 1.2 takes them,
/// so the folds are exactly scikit-learn's. There is no shuffling.
/// </remarks>
public sealed class GroupKFold : ICrossValidator
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="nSplits">The number of folds, at least 2.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nSplits"/> is below 2.</exception>
    public GroupKFold(int nSplits = 5) => SplitCount = FoldAssignment.CheckSplits(nSplits, nameof(GroupKFold));

    /// <inheritdoc/>
    public int SplitCount { get; }

    /// <summary>Splits the samples whose groups are <paramref name="groups"/>, of any type (ordered as <c>np.unique</c> orders them).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="groups"/> is null.</exception>
    /// <exception cref="ArgumentException">There are fewer samples or groups than folds.</exception>
    public IReadOnlyList<Fold> Split<TGroup>(IReadOnlyList<TGroup> groups) where TGroup : notnull
    {
        ArgumentNullException.ThrowIfNull(groups);
        return Split(groups.Count, groups: FoldAssignment.SortedCodes(groups, nameof(GroupKFold)));
    }

    /// <summary>Splits <paramref name="samples"/> samples of the groups <paramref name="groups"/> (integer codes, ordered by value); labels are ignored.</summary>
    /// <exception cref="ArgumentException">There are fewer samples or groups than folds, or the groups are missing or of another length.</exception>
    public IReadOnlyList<Fold> Split(int samples, ReadOnlySpan<int> labels = default, ReadOnlySpan<int> groups = default)
    {
        string who = nameof(GroupKFold);
        FoldAssignment.CheckSamples(SplitCount, samples, who);
        FoldAssignment.CheckPerSample(groups, samples, nameof(groups), who);
        var codes = FoldAssignment.SortedCodes(groups.ToArray(), who);
        int groupCount = codes.Length == 0 ? 0 : codes.Max() + 1;
        if (SplitCount > groupCount)
            throw new ArgumentException($"{who}: cannot have number of splits nSplits={SplitCount} greater than the number of groups: {groupCount}.", nameof(groups));

        var sizes = new int[groupCount];
        foreach (int code in codes) sizes[code]++;
        var bySize = NumPyArgsort.Argsort(sizes);
        var foldSamples = new long[SplitCount];
        var foldOfGroup = new int[groupCount];
        for (int r = groupCount - 1; r >= 0; r--)
        {
            int group = bySize[r], lightest = 0;
            for (int f = 1; f < SplitCount; f++)
                if (foldSamples[f] < foldSamples[lightest]) lightest = f;
            foldSamples[lightest] += sizes[group];
            foldOfGroup[group] = lightest;
        }
        var testFold = new int[samples];
        for (int i = 0; i < samples; i++) testFold[i] = foldOfGroup[codes[i]];
        return FoldAssignment.FromTestFolds(testFold, SplitCount);
    }
}
