using Nabla.Data;

namespace Nabla.Selection;

/// <summary>The checks and the bookkeeping the k-fold splitters share, with scikit-learn's rules and messages.</summary>
internal static class FoldAssignment
{
    /// <summary>Checks a number of folds as scikit-learn's <c>_BaseKFold</c> does: at least 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nSplits"/> is below 2.</exception>
    public static int CheckSplits(int nSplits, string who)
    {
        if (nSplits < 2)
            throw new ArgumentOutOfRangeException(nameof(nSplits), nSplits,
                $"{who}: k-fold cross-validation requires at least one train/test split by setting nSplits=2 or more, got nSplits={nSplits}.");
        return nSplits;
    }

    /// <summary>Checks that there are at least as many samples as folds.</summary>
    /// <exception cref="ArgumentException">There are fewer samples than folds.</exception>
    public static void CheckSamples(int nSplits, int samples, string who)
    {
        if (samples < 0)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"{who}: the number of samples must not be negative, got {samples}.");
        if (nSplits > samples)
            throw new ArgumentException($"{who}: cannot have number of splits nSplits={nSplits} greater than the number of samples: {samples}.", nameof(samples));
    }

    /// <summary>Checks that per-sample codes (labels or groups) were given, one per sample.</summary>
    /// <exception cref="ArgumentException">The codes are missing or of another length.</exception>
    public static void CheckPerSample(ReadOnlySpan<int> codes, int samples, string name, string who)
    {
        if (codes.Length != samples)
            throw new ArgumentException(codes.IsEmpty
                ? $"{who}: needs {name}, one per sample; none were given."
                : $"{who}: {name} has {codes.Length} values, but there are {samples} samples.", name);
    }

    /// <summary>
    /// The folds from the test fold of each sample: fold f tests the samples assigned to f and
    /// trains on all others, both in ascending order (scikit-learn's test masks).
    /// </summary>
    public static Fold[] FromTestFolds(ReadOnlySpan<int> testFold, int nSplits)
    {
        var sizes = new int[nSplits];
        foreach (int f in testFold) sizes[f]++;
        var folds = new Fold[nSplits];
        for (int f = 0; f < nSplits; f++)
        {
            var train = new int[testFold.Length - sizes[f]];
            var test = new int[sizes[f]];
            int nTrain = 0, nTest = 0;
            for (int i = 0; i < testFold.Length; i++)
            {
                if (testFold[i] == f) test[nTest++] = i;
                else train[nTrain++] = i;
            }
            folds[f] = new Fold(train, test);
        }
        return folds;
    }

    /// <summary>Dense codes 0 … K − 1 for the distinct labels or groups, in their sorted order (as <c>np.unique</c>).</summary>
    public static int[] SortedCodes<T>(IReadOnlyList<T> values, string who) where T : notnull
    {
        var index = LabelOrder.IndexOf(LabelOrder.Unique(values), who);
        var codes = new int[values.Count];
        for (int i = 0; i < codes.Length; i++) codes[i] = index[values[i]];
        return codes;
    }
}
