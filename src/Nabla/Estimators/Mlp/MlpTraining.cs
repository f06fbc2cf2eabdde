using System.Globalization;
using System.Numerics.Tensors;
using Nabla.Data;
using Nabla.Losses;
using Nabla.Metrics;
using Nabla.Optim;
using Nabla.Optim.Schedulers;
using Nabla.Training;

namespace Nabla.Estimators;

/// <summary>
/// What <see cref="MlpRegressor"/> and <see cref="MlpClassifier"/> share: scikit-learn's
/// <c>BaseMultilayerPerceptron</c> on Nabla's training stack. The network is a <see cref="NN.Sequential"/>,
/// the objective the data loss plus <see cref="L2Penalized"/>'s per-sample penalty α/(2n)·Σ‖W‖², and
/// a <see cref="Trainer"/> runs the epochs with the shared optimizers in scikit-learn's forms (<see cref="Adam"/>
/// with ε on the raw moment, <see cref="Sgd"/> with a velocity, <see cref="Lbfgs"/>) and
/// <see cref="InverseScalingLR"/>; this class adds, as the trainer's epoch callback, scikit-learn's
/// stopping rules (<c>_update_no_improvement_count</c>, the adaptive rate, early stopping on held-out
/// samples), its counters and verbose lines, and keeps what a fit learned across warm starts and
/// fits in parts (<c>partial_fit</c>: one epoch a call, the optimizer's state kept). It also tells the callback when each
/// stochastic fit begins (with <paramref name="fitStart"/>) and how it ends.
/// </summary>
internal sealed class MlpTraining(MlpOptions options, string who, MlpFitStart fitStart) : ITrainingCallback
{
    // scipy's L-BFGS-B keeps 10 corrections.
    private const int LbfgsHistory = 10;

    // A change of the objective this small is rounding, not progress (64 machine epsilons).
    private const double LbfgsToleranceChange = 64 * 2.220446049250313e-16;

    // An epoch loss this many times the fit's first batch loss has diverged: training lowers the
    // loss, and four orders of magnitude above where it started is no noise of a mini-batch.
    private const double DivergenceFactor = 1e4;

    private (double[][] Coefs, double[][] Intercepts)? _initialWeights;
    private (int[][] Coefs, int[][] Intercepts) _initialShapes;
    private Array[]? _bestParameters;
    private Optimizer? _optimizer;
    private EpochContext? _epoch;
    private double _bestMetric;
    private int _noImprovement;
    private double _startLoss;

    /// <summary>What the epoch callback needs during one stochastic fit: the samples an epoch trains on, the held-out ones, the data loss and where verbose lines go.</summary>
    private sealed record EpochContext(int Rows, Tensor? ValidationInputs, MlpTargets? ValidationTargets, Loss DataLoss, TextWriter? Verbose);

    /// <summary>The network, once fitted.</summary>
    public MlpNetwork? Network { get; private set; }

    /// <summary>The output activation of the fitted network.</summary>
    public MlpOutputActivation Output { get; private set; }

    /// <summary>The mean training loss of each epoch (stochastic solvers).</summary>
    public List<double> LossCurve { get; } = [];

    /// <summary>The lowest training loss reached, when the stochastic solvers run without early stopping.</summary>
    public double? BestLoss { get; private set; }

    /// <summary>The loss at the end of the fit (scikit-learn's <c>loss_</c>).</summary>
    public double Loss { get; private set; }

    /// <summary>The validation score after each epoch, with early stopping.</summary>
    public List<double>? ValidationScores { get; private set; }

    /// <summary>The validation loss after each epoch, with early stopping.</summary>
    public List<double>? ValidationLosses { get; private set; }

    /// <summary>The best validation score, with early stopping.</summary>
    public double? BestValidationScore { get; private set; }

    /// <summary>Epochs (stochastic solvers, counted over warm starts) or L-BFGS iterations.</summary>
    public int NIter { get; private set; }

    /// <summary>Samples trained on, counted over warm starts (scikit-learn's <c>t_</c>).</summary>
    public long TUpdates { get; private set; }

    /// <summary>Whether the last fit stopped because its loss diverged.</summary>
    public bool Diverged { get; private set; }

