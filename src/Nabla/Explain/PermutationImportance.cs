namespace Nabla.Explain;

/// <summary>
/// Permutation importance (Breiman 2001; scikit-learn's <c>permutation_importance</c>): how much a fitted
/// model's score drops when one feature's column is shuffled, breaking its link with the target while keeping
/// its distribution. Works for any model given as a scoring function, estimators and networks alike.
/// </summary>
/// <remarks>
/// The score is evaluated once on the data as given (the baseline), then once per feature and repeat with that
/// feature's column reordered; the importance is the baseline minus that score. Given the same permutations as
/// scikit-learn uses, the results equal its own (scikit-learn composes its shuffles: repeat k applies its k-th
/// shuffle to the column as repeat k − 1 left it, so pass the composed row orders).
/// </remarks>
/// <example>
/// <code>
/// var ridge = new Ridge().Fit(x, y);
/// var result = PermutationImportance.Compute((rows, target) => ridge.Score(rows, target), x, y, repeats: 5, new Generator(0));
/// </code>
/// </example>
public static class PermutationImportance
{
    /// <summary>Importances with permutations drawn from <paramref name="generator"/>: for each feature in turn, each repeat shuffles 0 … rows − 1 afresh.</summary>
    /// <param name="score">The model's score of samples against targets, higher is better (R², accuracy, a negated loss).</param>
    /// <param name="x">The samples, rows × features; never modified.</param>
    /// <param name="y">The targets, passed to <paramref name="score"/> unchanged.</param>
    /// <param name="repeats">How many shuffles per feature (at least 1).</param>
    /// <param name="generator">The source of the shuffles.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="repeats"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> has no rows or no columns.</exception>
    public static PermutationImportanceResult Compute<TTarget>(Func<double[,], TTarget, double> score, double[,] x, TTarget y, int repeats, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Compute(score, x, y, Draw(x.GetLength(0), x.GetLength(1), repeats, generator));
    }

