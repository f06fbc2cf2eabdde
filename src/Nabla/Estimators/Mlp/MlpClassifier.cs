using Nabla.Data;
using Nabla.NN;

namespace Nabla.Estimators;

/// <summary>
/// A multi-layer perceptron classifier, as scikit-learn 1.2's <c>MLPClassifier</c>: fully connected
/// hidden layers, a logistic output for two classes or a softmax for more, trained on the log-loss
/// with an L2 penalty by Adam, SGD or L-BFGS. Same parameters, defaults, initialisation, updates and
/// stopping rules (early stopping holds out a stratified validation set for two classes, as
/// scikit-learn); trained as any <see cref="NN"/> model is, by a <see cref="Training.Trainer"/> with the
/// shared optimizers in scikit-learn's forms (see <see cref="MlpRegressor"/>), with a few extras (class weights, dropout, batch
/// normalisation, early stopping on the validation loss, Float32, a progress reporter and callbacks).
/// </summary>
/// <remarks>
/// <para>
/// The settings are described on <see cref="MlpOptions"/> (each constructor argument is the
/// property of the same name), and <c>classWeight</c> weighs each sample of class k by
/// N / (K · Nₖ) in the loss when <see cref="ClassWeight.Balanced"/>. Labels are any ordered type,
/// as for every <see cref="Classifier{TSelf}"/>. Given the same initial weights
/// (<see cref="SetInitialWeights"/>) and <c>shuffle: false</c>, SGD and Adam take the same steps
/// as scikit-learn's to rounding; see <see cref="MlpRegressor"/> for what differs.
/// </para>
/// <code>
/// var model = new MlpClassifier(hiddenLayerSizes: [64], randomState: 1).Fit(images, digits);
/// int[] predicted = model.Predict(images);
/// Tensor probabilities = model.PredictProba(images);
/// </code>
/// </remarks>
public sealed class MlpClassifier : Classifier<MlpClassifier>
{
    private readonly MlpTraining _training;

    /// <summary>Creates the estimator; every setting is checked here and described on <see cref="MlpOptions"/>, except <c>classWeight</c> (see <see cref="ClassWeight"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    /// <exception cref="ArgumentException">The type is Int32.</exception>
    public MlpClassifier(int[]? hiddenLayerSizes = null, Activation activation = Activation.Relu, Solver solver = Solver.Adam,
        double alpha = 1e-4, int? batchSize = null, MlpLearningRate learningRate = MlpLearningRate.Constant, double learningRateInit = 1e-3,
        double powerT = 0.5, int maxIter = 200, bool shuffle = true, ulong randomState = 0, double tol = 1e-4, int verbose = 0,
        bool warmStart = false, double momentum = 0.9, bool nesterovsMomentum = true, bool earlyStopping = false,
        double validationFraction = 0.1, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, int nIterNoChange = 10,
        int maxFun = 15000, double dropout = 0, bool batchNorm = false, MlpValidationMetric earlyStoppingMetric = MlpValidationMetric.Score,
        DType dtype = DType.Float64, TextWriter? verboseOutput = null, IProgress<MlpEpoch>? progress = null, IMlpCallback? callback = null,
        ClassWeight classWeight = ClassWeight.None)
    {
        Options = new MlpOptions(nameof(MlpClassifier), hiddenLayerSizes, activation, solver, alpha, batchSize, learningRate, learningRateInit,
            powerT, maxIter, shuffle, randomState, tol, verbose, warmStart, momentum, nesterovsMomentum, earlyStopping, validationFraction,
            beta1, beta2, epsilon, nIterNoChange, maxFun, dropout, batchNorm, earlyStoppingMetric, dtype, verboseOutput, progress, callback);
        if (!Enum.IsDefined(classWeight))
            throw new ArgumentOutOfRangeException(nameof(classWeight), $"MlpClassifier: class weight must be None or Balanced, got {classWeight}");
        ClassWeight = classWeight;
        var settings = Options.Settings();
        settings["classWeight"] = classWeight.ToString();
        _training = new MlpTraining(Options, $"{nameof(MlpClassifier)}.{nameof(Fit)}", new MlpFitStart(nameof(MlpClassifier), IsClassifier: true, settings, Incremental: false));
    }

    /// <summary>How samples are weighted by class in the loss.</summary>
    public ClassWeight ClassWeight { get; }

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

    /// <summary>The validation accuracy after each epoch (scikit-learn's <c>validation_scores_</c>); null without early stopping.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public IReadOnlyList<double>? ValidationScores => Fitted(nameof(ValidationScores)).ValidationScores?.ToArray();

    /// <summary>The validation loss after each epoch; null without early stopping.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public IReadOnlyList<double>? ValidationLosses => Fitted(nameof(ValidationLosses)).ValidationLosses?.ToArray();

    /// <summary>The best validation accuracy (scikit-learn's <c>best_validation_score_</c>); null without early stopping.</summary>
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

    /// <summary>The number of outputs (scikit-learn's <c>n_outputs_</c>): 1 for two classes, K for K &gt; 2.</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public int NOutputs => Fitted(nameof(NOutputs)).Network!.Outputs;