    /// <summary>
    /// Why the last stochastic fit did not converge, as scikit-learn's <c>ConvergenceWarning</c>: its
    /// loss diverged, or it used every epoch of a whole fit without meeting the stopping rule; null otherwise.
    /// </summary>
    public string? ConvergenceWarning { get; private set; }

    /// <summary>Weights the next fresh fit starts from instead of random ones, in scikit-learn's layout.</summary>
    public void SetInitialWeights(IReadOnlyList<Tensor> coefs, IReadOnlyList<Tensor> intercepts)
    {
        ArgumentNullException.ThrowIfNull(coefs);
        ArgumentNullException.ThrowIfNull(intercepts);
        if (coefs.Count != intercepts.Count)
            throw new ArgumentException($"{who}: initial weights need one intercept vector a weight matrix, got {coefs.Count} weight matrices and {intercepts.Count} intercept vectors.", nameof(intercepts));
        _initialWeights = ([.. coefs.Select(c => c.ToDoubleArray())], [.. intercepts.Select(b => b.ToDoubleArray())]);
        _initialShapes = ([.. coefs.Select(c => c.ShapeArray)], [.. intercepts.Select(b => b.ShapeArray)]);
    }

    /// <summary>
    /// Builds the network with saved weights in scikit-learn's layout, as if a fit had just ended there
    /// (loading a model file); the loss curve and counters start empty, and a later fresh fit starts
    /// from random weights (or those of <see cref="SetInitialWeights"/>) as before.
    /// </summary>
    public void Restore(int features, int outputs, MlpOutputActivation output, IReadOnlyList<Tensor> coefs, IReadOnlyList<Tensor> intercepts)
    {
        var (weights, shapes) = (_initialWeights, _initialShapes);
        SetInitialWeights(coefs, intercepts);
        Initialize(features, outputs, output, new Generator(options.RandomState));
        (_initialWeights, _initialShapes) = (weights, shapes);
    }

    /// <summary>
    /// Fits on checked samples and their <paramref name="targets"/>. <paramref name="incremental"/> is
    /// scikit-learn's <c>partial_fit</c>: one epoch, continuing from the weights, the optimizer's state
    /// and the counters so far (the first call starts the network).
    /// </summary>
    /// <exception cref="ArgumentException">The data does not fit the network being continued, or training produced non-finite weights.</exception>
    public void Fit(DesignMatrix x, MlpTargets targets, bool incremental = false)
    {
        // L-BFGS runs no epochs: the callback hears of stochastic fits only.
        var callback = options.Solver == Solver.Lbfgs ? null : options.Callback;
        callback?.OnFitBegin(fitStart with { Incremental = incremental });
        string? stopReason = null;
        try
        {
            var generator = new Generator(options.RandomState);
            bool firstPass = Network is null || (!options.WarmStart && !incremental);
            if (firstPass) Initialize(x.Columns, targets.Outputs, targets.Activation, generator);
            else if (Network!.Inputs != x.Columns || Network.Outputs != targets.Outputs || Output != targets.Activation)
                throw new ArgumentException($"{who}: continuing from a network with {Network.Inputs} inputs and {Network.Outputs} outputs ({Output}), but the data has {x.Columns} features and needs {targets.Outputs} outputs ({targets.Activation}); fit with warmStart: false to start afresh.", "X");

            var inputs = Inputs(x, Network!.DType);
            Diverged = false;
            ConvergenceWarning = null;
            try
            {
                if (options.Solver == Solver.Lbfgs) FitLbfgs(inputs, targets);
                else stopReason = FitStochastic(inputs, targets, generator, incremental);
            }
            catch (TrainingDivergedException e)
            {
                throw NonFinite(e);
            }
            foreach (var p in Network.Parameters)
            {
                if (!AllFinite(p)) throw NonFinite(null);
            }
        }
        catch (Exception e) when (callback is not null)
        {
            callback.OnFitEnd(new MlpFitEnd(null, Diverged, e));
            throw;
        }
        callback?.OnFitEnd(new MlpFitEnd(stopReason, Diverged, null));
    }

