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

    /// <summary>The labels of the given class indices.</summary>
    public TLabel[] Decode(int[] indices) => Array.ConvertAll(indices, k => Classes[k]);
}
