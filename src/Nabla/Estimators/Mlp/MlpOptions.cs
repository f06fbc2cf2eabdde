using System.Globalization;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Estimators;

/// <summary>
/// The settings of <see cref="MlpRegressor"/> and <see cref="MlpClassifier"/>, checked when the
/// estimator is created: scikit-learn 1.2's <c>MLPRegressor</c>/<c>MLPClassifier</c> parameters,
/// named in PascalCase with the same defaults and meaning, and a few of Nabla's own (dropout,
/// batch normalisation, early stopping on the validation loss, Float32, progress and callbacks).
/// </summary>
public sealed class MlpOptions
{
    internal MlpOptions(string who, int[]? hiddenLayerSizes, Activation activation, Solver solver, double alpha, int? batchSize,
        MlpLearningRate learningRate, double learningRateInit, double powerT, int maxIter, bool shuffle, ulong randomState, double tol,
        int verbose, bool warmStart, double momentum, bool nesterovsMomentum, bool earlyStopping, double validationFraction,
        double beta1, double beta2, double epsilon, int nIterNoChange, int maxFun, double dropout, bool batchNorm,
        MlpValidationMetric earlyStoppingMetric, DType dtype, TextWriter? verboseOutput, IProgress<MlpEpoch>? progress, IMlpCallback? callback)
    {
        hiddenLayerSizes ??= [100];
        int bad = Array.FindIndex(hiddenLayerSizes, size => size <= 0);
        if (bad >= 0)
            throw new ArgumentOutOfRangeException(nameof(hiddenLayerSizes), $"{who}: hidden layer sizes must be positive, got {hiddenLayerSizes[bad]} for layer {bad} in [{string.Join(", ", hiddenLayerSizes)}]");
        HiddenLayerSizes = [.. hiddenLayerSizes];
        Activation = Defined(activation, who, nameof(activation));
        Solver = Defined(solver, who, nameof(solver));
        Alpha = Hyperparameters.NonNegative(alpha, $"{who}: alpha", nameof(alpha));
        if (batchSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"{who}: batch size must be at least 1 (or null for min(200, samples)), got {batchSize}");
        BatchSize = batchSize;
        LearningRate = Defined(learningRate, who, nameof(learningRate));
        LearningRateInit = Hyperparameters.Positive(learningRateInit, $"{who}: initial learning rate", nameof(learningRateInit));
        PowerT = Hyperparameters.NonNegative(powerT, $"{who}: power_t", nameof(powerT));
        MaxIter = Hyperparameters.AtLeastOne(maxIter, $"{who}: max iterations", nameof(maxIter));
        Shuffle = shuffle;
        RandomState = randomState;
        Tol = Hyperparameters.NonNegative(tol, $"{who}: tol", nameof(tol));
        Verbose = verbose >= 0 ? verbose
            : throw new ArgumentOutOfRangeException(nameof(verbose), $"{who}: verbose must be 0 (silent) or more (print progress), got {verbose}");
        WarmStart = warmStart;
        Momentum = Hyperparameters.Fraction(momentum, $"{who}: momentum", nameof(momentum));
        NesterovsMomentum = nesterovsMomentum;
        EarlyStopping = earlyStopping;
        ValidationFraction = Hyperparameters.InUnitInterval(validationFraction, $"{who}: validation fraction", nameof(validationFraction));
        if (earlyStopping && validationFraction == 0)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), $"{who}: early stopping needs a validation fraction in (0, 1), got 0");
        Beta1 = Hyperparameters.InUnitInterval(beta1, $"{who}: beta1", nameof(beta1));
        Beta2 = Hyperparameters.InUnitInterval(beta2, $"{who}: beta2", nameof(beta2));
        Epsilon = Hyperparameters.Positive(epsilon, $"{who}: epsilon", nameof(epsilon));
        NIterNoChange = Hyperparameters.AtLeastOne(nIterNoChange, $"{who}: n_iter_no_change", nameof(nIterNoChange));
        MaxFun = Hyperparameters.AtLeastOne(maxFun, $"{who}: max function evaluations", nameof(maxFun));
        Dropout = Hyperparameters.InUnitInterval(dropout, $"{who}: dropout", nameof(dropout));
        BatchNorm = batchNorm;
        EarlyStoppingMetric = Defined(earlyStoppingMetric, who, nameof(earlyStoppingMetric));
        if (dtype == DType.Int32)
            throw new ArgumentException($"{who}: the weights must be Float64 or Float32, got Int32.", nameof(dtype));
        DType = dtype;
        VerboseOutput = verboseOutput;
        Progress = progress;
        Callback = callback;
    }

    /// <summary>The number of units of each hidden layer, input side first (default [100]); empty gives a linear model.</summary>
    public IReadOnlyList<int> HiddenLayerSizes { get; }

    /// <summary>The activation of the hidden layers (default <see cref="NN.Activation.Relu"/>; scikit-learn's "logistic" is <see cref="NN.Activation.Sigmoid"/>).</summary>
    public Activation Activation { get; }

    /// <summary>The optimiser (default <see cref="Solver.Adam"/>).</summary>
    public Solver Solver { get; }

    /// <summary>The L2 penalty strength (≥ 0, default 1e-4): α/(2·n)·Σ‖W‖² is added to the mean loss of n samples; intercepts are not penalised.</summary>
    public double Alpha { get; }

    /// <summary>The mini-batch size of SGD and Adam (≥ 1); null (the default) means min(200, samples). Larger than the sample count is clipped to it.</summary>
    public int? BatchSize { get; }

    /// <summary>The learning-rate schedule of the SGD solver (default <see cref="MlpLearningRate.Constant"/>).</summary>
    public MlpLearningRate LearningRate { get; }

    /// <summary>The initial learning rate of SGD and Adam (&gt; 0, default 1e-3).</summary>
    public double LearningRateInit { get; }

    /// <summary>The exponent of the inverse-scaling schedule (≥ 0, default 0.5).</summary>
    public double PowerT { get; }

    /// <summary>The most epochs (SGD, Adam) or iterations (L-BFGS) of one fit (≥ 1, default 200).</summary>
    public int MaxIter { get; }

    /// <summary>Whether SGD and Adam shuffle the samples before each epoch (default true).</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the initial weights, the shuffles and the validation split (default 0); the same seed gives the same model.</summary>
    public ulong RandomState { get; }

    /// <summary>
    /// The improvement tolerance (≥ 0, default 1e-4): an epoch whose loss does not fall by more than
    /// this (or whose validation score does not rise by at least this) counts towards
    /// <see cref="NIterNoChange"/>; L-BFGS stops when the largest gradient component is at most this.
    /// </summary>
    public double Tol { get; }

    /// <summary>
    /// scikit-learn's verbosity (≥ 0, default 0): 0 prints nothing; any higher level prints
    /// "Iteration N, loss = …" after each epoch and the stopping and divergence messages, as
    /// scikit-learn's MLP does for every level (it has no more detailed one).
    /// </summary>
    public int Verbose { get; }

    /// <summary>Whether <c>Fit</c> continues from the weights of the previous fit (and its loss curve and counters) instead of starting afresh.</summary>
    public bool WarmStart { get; }

    /// <summary>The SGD momentum (in [0, 1], default 0.9): v ← momentum·v − η·g, W ← W + v.</summary>
    public double Momentum { get; }

    /// <summary>Whether SGD uses Nesterov's momentum, W ← W + momentum·v − η·g (default true).</summary>
    public bool NesterovsMomentum { get; }

    /// <summary>
    /// Whether SGD and Adam hold out <see cref="ValidationFraction"/> of the samples (stratified for
    /// a classifier) and stop when the validation metric has not improved by <see cref="Tol"/> for
    /// more than <see cref="NIterNoChange"/> epochs, keeping the best weights (default false).
    /// </summary>
    public bool EarlyStopping { get; }

    /// <summary>The share of samples held out for early stopping (in [0, 1), default 0.1).</summary>
    public double ValidationFraction { get; }

    /// <summary>Adam's decay of the first-moment estimate (in [0, 1), default 0.9).</summary>
    public double Beta1 { get; }

    /// <summary>Adam's decay of the second-moment estimate (in [0, 1), default 0.999).</summary>
    public double Beta2 { get; }

    /// <summary>Adam's ε (&gt; 0, default 1e-8), added to √v.</summary>
    public double Epsilon { get; }

    /// <summary>How many epochs without improvement are tolerated before stopping or, with the adaptive schedule, dividing the learning rate by 5 (≥ 1, default 10).</summary>
    public int NIterNoChange { get; }

    /// <summary>The most loss evaluations of L-BFGS (≥ 1, default 15000).</summary>
    public int MaxFun { get; }

    /// <summary>Nabla's own: the dropout probability after each hidden activation during training (in [0, 1), default 0: none).</summary>
    public double Dropout { get; }

    /// <summary>Nabla's own: whether each hidden layer normalises its pre-activations over the batch (<see cref="NN.BatchNorm1d"/>) (default false).</summary>
    public bool BatchNorm { get; }

    /// <summary>Nabla's own: what early stopping watches (default <see cref="MlpValidationMetric.Score"/>, as scikit-learn).</summary>
    public MlpValidationMetric EarlyStoppingMetric { get; }

    /// <summary>Nabla's own: the type of the weights and of the computation, Float64 (the default, as scikit-learn) or Float32 (faster).</summary>
    public DType DType { get; }

    /// <summary>Where verbose output goes; null (the default) means <see cref="Console.Out"/>.</summary>
    public TextWriter? VerboseOutput { get; }

    /// <summary>Receives an <see cref="MlpEpoch"/> after every epoch of SGD or Adam, for a progress bar or a log (default null).</summary>
    public IProgress<MlpEpoch>? Progress { get; }

    /// <summary>Called after every epoch of SGD or Adam, and may stop training (default null).</summary>
    public IMlpCallback? Callback { get; }

    /// <summary>
    /// The settings that decide what a fit learns, by the name of their constructor argument, as invariant text (numbers
    /// in their round-trip form, a null batch size as "auto", the hidden sizes as <c>64,32</c>): what a run log records.
    /// Those that only show progress (verbose, its output, the progress reporter, the callback) are left out.
    /// </summary>
    internal Dictionary<string, string> Settings() => new(StringComparer.Ordinal)
    {
        ["hiddenLayerSizes"] = string.Join(',', HiddenLayerSizes.Select(Text)),
        ["activation"] = Activation.ToString(),
        ["solver"] = Solver.ToString(),
        ["alpha"] = Text(Alpha),
        ["batchSize"] = BatchSize is { } size ? Text(size) : "auto",
        ["learningRate"] = LearningRate.ToString(),
        ["learningRateInit"] = Text(LearningRateInit),
        ["powerT"] = Text(PowerT),
        ["maxIter"] = Text(MaxIter),
        ["shuffle"] = Text(Shuffle),
        ["randomState"] = RandomState.ToString(CultureInfo.InvariantCulture),
        ["tol"] = Text(Tol),
        ["warmStart"] = Text(WarmStart),
        ["momentum"] = Text(Momentum),
        ["nesterovsMomentum"] = Text(NesterovsMomentum),
        ["earlyStopping"] = Text(EarlyStopping),
        ["validationFraction"] = Text(ValidationFraction),
        ["beta1"] = Text(Beta1),
        ["beta2"] = Text(Beta2),
        ["epsilon"] = Text(Epsilon),
        ["nIterNoChange"] = Text(NIterNoChange),
        ["maxFun"] = Text(MaxFun),
        ["dropout"] = Text(Dropout),
        ["batchNorm"] = Text(BatchNorm),
        ["earlyStoppingMetric"] = EarlyStoppingMetric.ToString(),
        ["dtype"] = DType.ToString(),
    };

    private static string Text(double value) => Hyperparameters.Format(value);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(bool value) => value ? "true" : "false";

    private static T Defined<T>(T value, string who, string name) where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(name, $"{who}: {name} must be one of {string.Join(", ", Enum.GetNames<T>())}, got {value}");
}
