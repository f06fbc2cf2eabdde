namespace Nabla.Data;

/// <summary>
/// A split of n samples into a training part and a test part, as scikit-learn's
/// <c>train_test_split</c> (sizes, validation and messages of version 1.2): the index arrays
/// <see cref="Train"/> and <see cref="Test"/>, and <c>Apply</c> to cut tensors and arrays with them.
/// Shuffling is seeded by <c>randomState</c> (the same seed gives the same split; the order differs
/// from scikit-learn's, whose random generator differs). A stratified split keeps each class's share
/// exactly as scikit-learn's <c>StratifiedShuffleSplit</c> allocates it.
/// </summary>
/// <example>
/// <code>
/// var split = TrainTestSplit.Stratified(labels, testSize: 0.25, randomState: 42);
/// var (xTrain, xTest) = split.Apply(x);
/// var (yTrain, yTest) = split.Apply(y);
/// </code>
/// </example>
public sealed class TrainTestSplit
{
    /// <summary>scikit-learn's test share when neither size is given.</summary>
    private const double DefaultTestFraction = 0.25;

    private readonly int[] _train, _test;

    private TrainTestSplit(int samples, int[] train, int[] test) => (NSamples, _train, _test) = (samples, train, test);

    /// <summary>A split of <paramref name="samples"/> whose parts another rule chose (<see cref="InteractionSplits"/>): disjoint indices, each part in the order given.</summary>
    internal static TrainTestSplit Of(int samples, int[] train, int[] test) => new(samples, train, test);

    /// <summary>The number of samples split.</summary>
    public int NSamples { get; }

    /// <summary>The indices of the training samples.</summary>
    public IReadOnlyList<int> Train => _train;

    /// <summary>The indices of the test samples.</summary>
    public IReadOnlyList<int> Test => _test;

    /// <summary>Splits <paramref name="nSamples"/> samples, shuffled or in order.</summary>
    /// <param name="nSamples">The number of samples.</param>
    /// <param name="testSize">The test part: a fraction in (0, 1) (rounded up) or a count; by default the complement of <paramref name="trainSize"/>, or 0.25 when neither is given.</param>
    /// <param name="trainSize">The training part: a fraction (rounded down) or a count; by default the complement of the test part.</param>
    /// <param name="randomState">The seed of the shuffle.</param>
    /// <param name="shuffle">Shuffle before splitting; when false the first samples train and the next ones test.</param>
    /// <exception cref="ArgumentException">A size is out of range (fraction not in (0, 1), count not in [1, n)), the two sizes add up to more than the samples, or the training part would be empty.</exception>
    public static TrainTestSplit Create(int nSamples, SplitSize? testSize = null, SplitSize? trainSize = null, ulong randomState = 0, bool shuffle = true)
    {
        var (nTrain, nTest) = Sizes(nSamples, testSize, trainSize);
        if (!shuffle) return new(nSamples, [.. Enumerable.Range(0, nTrain)], [.. Enumerable.Range(nTrain, nTest)]);
        var permutation = Permutation(new Generator(randomState), nSamples);
        return new(nSamples, permutation[nTest..(nTest + nTrain)], permutation[..nTest]);
    }

