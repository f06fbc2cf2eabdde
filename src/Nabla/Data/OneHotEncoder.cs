using System.Globalization;
using System.Text.Json;

namespace Nabla.Data;

/// <summary>
/// Encodes each categorical feature as one 0/1 column per category, as scikit-learn's
/// <c>OneHotEncoder</c> (dense output). Categories are numbers (a tensor or <c>double[,]</c>; Int32
/// tensors hold integer codes) or strings (<c>string[,]</c>); by default they are the sorted
/// distinct values of each column seen in fitting (strings by code point), or they are given.
/// The output columns are the features in order, each with its categories in order, less any dropped.
/// </summary>
/// <example>
/// <code>
/// var encoder = new OneHotEncoder(handleUnknown: HandleUnknown.Ignore);
/// double[,] onehot = encoder.FitTransform(new[,] { { "red", "S" }, { "blue", "M" }, { "red", "M" } });
/// // columns: blue, red, M, S
/// </code>
/// </example>
public sealed class OneHotEncoder : ITransformer
{
    private readonly double[][]? _givenNumbers;
    private readonly string[][]? _givenText;
    private double[][]? _numbers;
    private string[][]? _text;
    private int?[] _dropIndex = [];

    /// <summary>Creates an unfitted encoder that learns the categories from the data.</summary>
    /// <param name="handleUnknown">What to do with a category not seen in fitting.</param>
    /// <param name="drop">Which category of each feature to leave out.</param>
    public OneHotEncoder(HandleUnknown handleUnknown = HandleUnknown.Error, OneHotDrop drop = OneHotDrop.None)
    {
        HandleUnknown = handleUnknown;
        Drop = drop;
    }

    /// <summary>Creates an unfitted encoder with the numeric categories of each feature given, each list sorted.</summary>
    /// <exception cref="ArgumentException">A feature's categories are not sorted, repeat or hold NaN.</exception>
    public OneHotEncoder(IReadOnlyList<IReadOnlyList<double>> categories, HandleUnknown handleUnknown = HandleUnknown.Error, OneHotDrop drop = OneHotDrop.None)
        : this(handleUnknown, drop)
    {
        ArgumentNullException.ThrowIfNull(categories);
        _givenNumbers = [.. categories.Select(c => c.ToArray())];
        for (int j = 0; j < _givenNumbers.Length; j++)
            if (_givenNumbers[j].Any(double.IsNaN) || !_givenNumbers[j].Zip(_givenNumbers[j].Skip(1)).All(p => p.First < p.Second))
                throw new ArgumentException($"OneHotEncoder: the categories of feature {j} must be sorted, distinct numbers (unsorted numeric categories are not supported), got [{string.Join(", ", _givenNumbers[j])}].", nameof(categories));
    }

    /// <summary>Creates an unfitted encoder with the string categories of each feature given, in the order of the output columns.</summary>
    /// <exception cref="ArgumentException">A feature's categories repeat.</exception>
    public OneHotEncoder(IReadOnlyList<IReadOnlyList<string>> categories, HandleUnknown handleUnknown = HandleUnknown.Error, OneHotDrop drop = OneHotDrop.None)
        : this(handleUnknown, drop)
    {
        ArgumentNullException.ThrowIfNull(categories);
        _givenText = [.. categories.Select(c => c.ToArray())];
        for (int j = 0; j < _givenText.Length; j++) LabelOrder.IndexOf(_givenText[j], $"OneHotEncoder feature {j}");
    }

    /// <summary>What is done with a category not seen in fitting.</summary>
    public HandleUnknown HandleUnknown { get; }

    /// <summary>Which category of each feature is left out.</summary>
    public OneHotDrop Drop { get; }

    /// <inheritdoc/>
    public bool IsFitted => _numbers is not null || _text is not null;

    /// <inheritdoc/>
    public int NFeaturesIn => _numbers?.Length ?? _text?.Length ?? throw NotFitted();

    /// <summary>The numeric categories of each feature (<c>categories_</c>), when fitted on numbers; otherwise null.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Categories => IsFitted ? _numbers : throw NotFitted();

    /// <summary>The string categories of each feature (<c>categories_</c>), when fitted on strings; otherwise null.</summary>
    public IReadOnlyList<IReadOnlyList<string>>? TextCategories => IsFitted ? _text : throw NotFitted();

    /// <summary>The index of the dropped category of each feature (<c>drop_idx_</c>); null entries drop nothing.</summary>
    public IReadOnlyList<int?> DropIndices => IsFitted ? _dropIndex : throw NotFitted();

    /// <summary>The number of output columns.</summary>
    public int NFeaturesOut => IsFitted ? Enumerable.Range(0, NFeaturesIn).Sum(j => CategoryCount(j) - (_dropIndex[j] is null ? 0 : 1)) : throw NotFitted();

    /// <summary>Learns the categories of each column of a numeric (samples, features) matrix.</summary>
    /// <exception cref="ArgumentException">There are no samples, the feature count differs from the given categories, or (with <see cref="HandleUnknown.Error"/>) a value is not among the given categories.</exception>
    public OneHotEncoder Fit(Tensor x) => FitNumbers(((FeatureMatrix)x).Read(nameof(OneHotEncoder)));

