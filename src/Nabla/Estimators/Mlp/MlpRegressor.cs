using Nabla.Data;
using Nabla.NN;

namespace Nabla.Estimators;

/// <summary>
/// A multi-layer perceptron regressor, as scikit-learn 1.2's <c>MLPRegressor</c>: fully connected
/// hidden layers, an identity output, trained on the squared loss / 2 with an L2 penalty by Adam,
/// SGD or L-BFGS. Same parameters, defaults, initialisation, updates and stopping rules; trained as
/// any <see cref="NN"/> model is, by a <see cref="Training.Trainer"/>, with a few extras (dropout, batch normalisation, early stopping on the
/// validation loss, Float32, a progress reporter and callbacks).
/// </summary>
/// <remarks>
/// <para>
/// The settings are described on <see cref="MlpOptions"/> (each constructor argument is the
/// property of the same name). Given the same initial weights (<see cref="SetInitialWeights"/>)
/// and <c>shuffle: false</c>, SGD and Adam take the same steps as scikit-learn's to rounding; the
/// random initial weights, shuffles and validation splits come from Nabla's generator, so they
/// follow scikit-learn's distributions but not NumPy's numbers. scikit-learn's updates are options of
/// the shared pieces: <see cref="Optim.Adam"/> with <see cref="Optim.AdamEpsilonPlacement.RawMoment"/>,
/// <see cref="Optim.Sgd"/> with <see cref="Optim.SgdMomentumForm.Velocity"/>,
/// <see cref="Optim.Schedulers.InverseScalingLR"/> for <see cref="MlpLearningRate.InvScaling"/>, and
/// <see cref="Losses.L2Penalized"/> per sample over <see cref="Losses.MseLoss"/>'s half-per-sample form or the log-losses. L-BFGS is Nabla's
/// (<see cref="Optim.Lbfgs"/> with a strong Wolfe line search) rather than scipy's Fortran
/// L-BFGS-B: it reaches the same minima by a slightly different path.
/// </para>
/// <code>
/// var model = new MlpRegressor(hiddenLayerSizes: [10, 10], maxIter: 1000, solver: Solver.Sgd, randomState: 1).Fit(X, y);
/// Tensor predicted = model.Predict(X);
/// double r2 = model.Score(X, y);
/// </code>
/// </remarks>
public sealed class MlpRegressor : Regressor<MlpRegressor>
{
    private readonly MlpTraining _training;

    /// <summary>Creates the estimator; every setting is checked here and described on <see cref="MlpOptions"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    /// <exception cref="ArgumentException">The type is Int32.</exception>
    public MlpRegressor(int[]? hiddenLayerSizes = null, Activation activation = Activation.Relu, Solver solver = Solver.Adam,
        double alpha = 1e-4, int? batchSize = null, MlpLearningRate learningRate = MlpLearningRate.Constant, double learningRateInit = 1e-3,
        double powerT = 0.5, int maxIter = 200, bool shuffle = true, ulong randomState = 0, double tol = 1e-4, int verbose = 0,
        bool warmStart = false, double momentum = 0.9, bool nesterovsMomentum = true, bool earlyStopping = false,
        double validationFraction = 0.1, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, int nIterNoChange = 10,
        int maxFun = 15000, double dropout = 0, bool batchNorm = false, MlpValidationMetric earlyStoppingMetric = MlpValidationMetric.Score,
        DType dtype = DType.Float64, TextWriter? verboseOutput = null, IProgress<MlpEpoch>? progress = null, IMlpCallback? callback = null)
    {
        Options = new MlpOptions(nameof(MlpRegressor), hiddenLayerSizes, activation, solver, alpha, batchSize, learningRate, learningRateInit,
            powerT, maxIter, shuffle, randomState, tol, verbose, warmStart, momentum, nesterovsMomentum, earlyStopping, validationFraction,
            beta1, beta2, epsilon, nIterNoChange, maxFun, dropout, batchNorm, earlyStoppingMetric, dtype, verboseOutput, progress, callback);
        _training = new MlpTraining(Options, $"{nameof(MlpRegressor)}.{nameof(Fit)}",
            new MlpFitStart(nameof(MlpRegressor), IsClassifier: false, Options.Settings(), Incremental: false));
    }

    /// <summary>The settings.</summary>
    public MlpOptions Options { get; }

    /// <summary>The weights of each layer, input side first (scikit-learn's <c>coefs_</c>): Float64 (inputs, outputs) each.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public IReadOnlyList<Tensor> Coefs => MlpAttributes.Coefs(Fitted(nameof(Coefs)));

    /// <summary>The bias of each layer (scikit-learn's <c>intercepts_</c>): Float64 (outputs) each.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public IReadOnlyList<Tensor> Intercepts => MlpAttributes.Intercepts(Fitted(nameof(Intercepts)));

    /// <summary>The mean training loss of each epoch, penalty included (scikit-learn's <c>loss_curve_</c>); empty for L-BFGS.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public IReadOnlyList<double> LossCurve => [.. Fitted(nameof(LossCurve)).LossCurve];

    /// <summary>The loss at the end of the fit (scikit-learn's <c>loss_</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public double Loss => Fitted(nameof(Loss)).Loss;

