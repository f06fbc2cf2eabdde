using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>
/// A classifier that scores each class linearly, z = X·Coefᵀ + Intercept, and predicts the class
/// of highest score: the shared part of <see cref="LogisticRegression"/> and the other linear
/// classifiers (fitted attributes, <see cref="DecisionFunction"/>, prediction).
/// </summary>
/// <typeparam name="TSelf">The concrete estimator, so that <c>Fit</c> returns it typed for chaining.</typeparam>
/// <remarks>
/// As in scikit-learn, two classes are scored by one row of weights: z &gt; 0 predicts the second
/// class of <c>Classes</c>, so <see cref="Coef"/> is (1, F) and <see cref="DecisionFunction"/>
/// gives a vector. K &gt; 2 classes have one row each: (K, F) and (N, K).
/// </remarks>
public abstract class LinearClassifier<TSelf> : Classifier<TSelf>, IDecisionFunction where TSelf : LinearClassifier<TSelf>
{
    private double[] _coef = [];
    private double[] _intercept = [];
    private int _iterations;

    private protected LinearClassifier() { }

    /// <summary>
    /// How long the last fit ran, in the solver's own unit (scikit-learn's <c>n_iter_</c>): L-BFGS
    /// iterations, SGD epochs or coordinate-descent passes, the most of any one-vs-rest problem.
    /// Equal to <c>MaxIter</c> when the fit stopped before converging.
    /// </summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public int NIter
    {
        get
        {
            RequireFitted(nameof(NIter));
            return _iterations;
        }
    }

    /// <summary>The weights (scikit-learn's <c>coef_</c>): Float64 (1, F) for two classes, (K, F) for K &gt; 2.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public Tensor Coef
    {
        get
        {
            RequireFitted(nameof(Coef));
            return Tensor.FromArray(_coef, _intercept.Length, _coef.Length / _intercept.Length);
        }
    }

    /// <summary>The intercepts (scikit-learn's <c>intercept_</c>): Float64 (1) for two classes, (K) for K &gt; 2; zeros when no intercept is fitted.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public Tensor Intercept
    {
        get
        {
            RequireFitted(nameof(Intercept));
            return Tensor.FromArray(_intercept);
        }
    }

    /// <summary>The class scores z = X·Coefᵀ + Intercept: Float64 (N) for two classes (positive favours the second class), (N, K) for K &gt; 2.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than the estimator was fitted with.</exception>
    public Tensor DecisionFunction(FeatureMatrix x)
    {
        var design = ForPrediction(x, nameof(DecisionFunction));
        var scores = Scores(design);
        return _intercept.Length == 1 ? Tensor.FromArray(scores) : Tensor.FromArray(scores, design.Rows, _intercept.Length);
    }

    /// <summary>
    /// The fitted state with the subclass's kind and settings: "coef" and "intercept" as
    /// <see cref="Coef"/> and <see cref="Intercept"/> give them, "n_iter" and <paramref name="fitted"/>
    /// among the fitted values, and the classes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ArgumentException">The labels are of a type a model file cannot hold.</exception>
    private protected EstimatorState LinearState(string kind, JsonObject settings, JsonObject? fitted = null)
    {
        var values = FittedState();
        values["n_iter"] = _iterations;
        foreach (var (name, value) in fitted ?? []) values[name] = value?.DeepClone();
        return new EstimatorState(kind, settings.ToJsonString(), values.ToJsonString(),
            new Dictionary<string, Tensor> { ["coef"] = Coef, ["intercept"] = Intercept }, ClassesState());
    }

    /// <summary>Restores the classes and weights of a saved state: "coef" (rows, F) and "intercept" (rows), one row for two classes, K for K &gt; 2.</summary>
    /// <returns>The number of rows of weights and of features.</returns>
    /// <exception cref="InvalidDataException">The classes, a fitted value or a tensor is missing or of the wrong type or shape.</exception>
    private protected (int Rows, int Features) RestoreLinear(StateReader state)
    {
        var (labels, features) = RestoreFitted(state);
        int rows = labels.Count == 2 ? 1 : labels.Count;
        SetWeights(state.Values("coef", rows, features), state.Values("intercept", rows));
        SetIterations(state.Fitted.Integer("n_iter", 0));
        return (rows, features);
    }

    /// <summary>Stores the fitted weights: row-major (rows × F) and one intercept a row, rows = 1 for two classes.</summary>
    private protected void SetWeights(double[] coef, double[] intercept) => (_coef, _intercept) = (coef, intercept);

    /// <summary>Records how long the fit ran (<see cref="NIter"/>).</summary>
    private protected void SetIterations(int iterations) => _iterations = iterations;

    /// <summary>The scores of checked samples, row-major N × rows.</summary>
    private protected double[] Scores(DesignMatrix x) => x.LinearScores(_coef, _intercept);

    private protected sealed override int[] PredictIndicesCore(DesignMatrix x)
    {
        var scores = Scores(x);
        int rows = _intercept.Length;
        var predicted = new int[x.Rows];
        for (int i = 0; i < x.Rows; i++)
            predicted[i] = rows == 1 ? (scores[i] > 0 ? 1 : 0) : TensorPrimitives.IndexOfMax<double>(scores.AsSpan(i * rows, rows));
        return predicted;
    }
}