    /// <inheritdoc cref="Fit(Tensor)"/>
    public OneHotEncoder Fit(double[,] x) => FitNumbers(((FeatureMatrix)x).Read(nameof(OneHotEncoder)));

    /// <summary>Learns the categories of each column of a string (samples, features) matrix.</summary>
    /// <inheritdoc cref="Fit(Tensor)"/>
    public OneHotEncoder Fit(string[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (_givenNumbers is not null) throw new ArgumentException("OneHotEncoder: numeric categories were given, but X holds strings.", nameof(x));
        var columns = StringColumns(x);
        _text = Learn(columns, _givenText, StringComparer.Ordinal);
        _numbers = null;
        return this;
    }

    /// <summary>The one-hot encoding of a numeric matrix, in its floating-point type (Float64 for Int32 codes).</summary>
    /// <exception cref="InvalidOperationException">The encoder is not fitted, or was fitted on strings.</exception>
    /// <exception cref="ShapeMismatchException">The feature count differs from the fitted one (both named).</exception>
    /// <exception cref="ArgumentException">With <see cref="HandleUnknown.Error"/>, a value is not a known category (named with its column).</exception>
    public Tensor Transform(Tensor x)
    {
        FeatureMatrix samples = x;
        return EncodeNumbers(samples.Read(nameof(OneHotEncoder))).ToTensor(samples.ResultType);
    }

    /// <inheritdoc cref="Transform(Tensor)"/>
    public double[,] Transform(double[,] x)
    {
        return EncodeNumbers(((FeatureMatrix)x).Read(nameof(OneHotEncoder))).ToArray();
    }

    /// <summary>The one-hot encoding of a string matrix.</summary>
    /// <exception cref="InvalidOperationException">The encoder is not fitted, or was fitted on numbers.</exception>
    /// <exception cref="ShapeMismatchException">The feature count differs from the fitted one (both named).</exception>
    /// <exception cref="ArgumentException">With <see cref="HandleUnknown.Error"/>, a value is not a known category (named with its column).</exception>
    public double[,] Transform(string[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!IsFitted) throw NotFitted();
        if (_text is null) throw new InvalidOperationException("OneHotEncoder: fitted on numbers, so it cannot transform strings.");
        RequireFeatures(x.GetLength(1));
        return new DesignMatrix(Encode(StringColumns(x), _text), x.GetLength(0), NFeaturesOut).ToArray();
    }

    /// <summary>Fits on <paramref name="x"/> and encodes it.</summary>
    public Tensor FitTransform(Tensor x) => Fit(x).Transform(x);

    /// <inheritdoc cref="FitTransform(Tensor)"/>
    public double[,] FitTransform(double[,] x) => Fit(x).Transform(x);

    /// <inheritdoc cref="FitTransform(Tensor)"/>
    public double[,] FitTransform(string[,] x) => Fit(x).Transform(x);

    /// <inheritdoc/>
    public TransformerState GetState()
    {
        if (!IsFitted) throw NotFitted();
        var metadata = new Dictionary<string, string>
        {
            ["handle_unknown"] = HandleUnknown.ToString(),
            ["drop"] = Drop.ToString(),
            ["n_features_in"] = NFeaturesIn.ToString(CultureInfo.InvariantCulture),
        };
        var tensors = new Dictionary<string, Tensor>();
        if (_text is not null) metadata["categories"] = JsonSerializer.Serialize(_text);
        else for (int j = 0; j < _numbers!.Length; j++) tensors[$"categories_{j}"] = TransformerState.Vector(_numbers[j]);
        return new TransformerState(nameof(OneHotEncoder), tensors, metadata);
    }

    /// <summary>Rebuilds a fitted encoder from <see cref="GetState"/>.</summary>
    /// <exception cref="InvalidDataException">A tensor or setting is missing or malformed.</exception>
    public static OneHotEncoder FromState(TransformerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!Enum.TryParse(state.Text("handle_unknown"), out HandleUnknown handleUnknown) || !Enum.TryParse(state.Text("drop"), out OneHotDrop drop))
            throw new InvalidDataException($"OneHotEncoder state: handle_unknown '{state.Text("handle_unknown")}' or drop '{state.Text("drop")}' is not a known setting.");
        if (!int.TryParse(state.Text("n_features_in"), out int features) || features < 0)
            throw new InvalidDataException($"OneHotEncoder state: n_features_in is '{state.Text("n_features_in")}', expected a count.");
        var encoder = new OneHotEncoder(handleUnknown, drop);
        if (state.Metadata.TryGetValue("categories", out var json))
            encoder._text = JsonSerializer.Deserialize<string[][]>(json) is { } text && text.Length == features
                ? text : throw new InvalidDataException($"OneHotEncoder state: categories do not hold {features} lists of strings.");
        else
            encoder._numbers = [.. Enumerable.Range(0, features).Select(j => state.Values($"categories_{j}"))];
        encoder._dropIndex = [.. Enumerable.Range(0, features).Select(encoder.DropIndexOf)];
        return encoder;
    }

