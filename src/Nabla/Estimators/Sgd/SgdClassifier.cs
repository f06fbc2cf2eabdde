using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Metrics;

namespace Nabla.Estimators;

/// <summary>
/// A linear classifier fitted by stochastic gradient descent, as scikit-learn's <c>SGDClassifier</c>:
/// a linear support vector machine by default (hinge loss), logistic regression (log loss), the
/// modified Huber loss, squared hinge or the perceptron; one-vs-all for more than two classes.
/// </summary>
/// <remarks>
/// <para>
/// The algorithm is scikit-learn 1.2's, step for step (<see cref="SgdSolver"/>), with its default
/// Optimal schedule η = 1 / (α (t + t₀)): with <c>shuffle: false</c> the coefficients agree with
/// scikit-learn's to rounding, and <see cref="LinearClassifier{TSelf}.NIter"/> (the most epochs of any one-vs-all problem)
/// and <see cref="TUpdates"/> are equal. For K &gt; 2 classes, problem k separates class k
/// (y = +1, weighted by its class weight) from the rest (y = −1, weight 1); each problem starts
/// from the same t. Shuffles and the early-stopping split are drawn from this library's
/// <see cref="Generator"/> seeded by <c>randomState</c>, not NumPy's.
/// </para>
/// <para>
/// <see cref="Classifier{TSelf}.PredictProba"/> needs a loss with a probability model: LogLoss
/// (σ of the score) or ModifiedHuber ((clip(score, −1, 1) + 1) / 2); for several classes the
/// one-vs-all probabilities are normalised to sum to 1, as scikit-learn does.
/// </para>
/// <code>
/// var model = new SgdClassifier(loss: SgdClassifierLoss.LogLoss).Fit(X, species);
/// string[] predicted = model.Predict&lt;string&gt;(X);
/// </code>
/// </remarks>
public sealed class SgdClassifier : LinearClassifier<SgdClassifier>
{
    /// <summary>The estimator's kind in a model file.</summary>
    internal const string KindName = "sgd_classifier";

    private SgdParameters? _parameters;
    private double _t = 1;

