using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>
/// Preprocessing steps and an estimator used as one, as scikit-learn's <c>Pipeline</c>: fitting
/// fits each transformer on the output of the one before and the estimator on the last output;
/// predicting and scoring send new samples through the same fitted transformers.
/// </summary>
/// <remarks>
/// <para>
/// Every step but the last is an <see cref="ITransformer"/> (<see cref="StandardScaler"/>,
/// <see cref="MinMaxScaler"/>, <see cref="OneHotEncoder"/>); the last is a regressor
/// (<see cref="Regressor{TSelf}"/>) or a classifier (<see cref="Classifier{TSelf}"/>). The pipeline
/// offers what its final estimator offers: <c>Fit</c>, <c>Predict</c> and <c>Score</c> for both,
/// <see cref="PredictProba"/>, <see cref="PredictLogProba"/> and <see cref="Classes"/> for a classifier.
/// <code>
/// var model = new Pipeline(new StandardScaler(), new LogisticRegression()).Fit(X, species);
/// string[] predicted = model.Predict&lt;string&gt;(XTest);
/// var scaler = model.Step&lt;StandardScaler&gt;();   // the fitted steps, typed
/// </code>
/// </para>
/// <para>
/// Samples pass through the transformers as Float64. The fitted preprocessing is data:
/// <see cref="GetTransformerStates"/> gives each transformer's <see cref="TransformerState"/>, which a
/// model file stores next to the estimator's weights.
/// </para>
/// </remarks>
public sealed class Pipeline
{
    private readonly object[] _steps;
    private readonly ITransformer[] _transformers;
    private readonly Estimator _final;
    private bool _fitted;

    /// <summary>Creates the pipeline from its steps in order: transformers, then the final estimator.</summary>
    /// <exception cref="ArgumentNullException">The steps or one of them is null.</exception>
    /// <exception cref="ArgumentException">There are no steps, a step before the last is not an <see cref="ITransformer"/>, the last is not a regressor or classifier, or one object is given twice.</exception>
    public Pipeline(params object[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Length == 0)
            throw new ArgumentException("Pipeline: needs at least one step, the final estimator; got none.", nameof(steps));
        for (int i = 0; i < steps.Length; i++)
        {
            if (steps[i] is null) throw new ArgumentNullException(nameof(steps), $"Pipeline: step {i} is null.");
            int first = Array.IndexOf(steps, steps[i]);
            if (first != i)
                throw new ArgumentException($"Pipeline: steps {first} and {i} are the same {steps[i].GetType().Name} object; each step needs its own instance.", nameof(steps));
        }
        _transformers = new ITransformer[steps.Length - 1];
        for (int i = 0; i < _transformers.Length; i++)
        {
            _transformers[i] = steps[i] as ITransformer
                ?? throw new ArgumentException($"Pipeline: step {i} ({steps[i].GetType().Name}) is not a transformer (Nabla.Data.ITransformer, such as StandardScaler); only the last step may be an estimator.", nameof(steps));
        }
        var last = steps[^1];
        _final = last is IRegressor or IClassifier
            ? (Estimator)last
            : throw new ArgumentException($"Pipeline: the last step ({last.GetType().Name}) must be a regressor or a classifier, such as Ridge or LogisticRegression.", nameof(steps));
        _steps = (object[])steps.Clone();
    }

    /// <summary>The steps in order, the final estimator last.</summary>
    public IReadOnlyList<object> Steps => Array.AsReadOnly(_steps);

    /// <summary>The transformers, every step but the last.</summary>
    public IReadOnlyList<ITransformer> Transformers => Array.AsReadOnly(_transformers);

    /// <summary>The final estimator.</summary>
    public Estimator FinalEstimator => _final;

    /// <summary>Whether the final estimator is a classifier (otherwise it is a regressor).</summary>
    public bool IsClassifier => _final is IClassifier;

    /// <summary>Whether <c>Fit</c> has completed on this pipeline.</summary>
    public bool IsFitted => _fitted;

    /// <summary>The number of features the pipeline was fitted with: the first step's.</summary>
    /// <exception cref="InvalidOperationException">The pipeline is not fitted yet.</exception>
    public int NFeaturesIn
    {
        get
        {
            RequireFitted(nameof(NFeaturesIn));
            return _transformers.Length > 0 ? _transformers[0].NFeaturesIn : _final.NFeaturesIn;
        }
    }

    /// <summary>The final classifier's sorted classes (scikit-learn's <c>classes_</c>).</summary>
    /// <exception cref="InvalidOperationException">The final estimator is a regressor, or the pipeline is not fitted yet.</exception>
    public IReadOnlyList<object> Classes
    {
        get
        {
            RequireFitted(nameof(Classes));
            return AsClassifier(nameof(Classes)).Classes;
        }
    }

