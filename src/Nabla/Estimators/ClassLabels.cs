using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>
/// The distinct class labels a classifier was fitted with, sorted as scikit-learn's
/// <c>classes_</c> by <see cref="LabelOrder"/> (NumPy's sort), whatever their type.
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
        _index = LabelOrder.IndexOf(classes, nameof(ClassLabels));
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
        var labels = new ClassLabels<TLabel>(LabelOrder.Unique(y));
        return (labels, Array.ConvertAll(y, label => labels._index[label]));
    }

    /// <summary>The given classes, sorted, for a fit in parts (<c>PartialFit</c>'s <c>classes</c>).</summary>
    /// <exception cref="ArgumentException">A class is null or repeated, or there are fewer than two.</exception>
    public static ClassLabels<TLabel> Of(TLabel[] classes, string who)
    {
        var (labels, _) = Encode(classes, who);
        if (labels.Count != classes.Length)
            throw new ArgumentException($"{who}: classes {LabelOrder.DescribeAll(classes)} repeat a label; give each class once.", nameof(classes));
        if (labels.Count < 2)
            throw new ArgumentException($"{who}: classes must hold at least 2 classes, got {LabelOrder.DescribeAll(classes)}.", nameof(classes));
        return labels;
    }

    /// <summary>The class index of each label of <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentException">A label is null or not one of the classes (named).</exception>
    public int[] IndicesOf(TLabel[] y, string who)
    {
        var indices = new int[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            if (y[i] is null || !_index.TryGetValue(y[i], out indices[i]))
                throw new ArgumentException($"{who}: y holds {(y[i] is null ? "null" : LabelOrder.Describe(y[i]))} at sample {i}, which is not one of the classes {LabelOrder.DescribeAll(Classes)}.", nameof(y));
        }
        return indices;
    }

    /// <summary>The labels of the given class indices.</summary>
    public TLabel[] Decode(int[] indices) => Array.ConvertAll(indices, k => Classes[k]);
}