    /// <summary>Creates the estimator with scikit-learn's defaults; every setting is checked here.</summary>
    /// <param name="loss">The loss (scikit-learn's <c>loss</c>, default hinge: a linear SVM).</param>
    /// <param name="penalty">The penalty on the weights (default L2).</param>
    /// <param name="alpha">The penalty's strength (≥ 0; &gt; 0 for the Optimal schedule, which it also sets).</param>
    /// <param name="l1Ratio">The L1 share of the elastic-net penalty, in [0, 1].</param>
    /// <param name="fitIntercept">Whether to learn intercepts.</param>
    /// <param name="maxIter">The most epochs (passes over the data), ≥ 1.</param>
    /// <param name="tol">The improvement an epoch must make (≥ 0), or null to run all <paramref name="maxIter"/> epochs.</param>
    /// <param name="shuffle">Whether to shuffle the samples before each epoch.</param>
    /// <param name="randomState">The seed of the shuffles and of the early-stopping split.</param>
    /// <param name="learningRate">The step-size schedule (default Optimal).</param>
    /// <param name="eta0">The initial step size (&gt; 0 for Constant, InvScaling and Adaptive; unused by Optimal).</param>
    /// <param name="powerT">The exponent of the InvScaling schedule.</param>
    /// <param name="earlyStopping">Hold out <paramref name="validationFraction"/> of the samples (stratified) and stop when their accuracy stops improving.</param>
    /// <param name="validationFraction">The held-out share for early stopping, in (0, 1).</param>
    /// <param name="nIterNoChange">How many epochs without improvement stop the fit (≥ 1).</param>
    /// <param name="classWeight">None, or Balanced to weigh class k by N / (K · Nₖ).</param>
    /// <param name="warmStart">Start <c>Fit</c> from the previous fit's weights.</param>
    /// <param name="average">0: no averaging; 1: predict with the average of the weights over all updates; n &gt; 1: average from update n on.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public SgdClassifier(SgdClassifierLoss loss = SgdClassifierLoss.Hinge, Penalty penalty = Penalty.L2, double alpha = 1e-4,
        double l1Ratio = 0.15, bool fitIntercept = true, int maxIter = 1000, double? tol = 1e-3, bool shuffle = true,
        ulong randomState = 0, SgdLearningRate learningRate = SgdLearningRate.Optimal, double eta0 = 0.0, double powerT = 0.5,
        bool earlyStopping = false, double validationFraction = 0.1, int nIterNoChange = 5, ClassWeight classWeight = ClassWeight.None,
        bool warmStart = false, int average = 0)
    {
        if (!Enum.IsDefined(loss))
            throw new ArgumentOutOfRangeException(nameof(loss), $"SgdClassifier: loss must be Hinge, LogLoss, ModifiedHuber, SquaredHinge or Perceptron, got {loss}");
        if (!Enum.IsDefined(classWeight))
            throw new ArgumentOutOfRangeException(nameof(classWeight), $"SgdClassifier: class weight must be None or Balanced, got {classWeight}");
        Loss = loss;
        ClassWeight = classWeight;
        WarmStart = warmStart;
        Settings = new SgdSettings(penalty, alpha, l1Ratio, fitIntercept, maxIter, tol, shuffle, randomState, learningRate, eta0,
            powerT, earlyStopping, validationFraction, nIterNoChange, average).Checked(nameof(SgdClassifier));
    }

    /// <summary>The loss.</summary>
    public SgdClassifierLoss Loss { get; }

    /// <summary>How samples are weighted by class.</summary>
    public ClassWeight ClassWeight { get; }

    /// <summary>Whether <c>Fit</c> starts from the previous fit's weights.</summary>
    public bool WarmStart { get; }

    /// <summary>The settings this estimator shares with the other SGD estimator: penalty, schedule, stopping, averaging.</summary>
    public SgdSettings Settings { get; }

    /// <summary>The number of weight updates made plus one (scikit-learn's <c>t_</c>): NIter times the samples, summed over the fits.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public double TUpdates
    {
        get
        {
            RequireFitted(nameof(TUpdates));
            return _t;
        }
    }

    /// <summary>
    /// One epoch over <paramref name="x"/> and <paramref name="y"/>, continuing from the weights and
    /// schedule so far (scikit-learn's <c>partial_fit</c>). The first call must name every class
    /// the data will ever hold in <paramref name="classes"/>; later calls may omit them.
    /// </summary>
    /// <returns>This estimator.</returns>
    /// <exception cref="InvalidOperationException">Early stopping is on, or the class weight is Balanced: both need the whole data.</exception>
    /// <exception cref="ArgumentException">The first call has no classes, later classes differ, a label is not a class, or as for <c>Fit</c>.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than before, or y another length.</exception>
    public SgdClassifier PartialFit<TLabel>(FeatureMatrix x, TLabel[] y, TLabel[]? classes = null) where TLabel : notnull
    {
        if (Settings.EarlyStopping)
            throw new InvalidOperationException("SgdClassifier.PartialFit: early stopping needs a whole fit; create the estimator with earlyStopping: false to fit in parts.");
        if (ClassWeight == ClassWeight.Balanced)
            throw new InvalidOperationException("SgdClassifier.PartialFit: balanced class weights need the whole data's class counts; use ClassWeight.None to fit in parts.");
        return PartialLearn(x, y, classes, (design, indices, classCount) =>
        {
            _parameters ??= new SgdParameters(classCount == 2 ? 1 : classCount, design.Columns, Settings.Average > 0);
            Train(design, indices, classCount, maxIter: 1);
        });
    }

    /// <summary>
    /// The fitted state: settings "loss", the shared SGD settings (<see cref="SgdSettings"/>), "class_weight"
    /// and "warm_start"; tensors "coef" and "intercept"; fitted "n_iter" and "t"; the classes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    /// <exception cref="ArgumentException">The labels are of a type a model file cannot hold.</exception>
    internal EstimatorState ExportState()
    {
        var settings = Settings.ToJson(new JsonObject { ["loss"] = StateSection.Node(Loss) });
        settings["class_weight"] = StateSection.Node(ClassWeight);
        settings["warm_start"] = WarmStart;
        return LinearState(KindName, settings, new JsonObject { ["t"] = _t });
    }

    /// <summary>The fitted estimator a saved state describes; the settings are checked as the constructor checks them. A warm start continues from the saved weights.</summary>
    /// <exception cref="InvalidDataException">A setting, fitted value, tensor or class is missing, malformed or out of range.</exception>
    internal static SgdClassifier FromState(StateReader state)
    {
        var s = state.Settings;
        var model = StateReader.Build(() =>
        {
            var g = SgdSettings.Read(s);
            return new SgdClassifier(s.Choice<SgdClassifierLoss>("loss"), g.Penalty, g.Alpha, g.L1Ratio, g.FitIntercept, g.MaxIter, g.Tol, g.Shuffle,
                g.RandomState, g.LearningRate, g.Eta0, g.PowerT, g.EarlyStopping, g.ValidationFraction, g.NIterNoChange,
                s.Choice<ClassWeight>("class_weight"), s.Flag("warm_start"), g.Average);
        });
        var (_, features) = model.RestoreLinear(state);
        model._t = state.Fitted.Number("t", 1);
        model._parameters = SgdParameters.Restored(model.Coef.Float64Data, model.Intercept.Float64Data, features, model.Settings.Average > 0);
        return model;
    }

    private protected override void FitCore(DesignMatrix x, int[] classIndices, int classCount)
    {
        _parameters = SgdParameters.Start(_parameters, WarmStart, classCount == 2 ? 1 : classCount, x.Columns, Settings.Average > 0);
        _t = 1;
        Train(x, classIndices, classCount, Settings.MaxIter);
    }

    private protected override bool HasProbabilities => Loss is SgdClassifierLoss.LogLoss or SgdClassifierLoss.ModifiedHuber;

    private protected override double[] ProbaCore(DesignMatrix x, bool logarithm)
    {
        if (!HasProbabilities)
            throw new NotSupportedException($"SgdClassifier: probabilities need loss LogLoss or ModifiedHuber, got {Loss}.");
        var scores = Scores(x);
        int k = Classes.Count;
        var proba = new double[x.Rows * k];
        for (int i = 0; i < x.Rows; i++)
        {
            var row = proba.AsSpan(i * k, k);
            if (k == 2)
            {
                row[1] = Probability(scores[i]);
                row[0] = 1 - row[1];
            }
            else
            {
                for (int c = 0; c < k; c++) row[c] = Probability(scores[i * k + c]);
                double sum = 0;
                foreach (double p in row) sum += p;
                // modified Huber can give every class 0: scikit-learn then spreads the mass evenly.
                for (int c = 0; c < k; c++) row[c] = sum == 0 ? 1.0 / k : row[c] / sum;
            }
        }
        if (logarithm)
            for (int i = 0; i < proba.Length; i++) proba[i] = Math.Log(proba[i]);
        return proba;
    }

    /// <summary>The one-vs-all probability of a score: σ(z) for the log loss, (clip(z, −1, 1) + 1) / 2 for modified Huber.</summary>
    private double Probability(double score) =>
        Loss == SgdClassifierLoss.LogLoss ? 1 / (1 + Math.Exp(-score)) : (Math.Clamp(score, -1, 1) + 1) / 2;

    private void Train(DesignMatrix x, int[] classIndices, int classCount, int maxIter)
    {
        var parameters = _parameters!;
        var classWeights = ClassBalance.PerClass(ClassWeight, classIndices, classCount);
        var validation = new bool[x.Rows];
        if (Settings.EarlyStopping)
            foreach (int i in TrainTestSplit.Stratified(classIndices, testSize: Settings.ValidationFraction, randomState: Settings.RandomState).Test) validation[i] = true;
        var held = Enumerable.Range(0, x.Rows).Where(i => validation[i]).ToArray();
        var heldX = x.SelectRows(held);

        var solver = new SgdSolver(Settings, SgdLoss.For(Loss));
        int epochs = 0;
        for (int r = 0; r < parameters.Rows; r++)
        {
            // Two classes: one problem, the second class positive. More: class r against the rest.
            int positive = parameters.Rows == 1 ? 1 : r;
            var y = Array.ConvertAll(classIndices, k => k == positive ? 1.0 : -1.0);
            double weightPositive = classWeights[positive], weightNegative = parameters.Rows == 1 ? classWeights[0] : 1.0;
            Func<double[], double, double>? score = null;
            if (Settings.EarlyStopping)
            {
                var heldY = Array.ConvertAll(held, i => y[i]);
                score = (coef, intercept) => ClassificationMetrics.Accuracy(heldY,
                    Array.ConvertAll(heldX.LinearScores(coef, [intercept]), s => s > 0 ? 1.0 : -1.0));
            }
            var outcome = solver.Run(x, y, validation, parameters, r, _t, weightPositive, weightNegative, maxIter,
                Settings.Shuffle ? new Generator(Settings.RandomState + (ulong)r) : null, score);
            epochs = Math.Max(epochs, outcome.Epochs);
        }
        SetIterations(epochs);
        _t += (double)epochs * x.Rows;
        var (coef, intercept) = parameters.Effective(Settings.Average, _t);
        SetWeights(coef, intercept);
    }
}