    /// <summary>The lowest epoch loss (scikit-learn's <c>best_loss_</c>); null for L-BFGS and with early stopping.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public double? BestLoss => Fitted(nameof(BestLoss)).BestLoss;

    /// <summary>The validation R² after each epoch (scikit-learn's <c>validation_scores_</c>); null without early stopping.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public IReadOnlyList<double>? ValidationScores => Fitted(nameof(ValidationScores)).ValidationScores?.ToArray();

    /// <summary>The validation loss after each epoch; null without early stopping.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public IReadOnlyList<double>? ValidationLosses => Fitted(nameof(ValidationLosses)).ValidationLosses?.ToArray();

    /// <summary>The best validation R² (scikit-learn's <c>best_validation_score_</c>); null without early stopping.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public double? BestValidationScore => Fitted(nameof(BestValidationScore)).BestValidationScore;

    /// <summary>Epochs run, counted over warm starts, or L-BFGS iterations (scikit-learn's <c>n_iter_</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public int NIter => Fitted(nameof(NIter)).NIter;

    /// <summary>Samples trained on, counted over warm starts (scikit-learn's <c>t_</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public long TUpdates => Fitted(nameof(TUpdates)).TUpdates;

    /// <summary>
    /// Whether the last fit stopped because its loss diverged (grew over 10,000 times the loss of its
    /// first batch): the features likely need scaling, or the learning rate is too high;
    /// <see cref="ConvergenceWarning"/> says so.
    /// </summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public bool Diverged => Fitted(nameof(Diverged)).Diverged;

    /// <summary>
    /// Why the last fit did not converge, as scikit-learn's <c>ConvergenceWarning</c>: the loss
    /// diverged (also printed when <see cref="MlpOptions.Verbose"/>), or a whole stochastic fit used every
    /// epoch without meeting its stopping rule; null when it converged, and for L-BFGS.
    /// </summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public string? ConvergenceWarning => Fitted(nameof(ConvergenceWarning)).ConvergenceWarning;

    /// <summary>The number of layers, input and output included (scikit-learn's <c>n_layers_</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public int NLayers => Fitted(nameof(NLayers)).Network!.LayerCount + 1;

    /// <summary>The number of outputs (scikit-learn's <c>n_outputs_</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public int NOutputs => Fitted(nameof(NOutputs)).Network!.Outputs;

    /// <summary>The output activation: always <see cref="MlpOutputActivation.Identity"/> (scikit-learn's <c>out_activation_</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public MlpOutputActivation OutActivation => Fitted(nameof(OutActivation)).Output;

    /// <summary>
    /// Makes the next fit that starts afresh begin from these weights instead of random ones, in
    /// scikit-learn's layout: <paramref name="coefs"/>[i] of shape (inputs, outputs) and
    /// <paramref name="intercepts"/>[i] of shape (outputs), one pair a layer. The shapes are checked when fitting.
    /// </summary>
    /// <returns>This estimator, for chaining.</returns>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public MlpRegressor SetInitialWeights(IReadOnlyList<Tensor> coefs, IReadOnlyList<Tensor> intercepts)
    {
        _training.SetInitialWeights(coefs, intercepts);
        return this;
    }

    /// <summary>
    /// One epoch of SGD or Adam over <paramref name="x"/> and <paramref name="y"/>, continuing from the
    /// weights, the solver's state (moments, velocities, learning rate) and the counters so far, as
    /// scikit-learn's <c>partial_fit</c>; the first call starts the network from random weights (or
    /// those of <see cref="SetInitialWeights"/>).
    /// </summary>
    /// <returns>This estimator.</returns>
    /// <exception cref="InvalidOperationException">The solver is L-BFGS, or early stopping is on: both need a whole fit.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than before, or y another number of samples or targets.</exception>
    /// <exception cref="ArgumentException">As for <c>Fit</c>.</exception>
    public MlpRegressor PartialFit(FeatureMatrix x, RegressionTargets y)
    {
        _training.RequireIncremental($"{nameof(MlpRegressor)}.{nameof(PartialFit)}");
        return Learn(x, y, nameof(PartialFit), (design, targets) => Train(design, targets, incremental: true));
    }

    private protected override void FitCore(DesignMatrix x, TargetMatrix y) => Train(x, y, incremental: false);

    private void Train(DesignMatrix x, TargetMatrix y, bool incremental) =>
        _training.Fit(x, MlpTargets.Regression(y.Values, x.Rows, y.Columns, Options.DType), incremental);

    private protected override double[] PredictCore(DesignMatrix x) => _training.Predict(x);

    /// <summary>Makes this estimator fitted with saved weights (loading a model file, <see cref="MlpState"/>); the feature and target counts are restored before.</summary>
    internal void RestoreWeights(IReadOnlyList<Tensor> coefs, IReadOnlyList<Tensor> intercepts) =>
        _training.Restore(NFeaturesIn, intercepts[^1].Shape[0], MlpOutputActivation.Identity, coefs, intercepts);

    private MlpTraining Fitted(string member)
    {
        RequireFitted(member);
        return _training;
    }
}