    ITransformer ITransformer.Fit(Tensor x) => Fit(x);

    private DesignMatrix EncodeNumbers(DesignMatrix m) => new(Encode(NumberColumns(m, transform: true), _numbers!), m.Rows, NFeaturesOut);

    private OneHotEncoder FitNumbers(DesignMatrix m)
    {
        if (_givenText is not null) throw new ArgumentException("OneHotEncoder: string categories were given, but X holds numbers.");
        _numbers = Learn(NumberColumns(m, transform: false), _givenNumbers, Comparer<double>.Default);
        _text = null;
        return this;
    }

    private T[][] Learn<T>(T[][] columns, T[][]? given, IComparer<T> order) where T : notnull
    {
        if (columns.Length > 0 && columns[0].Length == 0) throw new ArgumentException("OneHotEncoder: X has 0 samples; at least one is needed to fit.");
        if (given is not null && given.Length != columns.Length)
            throw new ShapeMismatchException($"OneHotEncoder: X has {columns.Length} features, but categories were given for {given.Length}.");
        var categories = new T[columns.Length][];
        for (int j = 0; j < columns.Length; j++)
        {
            if (given is null)
            {
                categories[j] = [.. columns[j].Distinct()];
                Array.Sort(categories[j], order);
            }
            else
            {
                categories[j] = given[j];
                if (HandleUnknown == HandleUnknown.Error) ThrowIfUnknown(columns[j], categories[j].ToHashSet(), j, "fit");
            }
        }
        _dropIndex = [.. categories.Select(c => DropFor(c.Length))];
        return categories;
    }

    private int? DropIndexOf(int feature) => DropFor(CategoryCount(feature));

    private int? DropFor(int categoryCount) => Drop switch
    {
        OneHotDrop.First => 0,
        OneHotDrop.IfBinary when categoryCount == 2 => 0,
        _ => null,
    };

    private int CategoryCount(int feature) => _numbers?[feature].Length ?? _text![feature].Length;

    private double[] Encode<T>(T[][] columns, T[][] categories) where T : notnull
    {
        int rows = columns.Length == 0 ? 0 : columns[0].Length, width = NFeaturesOut, offset = 0;
        var result = new double[rows * width];
        for (int j = 0; j < columns.Length; j++)
        {
            var index = new Dictionary<T, int>();
            for (int c = 0; c < categories[j].Length; c++) index[categories[j][c]] = c;
            if (HandleUnknown == HandleUnknown.Error) ThrowIfUnknown(columns[j], index.Keys.ToHashSet(), j, "transform");
            int? dropped = _dropIndex[j];
            for (int i = 0; i < rows; i++)
            {
                if (!index.TryGetValue(columns[j][i], out int c) || c == dropped) continue;
                result[i * width + offset + (dropped is int d && c > d ? c - 1 : c)] = 1;
            }
            offset += categories[j].Length - (dropped is null ? 0 : 1);
        }
        return result;
    }

    private static void ThrowIfUnknown<T>(T[] column, HashSet<T> known, int feature, string during) where T : notnull
    {
        var unknown = column.Where(v => !known.Contains(v)).Distinct().ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"OneHotEncoder: found unknown categories {LabelOrder.DescribeAll(unknown)} in column {feature} during {during}.");
    }

    private double[][] NumberColumns(DesignMatrix m, bool transform)
    {
        if (transform)
        {
            if (!IsFitted) throw NotFitted();
            if (_numbers is null) throw new InvalidOperationException("OneHotEncoder: fitted on strings, so it cannot transform numbers.");
            RequireFeatures(m.Columns);
        }
        var columns = new double[m.Columns][];
        for (int j = 0; j < m.Columns; j++)
        {
            columns[j] = new double[m.Rows];
            for (int i = 0; i < m.Rows; i++)
            {
                double v = m.Values[i * m.Columns + j];
                if (double.IsNaN(v)) throw new ArgumentException($"OneHotEncoder: X holds NaN at row {i}, column {j}; fill missing values first.");
                columns[j][i] = v;
            }
        }
        return columns;
    }

    private static string[][] StringColumns(string[,] x)
    {
        var columns = new string[x.GetLength(1)][];
        for (int j = 0; j < columns.Length; j++)
        {
            columns[j] = new string[x.GetLength(0)];
            for (int i = 0; i < columns[j].Length; i++)
                columns[j][i] = x[i, j] ?? throw new ArgumentException($"OneHotEncoder: X holds null at row {i}, column {j}; fill missing values first.");
        }
        return columns;
    }

    private void RequireFeatures(int features)
    {
        if (features != NFeaturesIn)
            throw new ShapeMismatchException($"OneHotEncoder: X has {features} features, but the encoder was fitted with {NFeaturesIn} features.");
    }

    private static InvalidOperationException NotFitted() => new("This OneHotEncoder is not fitted yet; call Fit before using it.");
}
