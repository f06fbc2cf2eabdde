namespace Nabla.Data;

/// <summary>
/// Maps class labels to the integers 0 … k − 1 and back, as scikit-learn's <c>LabelEncoder</c>:
/// <see cref="Classes"/> are the distinct labels sorted (numbers by value, strings by code point),
/// and a label's code is its position there.
/// </summary>
/// <typeparam name="T">The label type (<c>string</c>, <c>int</c>, …).</typeparam>
/// <example>
/// <code>
/// var encoder = new LabelEncoder&lt;string&gt;().Fit(["paris", "paris", "tokyo", "amsterdam"]);
/// int[] codes = encoder.Transform(["tokyo", "amsterdam"]);       // [2, 0]
/// string[] names = encoder.InverseTransform([1]);                // ["paris"]
/// </code>
/// </example>
public sealed class LabelEncoder<T> where T : notnull
{
    private T[]? _classes;
    private Dictionary<T, int> _codes = [];

    /// <summary>Whether <see cref="Fit"/> has been called.</summary>
    public bool IsFitted => _classes is not null;

    /// <summary>The distinct labels seen in fitting, sorted (<c>classes_</c>).</summary>
    /// <exception cref="InvalidOperationException">The encoder is not fitted.</exception>
    public IReadOnlyList<T> Classes => _classes ?? throw NotFitted();

    /// <summary>Learns the classes from <paramref name="y"/>; returns this encoder.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is empty.</exception>
    public LabelEncoder<T> Fit(IReadOnlyList<T> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.Count == 0) throw new ArgumentException("LabelEncoder: y is empty; at least one label is needed to fit.", nameof(y));
        _classes = LabelOrder.Unique(y);
        _codes = LabelOrder.IndexOf(_classes, nameof(LabelEncoder<T>));
        return this;
    }

    /// <summary>The code of each label.</summary>
    /// <exception cref="InvalidOperationException">The encoder is not fitted.</exception>
    /// <exception cref="ArgumentException">A label was not seen in fitting (the unseen labels are named).</exception>
    public int[] Transform(IReadOnlyList<T> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (_classes is null) throw NotFitted();
        var codes = new int[y.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            if (!_codes.TryGetValue(y[i], out codes[i]))
                throw new ArgumentException($"LabelEncoder: y contains previously unseen labels: {LabelOrder.DescribeAll(y.Where(label => !_codes.ContainsKey(label)).Distinct())}.", nameof(y));
        }
        return codes;
    }

    /// <summary>The codes of <paramref name="y"/> as an Int32 tensor, ready for a classifier's loss.</summary>
    public Tensor TransformToTensor(IReadOnlyList<T> y) => Tensor.FromArray(Transform(y));

    /// <summary>Fits on <paramref name="y"/> and returns its codes.</summary>
    public int[] FitTransform(IReadOnlyList<T> y) => Fit(y).Transform(y);

    /// <summary>The label of each code.</summary>
    /// <exception cref="InvalidOperationException">The encoder is not fitted.</exception>
    /// <exception cref="ArgumentException">A code is outside 0 … <see cref="Classes"/>.Count − 1 (named).</exception>
    public T[] InverseTransform(IReadOnlyList<int> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (_classes is null) throw NotFitted();
        var labels = new T[codes.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)codes[i] >= (uint)_classes.Length)
                throw new ArgumentException($"LabelEncoder: code {codes[i]} at index {i} is not a class; codes run from 0 to {_classes.Length - 1}.", nameof(codes));
            labels[i] = _classes[codes[i]];
        }
        return labels;
    }

    private static InvalidOperationException NotFitted() => new("This LabelEncoder is not fitted yet; call Fit before using it.");
}