    /// <summary>
    /// Splits the samples so that each class of <paramref name="stratify"/> keeps its share in both
    /// parts, as <c>train_test_split(stratify=y)</c>: the training count of each class is its share
    /// of the training size rounded down, with the samples left over given to the classes with the
    /// largest remainders (ties broken at random), and likewise for the test part from what remains.
    /// </summary>
    /// <param name="stratify">The class label of each sample.</param>
    /// <param name="testSize">The test part: a fraction in (0, 1) (rounded up) or a count; 0.25 by default.</param>
    /// <param name="trainSize">The training part: a fraction (rounded down) or a count; by default the rest.</param>
    /// <param name="randomState">The seed of the shuffle and of the tie-breaking.</param>
    /// <exception cref="ArgumentException">A size is out of range, a class has a single sample, or a part is smaller than the number of classes.</exception>
    public static TrainTestSplit Stratified<T>(IReadOnlyList<T> stratify, SplitSize? testSize = null, SplitSize? trainSize = null, ulong randomState = 0) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(stratify);
        int n = stratify.Count;
        var (nTrain, nTest) = Sizes(n, testSize, trainSize);
        var classes = LabelOrder.Unique(stratify);
        var code = LabelOrder.IndexOf(classes, nameof(TrainTestSplit));
        var members = classes.Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < n; i++) members[code[stratify[i]]].Add(i);
        var counts = members.Select(m => m.Count).ToArray();
        int least = Array.IndexOf(counts, counts.Min());
        if (counts[least] < 2)
            throw new ArgumentException($"TrainTestSplit: the least populated class in stratify, {LabelOrder.Describe(classes[least])}, has only 1 member, which is too few; every class needs at least 2.", nameof(stratify));
        if (nTrain < classes.Length)
            throw new ArgumentException($"TrainTestSplit: the train size {nTrain} should be greater or equal to the number of classes {classes.Length}.", nameof(trainSize));
        if (nTest < classes.Length)
            throw new ArgumentException($"TrainTestSplit: the test size {nTest} should be greater or equal to the number of classes {classes.Length}.", nameof(testSize));

        var generator = new Generator(randomState);
        var trainCounts = ApproximateMode(counts, nTrain, generator);
        var testCounts = ApproximateMode([.. counts.Select((c, k) => c - trainCounts[k])], nTest, generator);
        var train = new List<int>(nTrain);
        var test = new List<int>(nTest);
        for (int k = 0; k < classes.Length; k++)
        {
            var order = Permutation(generator, counts[k]);
            for (int r = 0; r < trainCounts[k] + testCounts[k]; r++)
                (r < trainCounts[k] ? train : test).Add(members[k][order[r]]);
        }
        return new(n, Shuffled(train, generator), Shuffled(test, generator));
    }

    /// <summary>The training and test rows (axis 0) of <paramref name="x"/>.</summary>
    /// <exception cref="ShapeMismatchException"><paramref name="x"/> does not have one row per sample.</exception>
    public (Tensor Train, Tensor Test) Apply(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckRows(x.Rank == 0 ? 0 : x.Size(0), nameof(x));
        return (x.IndexSelect(0, Tensor.FromArray(_train)), x.IndexSelect(0, Tensor.FromArray(_test)));
    }

    /// <summary>The training and test items of <paramref name="items"/>.</summary>
    /// <exception cref="ShapeMismatchException"><paramref name="items"/> does not have one item per sample.</exception>
    public (T[] Train, T[] Test) Apply<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        CheckRows(items.Count, nameof(items));
        return ([.. _train.Select(i => items[i])], [.. _test.Select(i => items[i])]);
    }

    /// <summary>The training and test rows of <paramref name="x"/>.</summary>
    /// <exception cref="ShapeMismatchException"><paramref name="x"/> does not have one row per sample.</exception>
    public (double[,] Train, double[,] Test) Apply(double[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckRows(x.GetLength(0), nameof(x));
        return (Rows(x, _train), Rows(x, _test));
    }

    /// <summary>
    /// Splits features and targets in one call, as <c>X_train, X_test, y_train, y_test = train_test_split(X, y, ...)</c>;
    /// with <paramref name="stratify"/>, the classes of <paramref name="y"/> keep their shares.
    /// </summary>
    /// <exception cref="ShapeMismatchException"><paramref name="x"/> and <paramref name="y"/> have different numbers of rows.</exception>
    public static (Tensor XTrain, Tensor XTest, Tensor YTrain, Tensor YTest) Split(Tensor x, Tensor y, SplitSize? testSize = null,
        SplitSize? trainSize = null, ulong randomState = 0, bool shuffle = true, bool stratify = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int rows = x.Rank == 0 ? 0 : x.Size(0), targets = y.Rank == 0 ? 0 : y.Size(0);
        if (rows != targets)
            throw new ShapeMismatchException($"TrainTestSplit: x has {rows} samples (shape {Shapes.Format(x.ShapeArray)}) but y has {targets} (shape {Shapes.Format(y.ShapeArray)}).");
        if (stratify && !shuffle)
            throw new ArgumentException("TrainTestSplit: a stratified split needs shuffle; stratify with shuffle false is not supported.", nameof(stratify));
        var split = stratify ? Stratified(y.ToDoubleArray(), testSize, trainSize, randomState) : Create(rows, testSize, trainSize, randomState, shuffle);
        var (xTrain, xTest) = split.Apply(x);
        var (yTrain, yTest) = split.Apply(y);
        return (xTrain, xTest, yTrain, yTest);
    }

    /// <summary>The train and test counts, as scikit-learn's <c>_validate_shuffle_split</c>; <paramref name="who"/> names the splitter in messages.</summary>
    internal static (int Train, int Test) Sizes(int n, SplitSize? testSize, SplitSize? trainSize, string who = nameof(TrainTestSplit))
    {
        if (n <= 0) throw new ArgumentException($"{who}: there are {n} samples; at least one is needed.", nameof(n));
        if (testSize is null && trainSize is null) testSize = DefaultTestFraction;
        Check(testSize, "testSize");
        Check(trainSize, "trainSize");
        if (testSize is { IsFraction: true } te && trainSize is { IsFraction: true } tr && te.Fraction + tr.Fraction > 1)
            throw new ArgumentException($"{who}: testSize + trainSize = {te.Fraction + tr.Fraction} should be in the (0, 1) range; reduce testSize and/or trainSize.");
        int? nTest = testSize is SplitSize t ? (t.IsFraction ? (int)Math.Ceiling(t.Fraction * n) : t.Count) : null;
        int? nTrain = trainSize is SplitSize s ? (s.IsFraction ? (int)Math.Floor(s.Fraction * n) : s.Count) : null;
        int test = nTest ?? n - nTrain!.Value, train = nTrain ?? n - test;
        if (train + test > n)
            throw new ArgumentException($"{who}: trainSize + testSize = {train + test} samples should be at most the number of samples {n}; reduce testSize and/or trainSize.");
        if (train == 0)
            throw new ArgumentException($"{who}: with {n} samples, testSize {testSize?.ToString() ?? "unset"} and trainSize {trainSize?.ToString() ?? "unset"}, the training part would be empty; adjust the sizes.");
        return (train, test);

        void Check(SplitSize? size, string name)
        {
            if (size is not SplitSize z) return;
            bool bad = z.IsFraction ? !(z.Fraction > 0 && z.Fraction < 1) : z.Count <= 0 || z.Count >= n;
            if (bad)
                throw new ArgumentOutOfRangeException(name, z.ToString(), $"{who}: {name}={z} should be either a count from 1 to {n - 1} (the number of samples is {n}) or a fraction in the (0, 1) range.");
        }
    }

    /// <summary>
    /// scikit-learn's <c>_approximate_mode</c>: how many of <paramref name="draws"/> each class gets,
    /// proportionally, floors first, then one more to the classes with the largest remainders
    /// (ties broken at random).
    /// </summary>
    private static int[] ApproximateMode(int[] counts, int draws, Generator generator)
    {
        double total = counts.Sum();
        // Computed in scikit-learn's order, count / total · draws, so the floors agree with it.
        var continuous = counts.Select(c => c / total * draws).ToArray();
        var floored = continuous.Select(Math.Floor).ToArray();
        int needToAdd = (int)(draws - floored.Sum());
        var remainders = continuous.Select((c, k) => c - floored[k]).ToArray();
        foreach (double value in remainders.Distinct().OrderDescending())
        {
            if (needToAdd <= 0) break;
            var tied = Enumerable.Range(0, counts.Length).Where(k => remainders[k] == value).ToArray();
            int addNow = Math.Min(tied.Length, needToAdd);
            var order = Permutation(generator, tied.Length);
            for (int r = 0; r < addNow; r++) floored[tied[order[r]]]++;
            needToAdd -= addNow;
        }
        return [.. floored.Select(f => (int)f)];
    }

    /// <summary>A uniformly random permutation of 0 … n − 1 (Fisher–Yates).</summary>
    internal static int[] Permutation(Generator generator, int n)
    {
        var result = Enumerable.Range(0, n).ToArray();
        generator.Shuffle<int>(result);
        return result;
    }

    private static int[] Shuffled(List<int> items, Generator generator) => [.. Permutation(generator, items.Count).Select(r => items[r])];

    private static double[,] Rows(double[,] x, int[] rows)
    {
        int columns = x.GetLength(1);
        var result = new double[rows.Length, columns];
        for (int r = 0; r < rows.Length; r++)
            for (int j = 0; j < columns; j++) result[r, j] = x[rows[r], j];
        return result;
    }

    private void CheckRows(int rows, string name)
    {
        if (rows != NSamples)
            throw new ShapeMismatchException($"TrainTestSplit: {name} has {rows} rows, but the split was made for {NSamples} samples.");
    }
}
