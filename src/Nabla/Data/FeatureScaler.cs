
namespace Nabla.Data;

/// <summary>
/// The shape every per-feature scaler shares (<see cref="StandardScaler"/>, <see cref="MinMaxScaler"/>):
/// fit in one call or in batches (<see cref="PartialFit(Tensor)"/>), transform, transform back,
/// on (samples, features) tensors or <c>double[,]</c>. Each method returns the concrete scaler, so calls chain.
/// </summary>
/// <typeparam name="TSelf">The concrete scaler.</typeparam>
public abstract class FeatureScaler<TSelf> : ITransformer where TSelf : FeatureScaler<TSelf>
{
    private int _features = -1;

    private protected FeatureScaler() { }

    /// <inheritdoc/>
    public bool IsFitted => _features >= 0;

    /// <inheritdoc/>
    public int NFeaturesIn => IsFitted ? _features : throw NotFitted();

    /// <summary>Learns the scaling from <paramref name="x"/> (samples, features), forgetting any earlier fit.</summary>
    /// <exception cref="ShapeMismatchException"><paramref name="x"/> is not 2-D.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> has no samples.</exception>
    public TSelf Fit(Tensor x) => Learn(x, reset: true);

    /// <inheritdoc cref="Fit(Tensor)"/>
    public TSelf Fit(double[,] x) => Learn(x, reset: true);

    /// <summary>Updates the learnt statistics with one more batch of samples, as scikit-learn's <c>partial_fit</c> (the first call fits).</summary>
    /// <exception cref="ShapeMismatchException">The batch's feature count differs from the earlier batches'.</exception>
    public TSelf PartialFit(Tensor x) => Learn(x, reset: false);

    /// <inheritdoc cref="PartialFit(Tensor)"/>
    public TSelf PartialFit(double[,] x) => Learn(x, reset: false);

    /// <summary>The scaled copy of <paramref name="x"/>, in its floating-point type.</summary>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    /// <exception cref="ShapeMismatchException">The feature count differs from the fitted one (both named).</exception>
    public Tensor Transform(Tensor x) => Map(x, Forward).ToTensor(((FeatureMatrix)x).ResultType);

    /// <inheritdoc cref="Transform(Tensor)"/>
    public double[,] Transform(double[,] x) => Map(x, Forward).ToArray();

    /// <summary>Fits on <paramref name="x"/> and returns it scaled.</summary>
    public Tensor FitTransform(Tensor x) => Fit(x).Transform(x);

    /// <inheritdoc cref="FitTransform(Tensor)"/>
    public double[,] FitTransform(double[,] x) => Fit(x).Transform(x);

    /// <summary>Undoes <see cref="Transform(Tensor)"/>: scaled values back to the original units.</summary>
    /// <exception cref="InvalidOperationException">The scaler is not fitted.</exception>
    /// <exception cref="ShapeMismatchException">The feature count differs from the fitted one (both named).</exception>
    public Tensor InverseTransform(Tensor x) => Map(x, Backward).ToTensor(((FeatureMatrix)x).ResultType);

    /// <inheritdoc cref="InverseTransform(Tensor)"/>
    public double[,] InverseTransform(double[,] x) => Map(x, Backward).ToArray();

    /// <inheritdoc/>
    public TransformerState GetState()
    {
        if (!IsFitted) throw NotFitted();
        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string> { ["n_features_in"] = _features.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        SaveState(tensors, metadata);
        return new TransformerState(Name, tensors, metadata);
    }

    ITransformer ITransformer.Fit(Tensor x) => Fit(x);

    /// <summary>The class name, for messages and the saved state.</summary>
    private protected abstract string Name { get; }

    /// <summary>Forgets the learnt statistics before a full fit.</summary>
    private protected abstract void Reset();

    /// <summary>Folds a batch of <paramref name="columns"/> features (row-major values) into the learnt statistics.</summary>
    private protected abstract void Accumulate(double[] values, int rows, int columns);

    /// <summary>The scaled values of a row-major matrix.</summary>
    private protected abstract double[] Forward(double[] values, int columns);

    /// <summary>The unscaled values of a row-major matrix.</summary>
    private protected abstract double[] Backward(double[] values, int columns);

    /// <summary>Adds the learnt arrays and settings to a state.</summary>
    private protected abstract void SaveState(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata);

    /// <summary>Marks the scaler fitted on <paramref name="features"/> features, its statistics set by the caller.</summary>
    private protected void MarkFitted(int features) => _features = features;

    /// <summary>Marks the scaler fitted with the feature count of a restored state.</summary>
    private protected void Restored(TransformerState state)
    {
        if (!int.TryParse(state.Text("n_features_in"), out _features) || _features < 0)
            throw new InvalidDataException($"{Name} state: n_features_in is '{state.Text("n_features_in")}', expected a count.");
    }

    /// <summary>The exception for use before fitting.</summary>
    private protected InvalidOperationException NotFitted() => new($"This {Name} is not fitted yet; call Fit before using it.");

    private TSelf Learn(FeatureMatrix x, bool reset)
    {
        var m = x.Read(Name).RequireSamples(Name);
        if (reset || !IsFitted)
        {
            Reset();
            Accumulate(m.Values, m.Rows, m.Columns);
            _features = m.Columns;
        }
        else
        {
            Accumulate(m.RequireFeatures(_features, Name).Values, m.Rows, m.Columns);
        }
        return (TSelf)this;
    }

    /// <summary>The fitted scaler's <paramref name="map"/> (forward or backward) of checked samples.</summary>
    private DesignMatrix Map(FeatureMatrix x, Func<double[], int, double[]> map)
    {
        if (!IsFitted) throw NotFitted();
        var m = x.Read(Name).RequireFeatures(_features, Name);
        return new DesignMatrix(map(m.Values, m.Columns), m.Rows, m.Columns);
    }
}
