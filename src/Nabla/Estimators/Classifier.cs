using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Metrics;

namespace Nabla.Estimators;

/// <summary>
/// An estimator that learns class labels: <c>Fit</c>, <c>Predict</c>, <see cref="PredictProba"/>,
/// <see cref="PredictLogProba"/> and <c>Score</c> (accuracy), the common shape of
/// <see cref="LogisticRegression"/> and the other classifiers.
/// </summary>
/// <typeparam name="TSelf">The concrete estimator, so that <c>Fit</c> returns it typed for chaining.</typeparam>
/// <remarks>
/// <para>
/// Labels can be of any type with an order: <c>int</c>, <c>string</c>, an enum, … given as an
/// array (<see cref="Fit{TLabel}(FeatureMatrix, TLabel[])"/>) or as an Int32 tensor. The fit
/// keeps the sorted distinct labels as <see cref="Classes"/>, as scikit-learn's
/// <c>classes_</c>; columns of <see cref="PredictProba"/> follow that order, and predictions
/// come back as labels of the type given to <c>Fit</c>:
/// <code>
/// var model = new LogisticRegression().Fit(X, species);   // species: string[]
/// string[] predicted = model.Predict&lt;string&gt;(X);
/// int[] digits = new LogisticRegression().Fit(images, labels).Predict(images);   // int labels
/// </code>
/// </para>
/// <para>At least two classes are needed to fit.</para>
/// </remarks>
public abstract class Classifier<TSelf> : Estimator, IClassifier where TSelf : Classifier<TSelf>
{
    private ClassLabels? _labels;

    private protected Classifier() { }

    /// <summary>The distinct labels seen by <c>Fit</c>, sorted (scikit-learn's <c>classes_</c>); boxed, see <see cref="ClassesAs{TLabel}"/> for them typed.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public IReadOnlyList<object> Classes => Labels(nameof(Classes)).Boxed;

    /// <summary>The distinct labels seen by <c>Fit</c>, sorted, as the type they were given in.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet, or was fitted with labels of another type.</exception>
    public TLabel[] ClassesAs<TLabel>() where TLabel : notnull => (TLabel[])Typed<TLabel>(nameof(ClassesAs)).Classes.Clone();

    /// <summary>Learns from samples <paramref name="x"/> (N, F) and their labels <paramref name="y"/> (N).</summary>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">X or y is null.</exception>
    /// <exception cref="ShapeMismatchException">X is not 2-D, or y's length differs from X's sample count.</exception>
    /// <exception cref="ArgumentException">X is empty or holds NaN or infinity, a label is null, or y holds fewer than two classes.</exception>
    public TSelf Fit<TLabel>(FeatureMatrix x, TLabel[] y) where TLabel : notnull
    {
        var design = x.ToDesign($"{Name}.Fit");
        return FitLabels(design.Rows, design.Columns, y, (indices, classes) => FitCore(design, indices, classes));
    }

    /// <summary>Checks and encodes the labels of <paramref name="rows"/> samples of <paramref name="columns"/> features, has <paramref name="fit"/> learn from the class indices, then records the classes.</summary>
    private protected TSelf FitLabels<TLabel>(int rows, int columns, TLabel[] y, Action<int[], int> fit) where TLabel : notnull
    {
        string who = $"{Name}.Fit";
        ArgumentNullException.ThrowIfNull(y);
        CheckLength(rows, y.Length, who);
        var (labels, indices) = ClassLabels<TLabel>.Encode(y, who);
        if (labels.Count < 2)
            throw new ArgumentException($"{who}: y must hold at least 2 classes, got 1 ({labels.Classes[0]}).", nameof(y));
        fit(indices, labels.Count);
        _labels = labels;
        MarkFitted(columns);
        return (TSelf)this;
    }

    /// <summary>
    /// As <see cref="FitLabels{TLabel}(int, int, TLabel[], Action{int[], int})"/>, with the classes given rather than
    /// taken from <paramref name="y"/>: a block of a distributed fit may lack some of the classes the others hold.
    /// </summary>
    /// <exception cref="ArgumentException">The classes are fewer than two or repeat a label, or y holds a label that is not one of them.</exception>
    private protected TSelf FitLabels<TLabel>(int columns, TLabel[] y, TLabel[] classes, Action<int[], int> fit) where TLabel : notnull
    {
        string who = $"{Name}.Fit";
        ArgumentNullException.ThrowIfNull(y);
        var labels = ClassLabels<TLabel>.Of(classes, who);
        fit(labels.IndicesOf(y, who), labels.Count);
        _labels = labels;
        MarkFitted(columns);
        return (TSelf)this;
    }