    /// <summary>Whether every element of a parameter is finite: its largest magnitude is, and is NaN when any element is.</summary>
    private static bool AllFinite(Tensor p) => p.DType == DType.Float32
        ? float.IsFinite(TensorPrimitives.MaxMagnitude<float>(p.Span<float>()))
        : double.IsFinite(TensorPrimitives.MaxMagnitude<double>(p.Span<double>()));

    private ArgumentException NonFinite(Exception? inner) =>
        new($"{who}: the solver produced non-finite weights. The input data may contain large values and need to be preprocessed (scaled). {Advice}", "X", inner);

    /// <summary>What to try when training blows up.</summary>
    private string Advice => string.Create(CultureInfo.InvariantCulture,
        $"Scale the features (StandardScaler) or lower learningRateInit (now {options.LearningRateInit:G6}).");

    /// <summary>Throws when the settings cannot fit in parts: L-BFGS is not stochastic, and early stopping needs the whole data.</summary>
    /// <exception cref="InvalidOperationException">The solver is L-BFGS, or early stopping is on.</exception>
    public void RequireIncremental(string member)
    {
        if (options.Solver == Solver.Lbfgs)
            throw new InvalidOperationException($"{member}: fitting in parts needs a stochastic solver (Sgd or Adam), got Lbfgs; call Fit, or create the estimator with solver: Solver.Adam.");
        if (options.EarlyStopping)
            throw new InvalidOperationException($"{member}: early stopping needs a whole fit; create the estimator with earlyStopping: false to fit in parts.");
    }

    /// <summary>The activated outputs (predictions or probabilities) for checked samples, row-major N × outputs.</summary>
    public double[] Predict(DesignMatrix x) => Forward(Inputs(x, Network!.DType), targets: null).Activated;

    /// <summary>
    /// The samples as the network's input, over the storage they came in when it has the network's
    /// type (the network only reads it), else converted to Float32 in one vectorised pass.
    /// </summary>
    private static Tensor Inputs(DesignMatrix x, DType dtype)
    {
        if (dtype == DType.Float64) return new Tensor(x.Values, [x.Rows, x.Columns], DType.Float64);
        if (x.Single is { } single) return new Tensor(single, [x.Rows, x.Columns], DType.Float32);
        // Not zeroed first: every element is written.
        var converted = GC.AllocateUninitializedArray<float>(x.Rows * x.Columns);
        TensorPrimitives.ConvertChecked<double, float>(x.Values.AsSpan(0, converted.Length), converted);
        return new Tensor(converted, [x.Rows, x.Columns], DType.Float32);
    }

    /// <summary>
    /// The network's activated outputs for <paramref name="inputs"/>, in evaluation mode without
    /// gradients, and the data loss against <paramref name="targets"/> when given (else NaN).
    /// </summary>
    private (double[] Activated, double Loss) Forward(Tensor inputs, (MlpTargets Targets, Loss DataLoss)? targets)
    {
        var network = Network!;
        bool training = network.Model.IsTraining;
        network.Model.Eval();
        try
        {
            using (Autograd.NoGrad())
            {
                var raw = network.Forward(inputs);
                double loss = targets is { } t ? t.DataLoss.Forward(raw, t.Targets.Values).Item() : double.NaN;
                return (MlpTargets.Activate(raw, Output).ToDoubleArray(), loss);
            }
        }
        finally
        {
            if (training) network.Model.Train();
        }
    }