    /// <summary>Importances with the given row orders: <paramref name="permutations"/>[feature][repeat] lists, for each row, the row whose value it takes.</summary>
    /// <param name="score">The model's score of samples against targets, higher is better.</param>
    /// <param name="x">The samples, rows × features; never modified.</param>
    /// <param name="y">The targets, passed to <paramref name="score"/> unchanged.</param>
    /// <param name="permutations">One array of row orders per feature, the same number for each; each a permutation of 0 … rows − 1.</param>
    /// <exception cref="ArgumentException">The permutations do not fit the samples, or one is not a permutation.</exception>
    public static PermutationImportanceResult Compute<TTarget>(Func<double[,], TTarget, double> score, double[,] x, TTarget y, int[][][] permutations)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(x);
        int rows = x.GetLength(0), columns = x.GetLength(1);
        var values = new double[rows * columns];
        Buffer.BlockCopy(x, 0, values, 0, values.Length * sizeof(double));
        return Run(data => Matrix(data, rows, columns), score, values, rows, columns, y, permutations);
    }

    /// <summary>Importances with permutations drawn from <paramref name="generator"/>, for a model that takes a (rows, features) tensor.</summary>
    /// <param name="score">The model's score of samples against targets, higher is better; it receives tensors of <paramref name="x"/>'s type.</param>
    /// <param name="x">The samples, a 2-D tensor; never modified.</param>
    /// <param name="y">The targets, passed to <paramref name="score"/> unchanged.</param>
    /// <param name="repeats">How many shuffles per feature (at least 1).</param>
    /// <param name="generator">The source of the shuffles.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="repeats"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not 2-D, or has no rows or no columns.</exception>
    public static PermutationImportanceResult Compute<TTarget>(Func<Tensor, TTarget, double> score, Tensor x, TTarget y, int repeats, Generator generator)
    {
        RequireMatrix(x);
        return Compute(score, x, y, Draw(x.Size(0), x.Size(1), repeats, generator));
    }

    /// <summary>Importances with the given row orders, for a model that takes a (rows, features) tensor; see the <c>double[,]</c> overload.</summary>
    /// <param name="score">The model's score of samples against targets, higher is better; it receives tensors of <paramref name="x"/>'s type.</param>
    /// <param name="x">The samples, a 2-D tensor; never modified.</param>
    /// <param name="y">The targets, passed to <paramref name="score"/> unchanged.</param>
    /// <param name="permutations">One array of row orders per feature, the same number for each; each a permutation of 0 … rows − 1.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not 2-D, or the permutations do not fit it.</exception>
    public static PermutationImportanceResult Compute<TTarget>(Func<Tensor, TTarget, double> score, Tensor x, TTarget y, int[][][] permutations)
    {
        ArgumentNullException.ThrowIfNull(score);
        RequireMatrix(x);
        int rows = x.Size(0), columns = x.Size(1);
        var dtype = x.DType;
        return Run(data => Tensor.FromArray(data, rows, columns).To(dtype), score, x.ToDoubleArray(), rows, columns, y, permutations);
    }

    private static PermutationImportanceResult Run<TInput, TTarget>(Func<double[], TInput> input, Func<TInput, TTarget, double> score,
        double[] values, int rows, int columns, TTarget y, int[][][] permutations)
    {
        ArgumentNullException.ThrowIfNull(permutations);
        if (rows == 0 || columns == 0)
            throw new ArgumentException($"PermutationImportance: X must have at least one row and one feature, got {rows} × {columns}.", "x");
        int repeats = CheckPermutations(permutations, rows, columns);
        double baseline = score(input(values), y);
        var importances = new double[columns, repeats];
        var permuted = new double[values.Length];
        for (int feature = 0; feature < columns; feature++)
        {
            for (int repeat = 0; repeat < repeats; repeat++)
            {
                values.CopyTo(permuted, 0);
                var order = permutations[feature][repeat];
                for (int row = 0; row < rows; row++) permuted[row * columns + feature] = values[order[row] * columns + feature];
                importances[feature, repeat] = baseline - score(input(permuted), y);
            }
        }
        return PermutationImportanceResult.From(baseline, importances);
    }

    private static int[][][] Draw(int rows, int columns, int repeats, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (repeats < 1)
            throw new ArgumentOutOfRangeException(nameof(repeats), repeats, $"PermutationImportance: repeats must be at least 1, not {repeats}.");
        var permutations = new int[columns][][];
        for (int feature = 0; feature < columns; feature++)
        {
            permutations[feature] = new int[repeats][];
            for (int repeat = 0; repeat < repeats; repeat++)
            {
                var order = Enumerable.Range(0, rows).ToArray();
                generator.Shuffle<int>(order);
                permutations[feature][repeat] = order;
            }
        }
        return permutations;
    }

    // The number of repeats, after checking that each feature has as many, and that each is a permutation of the rows.
    private static int CheckPermutations(int[][][] permutations, int rows, int columns)
    {
        if (permutations.Length != columns)
            throw new ArgumentException($"PermutationImportance: X has {columns} features but {permutations.Length} features' permutations were given.", nameof(permutations));
        int repeats = permutations[0]?.Length ?? 0;
        var seen = new bool[rows];
        for (int feature = 0; feature < columns; feature++)
        {
            var orders = permutations[feature];
            if (orders is null || orders.Length != repeats || repeats == 0)
                throw new ArgumentException($"PermutationImportance: feature {feature} has {orders?.Length ?? 0} permutations, feature 0 has {repeats}; each feature needs the same number, at least 1.", nameof(permutations));
            for (int repeat = 0; repeat < repeats; repeat++)
            {
                var order = orders[repeat];
                if (order is null || order.Length != rows)
                    throw new ArgumentException($"PermutationImportance: permutation {repeat} of feature {feature} has {order?.Length ?? 0} entries, X has {rows} rows.", nameof(permutations));
                Array.Clear(seen);
                foreach (int row in order)
                {
                    if (row < 0 || row >= rows || seen[row])
                        throw new ArgumentException($"PermutationImportance: permutation {repeat} of feature {feature} is not a permutation of 0 … {rows - 1}: row {row} is {(row < 0 || row >= rows ? "out of range" : "repeated")}.", nameof(permutations));
                    seen[row] = true;
                }
            }
        }
        return repeats;
    }

    private static void RequireMatrix(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2)
            throw new ArgumentException($"PermutationImportance: X must be 2-D (rows × features), got shape {Shapes.Format(x.ShapeArray)}.", nameof(x));
    }

    private static double[,] Matrix(double[] values, int rows, int columns)
    {
        var matrix = new double[rows, columns];
        Buffer.BlockCopy(values, 0, matrix, 0, values.Length * sizeof(double));
        return matrix;
    }
}
