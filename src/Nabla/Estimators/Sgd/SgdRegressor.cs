using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Metrics;
using Nabla.Optim;

namespace Nabla.Estimators;

/// <summary>
/// A linear model fitted by stochastic gradient descent, as scikit-learn's <c>SGDRegressor</c>:
/// one sample at a time, a choice of loss (squared error, Huber, ε-insensitive), penalty
/// (L2, L1, elastic net) and step-size schedule, with averaging, early stopping and <see cref="PartialFit"/>.
/// </summary>
/// <remarks>
/// <para>
/// The algorithm is scikit-learn 1.2's, step for step (<see cref="SgdSolver"/>): with
/// <c>shuffle: false</c> the samples are visited in the same order and the coefficients agree with
/// scikit-learn's to rounding, and <see cref="NIter"/> and <see cref="TUpdates"/> are equal.
/// With shuffling the order is drawn from <see cref="Generator"/> seeded by <c>randomState</c>
/// (scikit-learn draws from NumPy's), so results are reproducible but not scikit-learn's own.
/// The early-stopping split is <see cref="TrainTestSplit"/>'s, for the same reason.
/// </para>
/// <para>SGD is sensitive to feature scales: standardise the features first (<see cref="StandardScaler"/>).</para>
/// <code>
/// var model = new SgdRegressor(loss: SgdRegressorLoss.Huber, penalty: Penalty.ElasticNet).Fit(X, y);
/// Tensor predicted = model.Predict(X);
/// </code>
/// </remarks>
public sealed class SgdRegressor : Regressor<SgdRegressor>
{
    /// <summary>The estimator's kind in a model file.</summary>
    internal const string KindName = "sgd_regressor";

    private SgdParameters? _parameters;
    private double[] _coef = [], _intercept = [];
    private double _t = 1;
    private int _iterations;
    private double[] _lossCurve = [], _validationScores = [];