    private void Initialize(int features, int outputs, MlpOutputActivation output, Generator generator)
    {
        int[] units = [features, .. options.HiddenLayerSizes, outputs];
        var network = new MlpNetwork(options, units, generator);
        if (_initialWeights is { } initial)
        {
            if (initial.Coefs.Length != network.LayerCount)
                throw new ArgumentException($"{who}: the initial weights have {initial.Coefs.Length} layers, the network has {network.LayerCount}.", "coefs");
            for (int i = 0; i < network.LayerCount; i++)
            {
                var (ins, outs) = network.LayerShape(i);
                if (!_initialShapes.Coefs[i].SequenceEqual([ins, outs]) || !_initialShapes.Intercepts[i].SequenceEqual([outs]))
                    throw new ShapeMismatchException($"{who}: initial weights of layer {i} have shapes {Shapes.Format(_initialShapes.Coefs[i])} and {Shapes.Format(_initialShapes.Intercepts[i])}, the network needs {Shapes.Format([ins, outs])} and {Shapes.Format([outs])}.");
                network.SetLayer(i, initial.Coefs[i], initial.Intercepts[i]);
            }
        }
        Network = network;
        Output = output;
        NIter = 0;
        TUpdates = 0;
        LossCurve.Clear();
        _noImprovement = 0;
        _bestParameters = null;
        _optimizer = null;
        bool stochastic = options.Solver != Solver.Lbfgs;
        BestLoss = stochastic && !options.EarlyStopping ? double.PositiveInfinity : null;
        ValidationScores = stochastic && options.EarlyStopping ? [] : null;
        ValidationLosses = stochastic && options.EarlyStopping ? [] : null;
        BestValidationScore = stochastic && options.EarlyStopping ? double.NegativeInfinity : null;
        _bestMetric = double.NegativeInfinity;
    }

    /// <summary>The data loss plus scikit-learn's penalty α/(2n)·Σ‖W‖² on the linear layers' weights, n the batch's samples.</summary>
    private L2Penalized Objective(Loss dataLoss) => new(dataLoss, Network!.Weights, options.Alpha / 2, perSample: true);

    /// <summary>A trainer that reuses the gradient buffers from step to step.</summary>
    private Trainer TrainerFor(Loss dataLoss, Optimizer optimizer) => new(Network!.Model, Objective(dataLoss), optimizer) { SetGradientsToNone = false };

    private void FitLbfgs(Tensor inputs, MlpTargets targets)
    {
        var network = Network!;
        var solver = new Lbfgs(network.Parameters, maxIterations: options.MaxIter, maxEvaluations: options.MaxFun, toleranceGrad: options.Tol,
            toleranceChange: LbfgsToleranceChange, historySize: LbfgsHistory, lineSearch: LineSearch.StrongWolfe);
        var trainer = TrainerFor(targets.CreateLoss(), solver);
        // The whole data as one batch: one Lbfgs.Step, up to maxIter iterations and maxFun evaluations.
        trainer.Fit(new DataLoader(inputs, targets.Values, inputs.Size(0)), epochs: 1);
        NIter = (int)solver.StateDict().Scalars["n_iter"];
        using (Autograd.NoGrad())
            Loss = trainer.Loss.Forward(network.Forward(inputs), targets.Values).Item();
    }

    /// <summary>The epochs of SGD or Adam; returns why a stopping rule ended them early, or null when every epoch ran.</summary>
    private string? FitStochastic(Tensor all, MlpTargets allTargets, Generator generator, bool incremental)
    {
        var network = Network!;
        // As scikit-learn: a fit starts a new optimizer, a fit in parts continues the one it finds.
        if (!incremental || _optimizer is null) _optimizer = CreateOptimizer(network.Parameters);
        var (inputs, targets, validationInputs, validationTargets) = options.EarlyStopping
            ? Split(all, allTargets, generator)
            : (all, allTargets, null, null);
        int n = inputs.Size(0);
        int batchSize = Math.Clamp(options.BatchSize ?? Math.Min(200, n), 1, n);
        var dataLoss = targets.CreateLoss();
        var trainer = TrainerFor(dataLoss, _optimizer);
        trainer.Callbacks.Add(this);
        if (options.Solver == Solver.Sgd && options.LearningRate == MlpLearningRate.InvScaling)
        {
            // scikit-learn's iteration_ends: η = η₀ / (t + 1)^power_t after each epoch, t the samples seen over every fit so far.
            trainer.Callbacks.Add(new SchedulerCallback(new InverseScalingLR(_optimizer, options.PowerT, timePerStep: n, startTime: TUpdates,
                baseLearningRate: options.LearningRateInit)));
        }
        _epoch = new EpochContext(n, validationInputs, validationTargets, dataLoss, options.Verbose > 0 ? options.VerboseOutput ?? Console.Out : null);
        _startLoss = double.NaN;
        History history;
        try
        {
            history = trainer.Fit(new DataLoader(inputs, targets.Values, batchSize, shuffle: options.Shuffle, generator: generator), incremental ? 1 : options.MaxIter);
            // As scikit-learn, a whole fit that ran every epoch without a stopping rule firing has not converged.
            if (!incremental && history.StopReason is null)
                ConvergenceWarning = string.Create(CultureInfo.InvariantCulture, $"Stochastic Optimizer: Maximum iterations ({options.MaxIter}) reached and the optimization hasn't converged yet.");
        }
        finally
        {
            _epoch = null;
        }
        if (validationInputs is not null && _bestParameters is not null)
        {
            var parameters = network.Parameters;
            for (int i = 0; i < parameters.Count; i++) Array.Copy(_bestParameters[i], parameters[i].Storage, _bestParameters[i].Length);
        }
        return history.StopReason;
    }