    void IClassifier.FitUntyped<TLabel>(FeatureMatrix x, TLabel[] y) => Fit(x, y);

    void IClassifier.FitUntyped(FeatureMatrix x, Tensor y) => Fit(x, y);

    bool IClassifier.HasProbabilities => HasProbabilities;

    /// <summary>Whether <see cref="PredictProba"/> gives probabilities; true unless the subclass says otherwise.</summary>
    private protected virtual bool HasProbabilities => true;

    /// <summary>
    /// Checks a batch for a fit in parts and hands it to <paramref name="core"/> as class indices:
    /// the first call takes the classes from <paramref name="classes"/>; later calls check the
    /// batch against the fitted features and classes (scikit-learn's <c>partial_fit</c> rules).
    /// </summary>
    /// <exception cref="ArgumentException">The first call has no classes, later classes differ from the first, or a label is not a class.</exception>
    private protected TSelf PartialLearn<TLabel>(FeatureMatrix x, TLabel[] y, TLabel[]? classes, Action<DesignMatrix, int[], int> core)
        where TLabel : notnull
    {
        string who = $"{Name}.PartialFit";
        var design = x.ToDesign(who);
        ArgumentNullException.ThrowIfNull(y);
        CheckLength(design.Rows, y.Length, who);
        ClassLabels<TLabel> labels;
        if (!IsFitted)
        {
            labels = ClassLabels<TLabel>.Of(classes ?? throw new ArgumentException($"{who}: the first call needs classes, every class y may ever hold.", nameof(classes)), who);
        }
        else
        {
            labels = Typed<TLabel>("PartialFit");
            design.RequireFeatures(NFeaturesIn, who);
            if (classes is not null && !ClassLabels<TLabel>.Of(classes, who).Classes.SequenceEqual(labels.Classes))
                throw new ArgumentException($"{who}: classes {LabelOrder.DescribeAll(classes)} differ from the first call's {LabelOrder.DescribeAll(labels.Classes)}.", nameof(classes));
        }
        core(design, labels.IndicesOf(y, who), labels.Count);
        _labels = labels;
        MarkFitted(design.Columns);
        return (TSelf)this;
    }

    /// <summary>Learns from samples <paramref name="x"/> (N, F) and integer labels <paramref name="y"/>, a 1-D Int32 tensor of length N.</summary>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentException">y is not a 1-D Int32 tensor, or as for <see cref="Fit{TLabel}(FeatureMatrix, TLabel[])"/>.</exception>
    public TSelf Fit(FeatureMatrix x, Tensor y) => Fit(x, LabelArray(y, "Fit"));

    /// <summary>The predicted labels for the samples <paramref name="x"/>, for a classifier fitted with <c>int</c> labels.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet, or was fitted with labels of another type (call <see cref="Predict{TLabel}"/>).</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the estimator was fitted with.</exception>
    public int[] Predict(FeatureMatrix x) => Predict<int>(x);

    /// <summary>The predicted labels for the samples <paramref name="x"/>, of the type the estimator was fitted with.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet, or was fitted with labels of another type.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the estimator was fitted with.</exception>
    public TLabel[] Predict<TLabel>(FeatureMatrix x) where TLabel : notnull
    {
        var labels = Typed<TLabel>(nameof(Predict));
        return labels.Decode(PredictIndicesCore(ForPrediction(x, nameof(Predict))));
    }

    /// <summary>The predicted class of each sample as its index in <see cref="Classes"/>, whatever the label type.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the estimator was fitted with.</exception>
    public int[] PredictClassIndices(FeatureMatrix x) => PredictIndicesCore(ForPrediction(x, nameof(PredictClassIndices)));

