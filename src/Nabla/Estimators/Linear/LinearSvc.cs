using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Optim;
using Nabla.Text;

namespace Nabla.Estimators;

/// <summary>
/// A linear support vector machine, as scikit-learn's <c>LinearSVC</c>: minimises
/// ½‖w‖² + C Σ ξ(yᵢ(w·xᵢ + b)) with the squared hinge (default) or the hinge ξ, by liblinear's dual
/// coordinate descent (<see cref="DualCoordinateDescent"/>); one-vs-rest for more than two classes.
/// </summary>
/// <remarks>
/// <para>
/// As in liblinear, the intercept is the weight of an extra constant feature of value
/// <see cref="InterceptScaling"/> and is penalised with the other weights (raise the scaling to
/// penalise it less). scikit-learn's primal solver for <c>dual: false</c> reaches the same
/// optimum; here both settings run the dual solver, which converges to it as well.
/// </para>
/// <para>
/// Each pass visits the samples in a random order drawn from <see cref="Generator"/> seeded by
/// <c>randomState</c>. When the tolerance is met, the weights are at the optimum to about the
/// tolerance, as scikit-learn's are; a fit stopped by <see cref="MaxIter"/> is not, and then
/// differs from scikit-learn's (whose order comes from another generator) by more.
/// </para>
/// <code>
/// var svm = new LinearSvc(C: 0.1).Fit(X, y);
/// Tensor margins = svm.DecisionFunction(X);
/// </code>
/// </remarks>
public sealed class LinearSvc : LinearClassifier<LinearSvc>
{
    /// <summary>The estimator's kind in a model file.</summary>
    internal const string KindName = "linear_svc";

    /// <summary>Creates the estimator with scikit-learn's defaults; every setting is checked here.</summary>
    /// <param name="loss">SquaredHinge (default) or Hinge.</param>
    /// <param name="dual">Whether scikit-learn would solve the dual (true, its 1.2 default); Hinge has only the dual.</param>
    /// <param name="tol">The stopping tolerance on the projected gradient (&gt; 0).</param>
    /// <param name="C">The weight of the loss against the penalty (&gt; 0): larger fits the training data harder.</param>
    /// <param name="fitIntercept">Whether to learn intercepts.</param>
    /// <param name="interceptScaling">The value of the constant feature that carries the intercept (&gt; 0).</param>
    /// <param name="classWeight">None, or Balanced to scale C for class k by N / (K · Nₖ).</param>
    /// <param name="randomState">The seed of the order in which the solver visits the samples.</param>
    /// <param name="maxIter">The most passes over the data (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    /// <exception cref="ArgumentException">Hinge with <paramref name="dual"/> false, which scikit-learn does not support either.</exception>
    public LinearSvc(LinearSvcLoss loss = LinearSvcLoss.SquaredHinge, bool dual = true, double tol = 1e-4, double C = 1.0,
        bool fitIntercept = true, double interceptScaling = 1, ClassWeight classWeight = ClassWeight.None, ulong randomState = 0,
        int maxIter = 1000)
    {
        if (!Enum.IsDefined(loss))
            throw new ArgumentOutOfRangeException(nameof(loss), $"LinearSvc: loss must be SquaredHinge or Hinge, got {loss}");
        if (loss == LinearSvcLoss.Hinge && !dual)
            throw new ArgumentException("LinearSvc: the hinge loss is solved in the dual only; use dual: true or loss SquaredHinge.", nameof(dual));
        if (!Enum.IsDefined(classWeight))
            throw new ArgumentOutOfRangeException(nameof(classWeight), $"LinearSvc: class weight must be None or Balanced, got {classWeight}");
        Loss = loss;
        Dual = dual;
        Tol = Hyperparameters.Positive(tol, "LinearSvc: tol", nameof(tol));
        this.C = Hyperparameters.Positive(C, "LinearSvc: C", nameof(C));
        FitIntercept = fitIntercept;
        InterceptScaling = Hyperparameters.Positive(interceptScaling, "LinearSvc: interceptScaling", nameof(interceptScaling));
        ClassWeight = classWeight;
        RandomState = randomState;
        MaxIter = Hyperparameters.AtLeastOne(maxIter, "LinearSvc: maxIter", nameof(maxIter));
    }

    /// <summary>The loss.</summary>
    public LinearSvcLoss Loss { get; }

    /// <summary>Whether the dual was asked for (the solver is the dual one either way).</summary>
    public bool Dual { get; }

    /// <summary>The stopping tolerance.</summary>
    public double Tol { get; }

    /// <summary>The weight of the loss against the penalty.</summary>
    public double C { get; }

    /// <summary>Whether intercepts are learned.</summary>
    public bool FitIntercept { get; }

    /// <summary>The value of the constant feature that carries the intercept.</summary>
    public double InterceptScaling { get; }