    /// <summary>The step at <paramref name="index"/>, as <typeparamref name="TStep"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no step at that index.</exception>
    /// <exception cref="InvalidCastException">The step is of another type.</exception>
    public TStep Step<TStep>(int index) where TStep : class
    {
        if ((uint)index >= (uint)_steps.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Pipeline: step index must be in [0, {_steps.Length - 1}], got {index}.");
        return _steps[index] as TStep
            ?? throw new InvalidCastException($"Pipeline: step {index} is a {_steps[index].GetType().Name}, not a {typeof(TStep).Name}.");
    }

    /// <summary>The first step that is a <typeparamref name="TStep"/>.</summary>
    /// <exception cref="InvalidOperationException">No step is.</exception>
    public TStep Step<TStep>() where TStep : class =>
        _steps.OfType<TStep>().FirstOrDefault()
        ?? throw new InvalidOperationException($"Pipeline: no step is a {typeof(TStep).Name}; the steps are {string.Join(", ", _steps.Select(s => s.GetType().Name))}.");

    /// <summary>The fitted state of each transformer, in order, as a model file stores it.</summary>
    /// <exception cref="InvalidOperationException">The pipeline is not fitted yet.</exception>
    public IReadOnlyList<TransformerState> GetTransformerStates()
    {
        RequireFitted(nameof(GetTransformerStates));
        return Array.ConvertAll(_transformers, t => t.GetState());
    }

    /// <summary>Fits the transformers and then the final regressor on samples <paramref name="x"/> (N, F) and targets <paramref name="y"/>.</summary>
    /// <returns>This pipeline, fitted.</returns>
    /// <exception cref="InvalidOperationException">The final estimator is a classifier: fit it with labels.</exception>
    /// <exception cref="ShapeMismatchException">X is not 2-D, or y's sample count differs from X's.</exception>
    /// <exception cref="ArgumentException">X or y is empty or holds NaN or infinity.</exception>
    public Pipeline Fit(FeatureMatrix x, RegressionTargets y)
    {
        var regressor = AsRegressor("Fit with numeric targets");
        return Fitting(() => regressor.FitUntyped(FitTransformers(x), y));
    }

    /// <summary>Fits the transformers and then the final classifier on samples <paramref name="x"/> (N, F) and labels <paramref name="y"/> of any type; for a final regressor, y given as <c>double[]</c> is its targets.</summary>
    /// <returns>This pipeline, fitted.</returns>
    /// <exception cref="InvalidOperationException">The final estimator is a regressor and y is not <c>double[]</c>.</exception>
    /// <exception cref="ShapeMismatchException">X is not 2-D, or y's length differs from X's sample count.</exception>
    /// <exception cref="ArgumentException">X is empty or holds NaN or infinity, a label is null, or y holds fewer than two classes.</exception>
    public Pipeline Fit<TLabel>(FeatureMatrix x, TLabel[] y) where TLabel : notnull
    {
        // A double[] binds here before its conversion to RegressionTargets; for a regressor it is the targets.
        if (_final is IRegressor && y is double[] targets) return Fit(x, (RegressionTargets)targets);
        var classifier = AsClassifier("Fit with labels");
        return Fitting(() => classifier.FitUntyped(FitTransformers(x), y));
    }

    /// <summary>Fits on samples <paramref name="x"/> and a tensor <paramref name="y"/>: targets for a final regressor, integer labels (1-D Int32) for a final classifier.</summary>
    /// <returns>This pipeline, fitted.</returns>
    /// <exception cref="ShapeMismatchException">X is not 2-D, or y's sample count differs from X's.</exception>
    /// <exception cref="ArgumentException">y is not a 1-D Int32 tensor for a classifier; X or y holds NaN or infinity.</exception>
    public Pipeline Fit(FeatureMatrix x, Tensor y) => _final is IClassifier classifier
        ? Fitting(() => classifier.FitUntyped(FitTransformers(x), y))
        : Fit(x, (RegressionTargets)y);

    /// <summary>
    /// The final estimator's predictions for the transformed samples: a regressor's Float64 targets,
    /// (N) or (N, T); a classifier's labels as a 1-D Int32 tensor, when it was fitted with <c>int</c>
    /// labels (otherwise call <see cref="Predict{TLabel}"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The pipeline is not fitted yet, or its classifier was fitted with labels of another type than <c>int</c>.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the pipeline was fitted with.</exception>
    public Tensor Predict(FeatureMatrix x)
    {
        var transformed = Transform(x, nameof(Predict));
        return _final is IClassifier classifier
            ? Tensor.FromArray(classifier.Predict<int>(transformed))
            : ((IRegressor)_final).Predict(transformed);
    }

    /// <summary>The final classifier's predicted labels for the transformed samples, of the type it was fitted with.</summary>
    /// <exception cref="InvalidOperationException">The final estimator is a regressor, the pipeline is not fitted yet, or it was fitted with labels of another type.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the pipeline was fitted with.</exception>
    public TLabel[] Predict<TLabel>(FeatureMatrix x) where TLabel : notnull
    {
        var classifier = AsClassifier("Predict labels");
        return classifier.Predict<TLabel>(Transform(x, nameof(Predict)));
    }

    /// <summary>The final classifier's class probabilities for the transformed samples: Float64 (N, K), columns in the order of <see cref="Classes"/>.</summary>
    /// <exception cref="InvalidOperationException">The final estimator is a regressor, or the pipeline is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the pipeline was fitted with.</exception>
    public Tensor PredictProba(FeatureMatrix x)
    {
        var classifier = AsClassifier(nameof(PredictProba));
        return classifier.PredictProba(Transform(x, nameof(PredictProba)));
    }

    /// <summary>The natural logarithm of <see cref="PredictProba"/>.</summary>
    /// <exception cref="InvalidOperationException">The final estimator is a regressor, or the pipeline is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the pipeline was fitted with.</exception>
    public Tensor PredictLogProba(FeatureMatrix x)
    {
        var classifier = AsClassifier(nameof(PredictLogProba));
        return classifier.PredictLogProba(Transform(x, nameof(PredictLogProba)));
    }

    /// <summary>The final regressor's R² on the transformed samples against the targets <paramref name="y"/>.</summary>
    /// <exception cref="InvalidOperationException">The final estimator is a classifier, or the pipeline is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features, or y another number of samples or targets.</exception>
    public double Score(FeatureMatrix x, RegressionTargets y)
    {
        var regressor = AsRegressor("Score against numeric targets");
        return regressor.Score(Transform(x, nameof(Score)), y);
    }

    /// <summary>The final classifier's accuracy on the transformed samples against the labels <paramref name="y"/>; for a final regressor, y given as <c>double[]</c> is its targets and the score is R².</summary>
    /// <exception cref="InvalidOperationException">The pipeline is not fitted yet, the final estimator is a regressor and y is not <c>double[]</c>, or the labels are of another type than fitted with.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features, or y another length.</exception>
    public double Score<TLabel>(FeatureMatrix x, TLabel[] y) where TLabel : notnull
    {
        if (_final is IRegressor && y is double[] targets) return Score(x, (RegressionTargets)targets);
        var classifier = AsClassifier("Score against labels");
        return classifier.Score(Transform(x, nameof(Score)), y);
    }

    /// <summary>The score against a tensor <paramref name="y"/>: R² against targets for a final regressor, accuracy against integer labels (1-D Int32) for a final classifier.</summary>
    /// <exception cref="InvalidOperationException">The pipeline is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features, or y another number of samples.</exception>
    public double Score(FeatureMatrix x, Tensor y) => _final is IClassifier classifier
        ? classifier.Score(Transform(x, nameof(Score)), y)
        : Score(x, (RegressionTargets)y);

    /// <summary>Runs a fit, and marks the pipeline fitted only if it completes.</summary>
    private Pipeline Fitting(Action fit)
    {
        _fitted = false;
        fit();
        _fitted = true;
        return this;
    }

    /// <summary>Fits each transformer on the output of the one before; returns the last output.</summary>
    private Tensor FitTransformers(FeatureMatrix x)
    {
        var current = AsTensor(x, "Fit");
        foreach (var transformer in _transformers) current = transformer.FitTransform(current);
        return current;
    }

    /// <summary>The samples sent through the fitted transformers.</summary>
    private Tensor Transform(FeatureMatrix x, string member)
    {
        RequireFitted(member);
        var current = AsTensor(x, member);
        foreach (var transformer in _transformers) current = transformer.Transform(current);
        return current;
    }

    /// <summary>The samples as a Float64 (N, F) tensor, checked as every estimator checks them.</summary>
    private static Tensor AsTensor(FeatureMatrix x, string member)
    {
        var design = x.ToDesign($"Pipeline.{member}");
        return Tensor.FromArray(design.Values, design.Rows, design.Columns);
    }

    private void RequireFitted(string member)
    {
        if (!_fitted) throw new InvalidOperationException($"Pipeline: not fitted yet; call Fit before {member}.");
    }

    private IRegressor AsRegressor(string what) => _final as IRegressor
        ?? throw new InvalidOperationException($"Pipeline: cannot {what}: the final step {_final.GetType().Name} is a classifier; give class labels (an array, or a 1-D Int32 tensor).");

    private IClassifier AsClassifier(string what) => _final as IClassifier
        ?? throw new InvalidOperationException($"Pipeline: cannot {what}: the final step {_final.GetType().Name} is a regressor, not a classifier.");
}