    /// <summary>scikit-learn's stochastic solvers on Nabla's optimizers: SGD with its velocity form of momentum, Adam with ε on the raw moment.</summary>
    private Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters) => options.Solver == Solver.Sgd
        ? new Sgd(parameters, options.LearningRateInit, options.Momentum, nesterov: options.NesterovsMomentum && options.Momentum > 0,
            momentumForm: SgdMomentumForm.Velocity)
        : new Adam(parameters, options.LearningRateInit, options.Beta1, options.Beta2, options.Epsilon, epsilonPlacement: AdamEpsilonPlacement.RawMoment);

    /// <summary>The fit's first batch loss, the initial weights' loss that divergence is measured against.</summary>
    void ITrainingCallback.OnBatchEnd(Trainer trainer, Batch batch)
    {
        if (double.IsNaN(_startLoss)) _startLoss = trainer.BatchLoss;
    }

    /// <summary>scikit-learn's end of an epoch in <c>_fit_stochastic</c>: the counters, the verbose line, the stopping rules, then Nabla's progress and callback.</summary>
    void ITrainingCallback.OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        var context = _epoch!;
        NIter++;
        Loss = epoch.Loss;
        TUpdates += context.Rows;
        LossCurve.Add(Loss);
        context.Verbose?.WriteLine($"Iteration {NIter}, loss = {Loss.ToString("F8", CultureInfo.InvariantCulture)}");
        var (score, validationLoss) = context.ValidationInputs is { } inputs
            ? Validate(inputs, context.ValidationTargets!, context.DataLoss, context.Verbose)
            : (default(double?), default(double?));
        UpdateNoImprovementCount(score, validationLoss);

        string? stop = null;
        if (_startLoss > 0 && Loss > DivergenceFactor * _startLoss)
        {
            Diverged = true;
            ConvergenceWarning = string.Create(CultureInfo.InvariantCulture,
                $"{who}: the training loss diverged to {Loss:G3} in epoch {NIter}, over {DivergenceFactor:N0} times the {_startLoss:G3} it started from; training stopped. {Advice}");
            context.Verbose?.WriteLine(ConvergenceWarning);
            stop = ConvergenceWarning;
        }
        else if (_noImprovement > options.NIterNoChange)
        {
            string stall = StallMessage();
            if (TriggerStopping(trainer.Optimizer, stall, context.Verbose)) stop = stall;
            else _noImprovement = 0;
        }
        var record = new MlpEpoch(NIter, options.MaxIter, Loss, score, validationLoss, epoch.LearningRate) { Duration = epoch.Duration, Samples = context.Rows };
        options.Progress?.Report(record);
        if (options.Callback is { } callback && !callback.OnEpochEnd(record)) stop ??= "the callback asked to stop";
        if (stop is not null) trainer.Stop(stop);
    }

    /// <summary>scikit-learn's <c>trigger_stopping</c>: whether a stall stops training; the adaptive SGD rate divides by 5 instead, until it is at most 1e-6.</summary>
    private bool TriggerStopping(Optimizer optimizer, string message, TextWriter? verbose)
    {
        if (options.Solver != Solver.Sgd || options.LearningRate != MlpLearningRate.Adaptive)
        {
            verbose?.WriteLine(message + " Stopping.");
            return true;
        }
        if (optimizer.LearningRate <= 1e-6)
        {
            verbose?.WriteLine(message + " Learning rate too small. Stopping.");
            return true;
        }
        optimizer.LearningRate /= 5.0;
        verbose?.WriteLine(message + " Setting learning rate to " + optimizer.LearningRate.ToString("F6", CultureInfo.InvariantCulture));
        return false;
    }

    private string StallMessage()
    {
        string what = !options.EarlyStopping ? "Training loss"
            : options.EarlyStoppingMetric == MlpValidationMetric.Score ? "Validation score" : "Validation loss";
        return string.Create(CultureInfo.InvariantCulture, $"{what} did not improve more than tol={options.Tol:F6} for {options.NIterNoChange} consecutive epochs.");
    }

    private (double Score, double Loss) Validate(Tensor inputs, MlpTargets targets, Loss dataLoss, TextWriter? verbose)
    {
        var (predicted, loss) = Forward(inputs, (targets, dataLoss));
        double score = targets.Classes is { } classes ? Accuracy(predicted, classes, targets.Outputs) : R2(targets, predicted);
        ValidationScores!.Add(score);
        ValidationLosses!.Add(loss);
        verbose?.WriteLine("Validation score: " + score.ToString("F6", CultureInfo.InvariantCulture));
        return (score, loss);
    }

    // scikit-learn's _update_no_improvement_count, with the validation loss as a second choice of metric.
    private void UpdateNoImprovementCount(double? score, double? validationLoss)
    {
        if (score is { } s)
        {
            double metric = options.EarlyStoppingMetric == MlpValidationMetric.Score ? s : -validationLoss!.Value;
            _noImprovement = metric < _bestMetric + options.Tol ? _noImprovement + 1 : 0;
            BestValidationScore = Math.Max(BestValidationScore!.Value, s);
            if (metric > _bestMetric)
            {
                _bestMetric = metric;
                _bestParameters = [.. Network!.Parameters.Select(p => (Array)p.Storage.Clone())];
            }
        }
        else
        {
            double best = BestLoss!.Value;
            _noImprovement = LossCurve[^1] > best - options.Tol ? _noImprovement + 1 : 0;
            if (LossCurve[^1] < best) BestLoss = LossCurve[^1];
        }
    }

    /// <summary>Holds out the validation share of the samples, seeded from <paramref name="generator"/>.</summary>
    private (Tensor Inputs, MlpTargets Targets, Tensor? ValidationInputs, MlpTargets? ValidationTargets) Split(Tensor inputs, MlpTargets targets, Generator generator)
    {
        // As scikit-learn: stratified only for a classifier with one output column, i.e. two classes.
        ulong seed = generator.NextUInt64();
        var split = targets.Classes is { } classes && targets.Outputs == 1
            ? TrainTestSplit.Stratified(classes, testSize: options.ValidationFraction, randomState: seed)
            : TrainTestSplit.Create(targets.Rows, testSize: options.ValidationFraction, randomState: seed);
        return (Rows(inputs, split.Train), targets.Select(split.Train), Rows(inputs, split.Test), targets.Select(split.Test));
    }

    private static Tensor Rows(Tensor inputs, IReadOnlyList<int> rows)
    {
        using var _ = Autograd.NoGrad();
        return inputs.IndexSelect(0, Tensor.FromArray([.. rows]));
    }

    private static double R2(MlpTargets targets, double[] predicted) => RegressionMetrics.R2(
        new DesignMatrix(targets.Values.ToDoubleArray(), targets.Rows, targets.Outputs).ToArray(),
        new DesignMatrix(predicted, targets.Rows, targets.Outputs).ToArray());

    private static double Accuracy(double[] predicted, int[] classes, int outputs)
    {
        int correct = 0;
        for (int i = 0; i < classes.Length; i++)
        {
            var p = predicted.AsSpan(i * outputs, outputs);
            int guess = outputs == 1 ? (p[0] > 0.5 ? 1 : 0) : TensorPrimitives.IndexOfMax<double>(p);
            if (guess == classes[i]) correct++;
        }
        return (double)correct / classes.Length;
    }
}