    /// <summary>The probability of each class for each sample: Float64 (N, K), columns in the order of <see cref="Classes"/>, rows summing to 1.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the estimator was fitted with.</exception>
    public Tensor PredictProba(FeatureMatrix x)
    {
        var design = ForPrediction(x, nameof(PredictProba));
        return Tensor.FromArray(ProbaCore(design, logarithm: false), design.Rows, _labels!.Count);
    }

    /// <summary>The natural logarithm of <see cref="PredictProba"/>, computed without underflow for confident predictions.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the estimator was fitted with.</exception>
    public Tensor PredictLogProba(FeatureMatrix x)
    {
        var design = ForPrediction(x, nameof(PredictLogProba));
        return Tensor.FromArray(ProbaCore(design, logarithm: true), design.Rows, _labels!.Count);
    }

    /// <summary>The fraction of samples of <paramref name="x"/> whose predicted label equals the one in <paramref name="y"/> (accuracy, scikit-learn's <c>score</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet, or was fitted with labels of another type.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features, or y another length.</exception>
    public double Score<TLabel>(FeatureMatrix x, TLabel[] y) where TLabel : notnull
    {
        var predicted = Predict<TLabel>(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckLength(predicted.Length, y.Length, $"{Name}.Score");
        return ClassificationMetrics.Accuracy(y, predicted);
    }

    /// <summary>The accuracy against integer labels given as a 1-D Int32 tensor.</summary>
    /// <exception cref="ArgumentException">y is not a 1-D Int32 tensor, or as for <see cref="Score{TLabel}(FeatureMatrix, TLabel[])"/>.</exception>
    public double Score(FeatureMatrix x, Tensor y) => Score(x, LabelArray(y, "Score"));

    /// <summary>The fitted values every classifier saves (<see cref="EstimatorState.Fitted"/>): "n_features_in".</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    internal JsonObject FittedState()
    {
        RequireFitted("saving");
        return new JsonObject { ["n_features_in"] = NFeaturesIn };
    }

    /// <summary>The classes as a model file stores them (<see cref="EstimatorState.Classes"/>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ArgumentException">The labels are of a type a model file cannot hold.</exception>
    internal ClassesText ClassesState() => LabelText.Write(Labels("saving"), Name);

    /// <summary>
    /// Makes the estimator fitted with the classes and the number of features of a saved state, as
    /// loading a model file does, and returns them; the caller restores the weights.
    /// </summary>
    /// <exception cref="InvalidDataException">The classes or "n_features_in" are missing or malformed.</exception>
    internal (ClassLabels Labels, int Features) RestoreFitted(StateReader state)
    {
        var labels = state.Classes();
        int features = state.Fitted.Integer("n_features_in", 1);
        _labels = labels;
        MarkFitted(features);
        return (labels, features);
    }

    /// <summary>Learns from checked samples and class indices 0 … <paramref name="classCount"/> − 1 into the sorted classes.</summary>
    private protected abstract void FitCore(DesignMatrix x, int[] classIndices, int classCount);

    /// <summary>The predicted class index of each checked sample.</summary>
    private protected abstract int[] PredictIndicesCore(DesignMatrix x);

    /// <summary>The class probabilities (or their logarithms) of each checked sample, row-major N × K.</summary>
    private protected abstract double[] ProbaCore(DesignMatrix x, bool logarithm);

    private ClassLabels Labels(string member)
    {
        RequireFitted(member);
        return _labels!;
    }

    private ClassLabels<TLabel> Typed<TLabel>(string member) where TLabel : notnull =>
        Labels(member) as ClassLabels<TLabel>
        ?? throw new InvalidOperationException($"{Name}: fitted with labels of type {_labels!.LabelType.Name}, asked for {typeof(TLabel).Name}; call {member}<{_labels.LabelType.Name}>.");

    private int[] LabelArray(Tensor y, string member)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.DType != DType.Int32 || y.Rank != 1)
            throw new ArgumentException($"{Name}.{member}: labels as a tensor must be 1-D Int32, got {y.DType} of shape {Shapes.Format(y.ShapeArray)}.", nameof(y));
        return y.Int32Data;
    }

    private void CheckLength(int samples, int labels, string who)
    {
        if (samples != labels)
            throw new ShapeMismatchException($"{who}: X has {samples} samples, y has {labels} labels.");
    }
}