    /// <summary>The output activation: <see cref="MlpOutputActivation.Logistic"/> for two classes, <see cref="MlpOutputActivation.Softmax"/> for more (scikit-learn's <c>out_activation_</c>).</summary>
    /// <exception cref="InvalidOperationException">The estimator is not fitted yet.</exception>
    public MlpOutputActivation OutActivation => Fitted(nameof(OutActivation)).Output;

    /// <summary>
    /// Makes the next fit that starts afresh begin from these weights instead of random ones, in
    /// scikit-learn's layout: <paramref name="coefs"/>[i] of shape (inputs, outputs) and
    /// <paramref name="intercepts"/>[i] of shape (outputs), one pair a layer. The shapes are checked when fitting.
    /// </summary>
    /// <returns>This estimator, for chaining.</returns>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public MlpClassifier SetInitialWeights(IReadOnlyList<Tensor> coefs, IReadOnlyList<Tensor> intercepts)
    {
        _training.SetInitialWeights(coefs, intercepts);
        return this;
    }

    /// <summary>
    /// One epoch of SGD or Adam over <paramref name="x"/> and <paramref name="y"/>, continuing from the
    /// weights, the solver's state (moments, velocities, learning rate) and the counters so far, as
    /// scikit-learn's <c>partial_fit</c>. The first call must name every class the data will ever
    /// hold in <paramref name="classes"/> (they fix the outputs); later calls may omit them, or must
    /// give the same ones.
    /// </summary>
    /// <returns>This estimator.</returns>
    /// <exception cref="InvalidOperationException">The solver is L-BFGS, early stopping is on, or the class weight is Balanced: each needs a whole fit.</exception>
    /// <exception cref="ArgumentException">The first call has no classes, later classes differ, a label is not a class, or as for <c>Fit</c>.</exception>
    /// <exception cref="ShapeMismatchException">X has another number of features than before, or y another length.</exception>
    public MlpClassifier PartialFit<TLabel>(FeatureMatrix x, TLabel[] y, TLabel[]? classes = null) where TLabel : notnull
    {
        string who = $"{nameof(MlpClassifier)}.{nameof(PartialFit)}";
        _training.RequireIncremental(who);
        if (ClassWeight == ClassWeight.Balanced)
            throw new InvalidOperationException($"{who}: balanced class weights need the whole data's class counts; use ClassWeight.None to fit in parts.");
        return PartialLearn(x, y, classes, (design, indices, classCount) => Train(design, indices, classCount, incremental: true));
    }

    private protected override void FitCore(DesignMatrix x, int[] classIndices, int classCount) => Train(x, classIndices, classCount, incremental: false);

    private void Train(DesignMatrix x, int[] classIndices, int classCount, bool incremental) =>
        _training.Fit(x, MlpTargets.Classification(classIndices, classCount, ClassWeight == ClassWeight.Balanced ? BalancedWeights(classIndices, classCount) : null, Options.DType), incremental);

    private protected override int[] PredictIndicesCore(DesignMatrix x)
    {
        var probabilities = _training.Predict(x);
        int outputs = _training.Network!.Outputs;
        var predicted = new int[x.Rows];
        for (int i = 0; i < x.Rows; i++)
            predicted[i] = outputs == 1 ? (probabilities[i] > 0.5 ? 1 : 0) : System.Numerics.Tensors.TensorPrimitives.IndexOfMax<double>(probabilities.AsSpan(i * outputs, outputs));
        return predicted;
    }

    private protected override double[] ProbaCore(DesignMatrix x, bool logarithm)
    {
        var probabilities = _training.Predict(x);
        if (_training.Network!.Outputs == 1)
        {
            // The logistic unit gives P(second class); the first is its complement.
            var pairs = new double[2 * x.Rows];
            for (int i = 0; i < x.Rows; i++) (pairs[2 * i], pairs[2 * i + 1]) = (1 - probabilities[i], probabilities[i]);
            probabilities = pairs;
        }
        if (logarithm)
            for (int k = 0; k < probabilities.Length; k++) probabilities[k] = Math.Log(probabilities[k]);
        return probabilities;
    }

    // scikit-learn's compute_class_weight("balanced"): N / (K · Nₖ) for class k.
    private static double[] BalancedWeights(int[] classIndices, int classCount)
    {
        var counts = new int[classCount];
        foreach (int k in classIndices) counts[k]++;
        return Array.ConvertAll(counts, count => (double)classIndices.Length / (classCount * count));
    }

    /// <summary>Makes this estimator fitted with saved weights (loading a model file, <see cref="MlpState"/>); the classes are restored before.</summary>
    internal void RestoreWeights(IReadOnlyList<Tensor> coefs, IReadOnlyList<Tensor> intercepts) =>
        _training.Restore(NFeaturesIn, intercepts[^1].Shape[0], intercepts[^1].Shape[0] == 1 ? MlpOutputActivation.Logistic : MlpOutputActivation.Softmax, coefs, intercepts);

    private MlpTraining Fitted(string member)
    {
        RequireFitted(member);
        return _training;
    }
}
