namespace Nabla.Estimators;

/// <summary>
/// The distinct class labels a classifier was fitted with, sorted as scikit-learn's
/// <c>classes_</c> (NumPy's sort: numbers ascending, strings by code point), whatever their type.
/// </summary>
internal abstract class ClassLabels
{
    /// <summary>How many classes there are.</summary>
    public abstract int Count { get; }

    /// <summary>The .NET type of the labels.</summary>
    public abstract Type LabelType { get; }

    /// <summary>The classes, boxed, in sorted order.</summary>
    public abstract IReadOnlyList<object> Boxed { get; }
}

/// <summary>The sorted distinct labels of type <typeparamref name="TLabel"/>, and the mapping between labels and class indices.</summary>
internal sealed class ClassLabels<TLabel> : ClassLabels where TLabel : notnull
{
    private readonly Dictionary<TLabel, int> _index;

    private ClassLabels(TLabel[] classes)
    {
        Classes = classes;
        _index = new Dictionary<TLabel, int>(classes.Length);
        for (int k = 0; k < classes.Length; k++) _index[classes[k]] = k;
        Boxed = Array.AsReadOnly(Array.ConvertAll(classes, c => (object)c));
    }

    /// <summary>The classes in sorted order.</summary>
    public TLabel[] Classes { get; }

    public override int Count => Classes.Length;

    public override Type LabelType => typeof(TLabel);

    public override IReadOnlyList<object> Boxed { get; }

    /// <summary>The sorted distinct labels of <paramref name="y"/>, and each sample's class index.</summary>
    /// <exception cref="ArgumentException">A label is null.</exception>
    public static (ClassLabels<TLabel> Labels, int[] Indices) Encode(TLabel[] y, string who)
    {
        int missing = Array.FindIndex(y, label => label is null);
        if (missing >= 0)
            throw new ArgumentException($"{who}: y holds null at sample {missing}; every sample needs a label.", nameof(y));
        // Ordinal order for strings is NumPy's (code points); the culture's order is not.
        IComparer<TLabel> order = typeof(TLabel) == typeof(string) ? (IComparer<TLabel>)StringComparer.Ordinal : Comparer<TLabel>.Default;
        var classes = y.Distinct().ToArray();
        Array.Sort(classes, order);
        var labels = new ClassLabels<TLabel>(classes);
        return (labels, Array.ConvertAll(y, label => labels._index[label]));
    }

    /// <summary>The labels of the given class indices.</summary>
    public TLabel[] Decode(int[] indices) => Array.ConvertAll(indices, k => Classes[k]);
}