    /// <summary>How samples are weighted by class.</summary>
    public ClassWeight ClassWeight { get; }

    /// <summary>The seed of the solver's sample order.</summary>
    public ulong RandomState { get; }

    /// <summary>The most passes.</summary>
    public int MaxIter { get; }

    /// <summary>
    /// The fitted state: settings "loss", "dual", "tol", "C", "fit_intercept", "intercept_scaling",
    /// "class_weight", "random_state" and "max_iter"; tensors "coef" and "intercept"; the classes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ArgumentException">The labels are of a type a model file cannot hold.</exception>
    internal EstimatorState ExportState() => LinearState(KindName, new JsonObject
    {
        ["loss"] = StateSection.Node(Loss), ["dual"] = Dual, ["tol"] = Tol, ["C"] = C, ["fit_intercept"] = FitIntercept,
        ["intercept_scaling"] = InterceptScaling, ["class_weight"] = StateSection.Node(ClassWeight), ["random_state"] = RandomState, ["max_iter"] = MaxIter,
    });

    /// <summary>The fitted estimator a saved state describes; the settings are checked as the constructor checks them.</summary>
    /// <exception cref="InvalidDataException">A setting, fitted value, tensor or class is missing, malformed or out of range.</exception>
    internal static LinearSvc FromState(StateReader state)
    {
        var s = state.Settings;
        var model = StateReader.Build(() => new LinearSvc(s.Choice<LinearSvcLoss>("loss"), s.Flag("dual"), s.Number("tol"), s.Number("C"), s.Flag("fit_intercept"),
            s.Number("intercept_scaling"), s.Choice<ClassWeight>("class_weight"), s.Seed("random_state"), s.Integer("max_iter")));
        model.RestoreLinear(state);
        return model;
    }

    /// <summary>
    /// Learns from sparse samples <paramref name="x"/> (such as TF-IDF rows: <see cref="TfidfVectorizer"/>) and their labels
    /// <paramref name="y"/>, as scikit-learn's <c>LinearSVC</c> fits a SciPy sparse matrix: the solver reads each row's entries only,
    /// so tens of thousands of columns cost what the entries cost. <see cref="LinearClassifier{TSelf}.Coef"/> is then dense (classes, columns).
    /// </summary>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentNullException">X or y is null.</exception>
    /// <exception cref="ShapeMismatchException">y's length differs from X's row count.</exception>
    /// <exception cref="ArgumentException">X has no rows or holds NaN or infinity, a label is null, or y holds fewer than two classes.</exception>
    public LinearSvc Fit<TLabel>(SparseRows x, TLabel[] y) where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.RowCount == 0) throw new ArgumentException("LinearSvc.Fit: X has no rows.", nameof(x));
        foreach (double value in x.Values)
            if (!double.IsFinite(value)) throw new ArgumentException($"LinearSvc.Fit: X holds {value}; every value must be finite.", nameof(x));
        return FitLabels(x.RowCount, x.ColumnCount, y, (indices, classes) => FitRows(SampleRows.Of(x), indices, classes));
    }

    private protected override void FitCore(DesignMatrix x, int[] classIndices, int classCount) => FitRows(SampleRows.Of(x), classIndices, classCount);

    private void FitRows(SampleRows x, int[] classIndices, int classCount)
    {
        int rows = classCount == 2 ? 1 : classCount, f = x.Features;
        var classWeights = ClassBalance.PerClass(ClassWeight, classIndices, classCount);
        double bias = FitIntercept ? InterceptScaling : 0;
        var coef = new double[rows * f];
        var intercept = new double[rows];
        var generator = new Generator(RandomState);
        int mostPasses = 0;
        for (int r = 0; r < rows; r++)
        {
            int positive = rows == 1 ? 1 : r;
            var y = Array.ConvertAll(classIndices, k => k == positive ? 1.0 : -1.0);
            // liblinear's one-vs-rest weighs only the positive class; the rest keep C.
            double positiveCost = C * classWeights[positive], negativeCost = rows == 1 ? C * classWeights[0] : C;
            var cost = Array.ConvertAll(classIndices, k => k == positive ? positiveCost : negativeCost);
            var (w, passes) = DualCoordinateDescent.Solve(x, y, cost, Loss == LinearSvcLoss.SquaredHinge, bias, Tol, MaxIter, generator);
            w.AsSpan(0, f).CopyTo(coef.AsSpan(r * f, f));
            intercept[r] = w[f] * bias;
            mostPasses = Math.Max(mostPasses, passes);
        }
        SetWeights(coef, intercept);
        SetIterations(mostPasses);
    }

    private protected override bool HasProbabilities => false;

    private protected override double[] ProbaCore(DesignMatrix x, bool logarithm) =>
        throw new NotSupportedException("LinearSvc: a support vector machine gives margins, not probabilities; use DecisionFunction, or LogisticRegression for probabilities.");
}