    /// <summary>Creates the estimator with scikit-learn's defaults; every setting is checked here.</summary>
    /// <param name="loss">The loss (scikit-learn's <c>loss</c>, default squared error).</param>
    /// <param name="penalty">The penalty on the weights (default L2).</param>
    /// <param name="alpha">The penalty's strength (≥ 0; &gt; 0 for the Optimal schedule, which it also sets).</param>
    /// <param name="l1Ratio">The L1 share of the elastic-net penalty, in [0, 1].</param>
    /// <param name="fitIntercept">Whether to learn an intercept.</param>
    /// <param name="maxIter">The most epochs (passes over the data), ≥ 1.</param>
    /// <param name="tol">The improvement an epoch must make (≥ 0), or null to run all <paramref name="maxIter"/> epochs.</param>
    /// <param name="shuffle">Whether to shuffle the samples before each epoch.</param>
    /// <param name="epsilon">Huber's threshold, or the half width of the ε-insensitive band (≥ 0).</param>
    /// <param name="randomState">The seed of the shuffles and of the early-stopping split.</param>
    /// <param name="learningRate">The step-size schedule (default InvScaling).</param>
    /// <param name="eta0">The initial step size (&gt; 0 for Constant, InvScaling and Adaptive).</param>
    /// <param name="powerT">The exponent of the InvScaling schedule.</param>
    /// <param name="earlyStopping">Hold out <paramref name="validationFraction"/> of the samples and stop when their R² stops improving.</param>
    /// <param name="validationFraction">The held-out share for early stopping, in (0, 1).</param>
    /// <param name="nIterNoChange">How many epochs without improvement stop the fit (≥ 1).</param>
    /// <param name="warmStart">Start <c>Fit</c> from the previous fit's weights.</param>
    /// <param name="average">0: no averaging; 1: predict with the average of the weights over all updates; n &gt; 1: average from update n on.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public SgdRegressor(SgdRegressorLoss loss = SgdRegressorLoss.SquaredError, Penalty penalty = Penalty.L2, double alpha = 1e-4,
        double l1Ratio = 0.15, bool fitIntercept = true, int maxIter = 1000, double? tol = 1e-3, bool shuffle = true,
        double epsilon = 0.1, ulong randomState = 0, SgdLearningRate learningRate = SgdLearningRate.InvScaling, double eta0 = 0.01,
        double powerT = 0.25, bool earlyStopping = false, double validationFraction = 0.1, int nIterNoChange = 5,
        bool warmStart = false, int average = 0)
    {
        if (!Enum.IsDefined(loss))
            throw new ArgumentOutOfRangeException(nameof(loss), $"SgdRegressor: loss must be SquaredError, Huber, EpsilonInsensitive or SquaredEpsilonInsensitive, got {loss}");
        Loss = loss;
        Epsilon = Hyperparameters.NonNegative(epsilon, "SgdRegressor: epsilon", nameof(epsilon));
        WarmStart = warmStart;
        Settings = new SgdSettings(penalty, alpha, l1Ratio, fitIntercept, maxIter, tol, shuffle, randomState, learningRate, eta0,
            powerT, earlyStopping, validationFraction, nIterNoChange, average).Checked(nameof(SgdRegressor));
    }

    /// <summary>The loss.</summary>
    public SgdRegressorLoss Loss { get; }

    /// <summary>Huber's threshold, or the half width of the ε-insensitive band.</summary>
    public double Epsilon { get; }

    /// <summary>Whether <c>Fit</c> starts from the previous fit's weights.</summary>
    public bool WarmStart { get; }

    /// <summary>The settings this estimator shares with the other SGD estimator: penalty, schedule, stopping, averaging.</summary>
    public SgdSettings Settings { get; }

    /// <summary>The weights (scikit-learn's <c>coef_</c>): Float64 (F); the averaged weights when averaging has started.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public Tensor Coef => Fitted(nameof(Coef), () => Tensor.FromArray(_coef));

    /// <summary>The intercept (scikit-learn's <c>intercept_</c>): Float64 (1).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public Tensor Intercept => Fitted(nameof(Intercept), () => Tensor.FromArray(_intercept));

    /// <summary>The epochs the last <c>Fit</c> (or 1 for <see cref="PartialFit"/>) ran (scikit-learn's <c>n_iter_</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public int NIter => Fitted(nameof(NIter), () => _iterations);

    /// <summary>The number of weight updates made plus one (scikit-learn's <c>t_</c>), counted over all samples of each epoch.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public double TUpdates => Fitted(nameof(TUpdates), () => _t);

    /// <summary>The mean training loss of each epoch of the last fit (empty with early stopping, which scores the held-out samples instead).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public IReadOnlyList<double> LossCurve => Fitted(nameof(LossCurve), () => _lossCurve);

    /// <summary>The held-out R² after each epoch of the last fit, with early stopping (empty otherwise).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public IReadOnlyList<double> ValidationScores => Fitted(nameof(ValidationScores), () => _validationScores);

    /// <summary>One epoch over <paramref name="x"/> and <paramref name="y"/>, continuing from the weights and schedule so far (scikit-learn's <c>partial_fit</c>).</summary>
    /// <returns>This estimator.</returns>
    /// <exception cref="InvalidOperationException">Early stopping is on: it needs a whole fit.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than before, or y another length or more than one target.</exception>
    /// <exception cref="ArgumentException">As for <c>Fit</c>.</exception>
    public SgdRegressor PartialFit(FeatureMatrix x, RegressionTargets y)
    {
        if (Settings.EarlyStopping)
            throw new InvalidOperationException("SgdRegressor.PartialFit: early stopping needs a whole fit; create the estimator with earlyStopping: false to fit in parts.");
        return Learn(x, y, nameof(PartialFit), (design, targets) =>
        {
            _parameters ??= new SgdParameters(1, design.Columns, Settings.Average > 0);
            Train(design, OneTarget(targets, nameof(PartialFit)), maxIter: 1);
        });
    }

    /// <summary>
    /// The fitted state: settings "loss", "epsilon", the shared SGD settings (<see cref="SgdSettings"/>) and
    /// "warm_start"; tensors "coef" (F) and "intercept" (1); fitted "n_iter" and "t". The loss curve and
    /// validation scores are not kept.
    /// </summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    internal EstimatorState ExportState()
    {
        var settings = Settings.ToJson(new JsonObject { ["loss"] = StateSection.Node(Loss), ["epsilon"] = Epsilon });
        settings["warm_start"] = WarmStart;
        var fitted = FittedState();
        fitted["n_iter"] = _iterations;
        fitted["t"] = _t;
        return new EstimatorState(KindName, settings.ToJsonString(), fitted.ToJsonString(),
            new Dictionary<string, Tensor> { ["coef"] = Coef, ["intercept"] = Intercept }, null);
    }

    /// <summary>The fitted estimator a saved state describes; the settings are checked as the constructor checks them. A warm start continues from the saved weights.</summary>
    /// <exception cref="InvalidDataException">A setting, fitted value or tensor is missing, malformed or out of range.</exception>
    internal static SgdRegressor FromState(StateReader state)
    {
        var s = state.Settings;
        var model = StateReader.Build(() =>
        {
            var g = SgdSettings.Read(s);
            return new SgdRegressor(s.Choice<SgdRegressorLoss>("loss"), g.Penalty, g.Alpha, g.L1Ratio, g.FitIntercept, g.MaxIter, g.Tol, g.Shuffle,
                s.Number("epsilon"), g.RandomState, g.LearningRate, g.Eta0, g.PowerT, g.EarlyStopping, g.ValidationFraction, g.NIterNoChange,
                s.Flag("warm_start"), g.Average);
        });
        var (features, targets, _) = model.RestoreFitted(state);
        if (targets != 1) throw new InvalidDataException($"its fitted values say {targets} targets; an SGD regressor fits one");
        model._coef = state.Values("coef", features);
        model._intercept = state.Values("intercept", 1);
        model._iterations = state.Fitted.Integer("n_iter", 0);
        model._t = state.Fitted.Number("t", 1);
        model._parameters = SgdParameters.Restored(model._coef, model._intercept, features, model.Settings.Average > 0);
        return model;
    }

    private protected override void FitCore(DesignMatrix x, TargetMatrix y)
    {
        var targets = OneTarget(y, "Fit");
        _parameters = SgdParameters.Start(_parameters, WarmStart, 1, x.Columns, Settings.Average > 0);
        _t = 1;
        Train(x, targets, Settings.MaxIter);
    }

    private protected override double[] PredictCore(DesignMatrix x) => x.LinearScores(_coef, _intercept);

    private void Train(DesignMatrix x, double[] y, int maxIter)
    {
        var validation = new bool[x.Rows];
        Func<double[], double, double>? score = null;
        if (Settings.EarlyStopping)
        {
            foreach (int i in TrainTestSplit.Create(x.Rows, testSize: Settings.ValidationFraction, randomState: Settings.RandomState).Test) validation[i] = true;
            var held = Enumerable.Range(0, x.Rows).Where(i => validation[i]).ToArray();
            var heldX = x.SelectRows(held);
            var heldY = Array.ConvertAll(held, i => y[i]);
            score = (coef, intercept) => RegressionMetrics.R2(heldY, heldX.LinearScores(coef, [intercept]));
        }
        var solver = new SgdSolver(Settings, SgdLoss.For(Loss, Epsilon));
        var outcome = solver.Run(x, y, validation, _parameters!, 0, _t, 1, 1, maxIter, Settings.Shuffle ? new Generator(Settings.RandomState) : null, score);
        _iterations = outcome.Epochs;
        _t += (double)outcome.Epochs * x.Rows;
        (_lossCurve, _validationScores) = (outcome.LossCurve, outcome.ValidationScores);
        (_coef, _intercept) = _parameters!.Effective(Settings.Average, _t);
    }

    private static double[] OneTarget(TargetMatrix y, string member) => y.Columns == 1
        ? y.Values
        : throw new ShapeMismatchException($"SgdRegressor.{member}: y must hold one target a sample, got {y.Columns} columns.");

    private T Fitted<T>(string member, Func<T> value)
    {
        RequireFitted(member);
        return value();
    }
}
