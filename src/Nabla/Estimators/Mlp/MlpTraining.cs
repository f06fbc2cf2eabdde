using System.Globalization;
using System.Numerics.Tensors;
using Nabla.Data;
using Nabla.Metrics;
using Nabla.Optim;

namespace Nabla.Estimators;

/// <summary>
/// What <see cref="MlpRegressor"/> and <see cref="MlpClassifier"/> share: scikit-learn's
/// <c>BaseMultilayerPerceptron</c>. It fits the network by mini-batch SGD or Adam (its epoch loop,
/// stopping rules and early stopping written as scikit-learn's <c>_fit_stochastic</c> and
/// <c>_update_no_improvement_count</c>) or by L-BFGS, keeps what the fit learned across warm
/// starts and fits in parts (<c>partial_fit</c>: one epoch a call, the solver's state kept), and predicts.
/// </summary>
internal sealed class MlpTraining(MlpOptions options, string who)
{
    // scipy's L-BFGS-B keeps 10 corrections.
    private const int LbfgsHistory = 10;

    // A change of the objective this small is rounding, not progress (64 machine epsilons).
    private const double LbfgsToleranceChange = 64 * 2.220446049250313e-16;

    private (double[][] Coefs, double[][] Intercepts)? _initialWeights;
    private (int[][] Coefs, int[][] Intercepts) _initialShapes;
    private Array[]? _bestParameters;
    private MlpUpdateRule? _rule;
    private double _bestMetric;
    private int _noImprovement;

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
    /// Fits on checked samples and their targets (row-major, <paramref name="outputs"/> a row: the
    /// values, or one-hot classes, or 0/1 for two classes); <paramref name="classes"/> holds the class
    /// index of each sample for a classifier (null for a regressor), <paramref name="sampleWeights"/> a weight a sample or null.
    /// <paramref name="incremental"/> is scikit-learn's <c>partial_fit</c>: one epoch, continuing from the
    /// weights, the solver's state and the counters so far (the first call starts the network).
    /// </summary>
    public void Fit(DesignMatrix x, double[] targets, int outputs, MlpOutputActivation output, int[]? classes, double[]? sampleWeights, bool incremental = false)
    {
        var generator = new Generator(options.RandomState);
        bool firstPass = Network is null || (!options.WarmStart && !incremental);
        if (firstPass) Initialize(x.Columns, outputs, output, generator);
        else if (Network!.Inputs != x.Columns || Network.Outputs != outputs || Output != output)
            throw new ArgumentException($"{who}: continuing from a network with {Network.Inputs} inputs and {Network.Outputs} outputs ({Output}), but the data has {x.Columns} features and needs {outputs} outputs ({output}); fit with warmStart: false to start afresh.", "X");

        var data = new MlpData(x.Values, targets, x.Rows, x.Columns, outputs, sampleWeights, options.DType);
        if (options.Solver == Solver.Lbfgs) FitLbfgs(data);
        else FitStochastic(data, classes, generator, incremental);

        foreach (var p in Network!.Parameters)
        {
            if (!p.ToDoubleArray().All(double.IsFinite))
                throw new ArgumentException($"{who}: the solver produced non-finite weights. The input data may contain large values and need to be preprocessed (scaled).", "X");
        }
    }

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
    public double[] Predict(DesignMatrix x) => Predict(new MlpData(x.Values, [], x.Rows, x.Columns, Network!.Outputs, null, Network.DType));

    private double[] Predict(MlpData data)
    {
        var network = Network!;
        network.Model.Eval();
        try
        {
            using (Autograd.NoGrad())
            {
                var values = network.Forward(data.Features()).ToDoubleArray();
                MlpLoss.Activate(Output, values, network.Outputs);
                return values;
            }
        }
        finally
        {
            network.Model.Train();
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
        _rule = null;
        bool stochastic = options.Solver != Solver.Lbfgs;
        BestLoss = stochastic && !options.EarlyStopping ? double.PositiveInfinity : null;
        ValidationScores = stochastic && options.EarlyStopping ? [] : null;
        ValidationLosses = stochastic && options.EarlyStopping ? [] : null;
        BestValidationScore = stochastic && options.EarlyStopping ? double.NegativeInfinity : null;
        _bestMetric = double.NegativeInfinity;
    }

    private void FitLbfgs(MlpData data)
    {
        var network = Network!;
        var parameters = network.Parameters;
        var solver = new Lbfgs(parameters, maxIterations: options.MaxIter, maxEvaluations: options.MaxFun, toleranceGrad: options.Tol,
            toleranceChange: LbfgsToleranceChange, historySize: LbfgsHistory, lineSearch: LineSearch.StrongWolfe);
        var features = data.Features();
        solver.Step(() => Tensor.Scalar(Step(features, data.Targets, data.Weights), network.DType));
        NIter = (int)solver.StateDict().Scalars["n_iter"];
        Loss = Step(features, data.Targets, data.Weights);
    }

    private void FitStochastic(MlpData all, int[]? classes, Generator generator, bool incremental)
    {
        var network = Network!;
        // As scikit-learn: a fit starts a new solver, a fit in parts continues the one it finds.
        if (!incremental || _rule is null) _rule = MlpUpdateRule.Create(options, network.Parameters);
        var rule = _rule;
        var (train, validation) = options.EarlyStopping ? Split(all, classes, generator) : (all, null);
        int n = train.Rows;
        int batchSize = Math.Clamp(options.BatchSize ?? Math.Min(200, n), 1, n);
        var order = Enumerable.Range(0, n).ToArray();
        var batches = new MlpBatches(train, batchSize);
        var verbose = options.Verbose ? options.VerboseOutput ?? Console.Out : null;

        int epochs = incremental ? 1 : options.MaxIter;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            if (options.Shuffle) Permute(order, generator);
            double accumulated = 0, learningRate = rule.LearningRate;
            for (int start = 0; start < n; start += batchSize)
            {
                int count = Math.Min(batchSize, n - start);
                var (features, targets, weights) = batches.Gather(order.AsSpan(start, count));
                accumulated += Step(features, targets, weights) * count;
                rule.Update(network.Parameters);
            }
            NIter++;
            Loss = accumulated / n;
            TUpdates += n;
            LossCurve.Add(Loss);
            verbose?.WriteLine($"Iteration {NIter}, loss = {Loss.ToString("F8", CultureInfo.InvariantCulture)}");
            var (score, validationLoss) = validation is null ? (default(double?), default(double?)) : Validate(validation, verbose);
            UpdateNoImprovementCount(score, validationLoss);
            rule.IterationEnds(TUpdates);

            bool stop = false;
            if (_noImprovement > options.NIterNoChange)
            {
                stop = rule.TriggerStopping(StallMessage(), verbose);
                if (!stop) _noImprovement = 0;
            }
            var record = new MlpEpoch(NIter, options.MaxIter, Loss, score, validationLoss, learningRate);
            options.Progress?.Report(record);
            if (options.Callback is { } callback && !callback.OnEpochEnd(record)) stop = true;
            if (stop) break;
        }
        if (validation is not null && _bestParameters is not null)
        {
            var parameters = network.Parameters;
            for (int i = 0; i < parameters.Count; i++) Array.Copy(_bestParameters[i], parameters[i].Storage, _bestParameters[i].Length);
        }
    }

    private string StallMessage()
    {
        string what = !options.EarlyStopping ? "Training loss"
            : options.EarlyStoppingMetric == MlpValidationMetric.Score ? "Validation score" : "Validation loss";
        return string.Create(CultureInfo.InvariantCulture, $"{what} did not improve more than tol={options.Tol:F6} for {options.NIterNoChange} consecutive epochs.");
    }

    private (double Score, double Loss) Validate(MlpData validation, TextWriter? verbose)
    {
        var predicted = Predict(validation);
        double loss = MlpLoss.Value(Output, predicted, validation.Targets, validation.Outputs, default);
        double score = Output == MlpOutputActivation.Identity
            ? RegressionMetrics.R2(new DesignMatrix(validation.Targets, validation.Rows, validation.Outputs).ToArray(),
                new DesignMatrix(predicted, validation.Rows, validation.Outputs).ToArray())
            : Accuracy(predicted, validation.Targets, validation.Outputs);
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

    /// <summary>One forward and backward pass: the batch's loss (penalty included, as scikit-learn's), scikit-learn's gradients left in the parameters' <see cref="Tensor.Grad"/>.</summary>
    private double Step(Tensor features, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights)
    {
        var network = Network!;
        int rows = features.Size(0);
        double loss;
        if (network.Propagation is { } pass)
        {
            var values = pass.Forward(features);
            loss = LossAndErrors(values, targets, weights);
            pass.Backward(values);
        }
        else
        {
            network.Model.ZeroGrad();
            var raw = network.Forward(features);
            var values = raw.ToDoubleArray();
            loss = LossAndErrors(values, targets, weights);
            raw.Backward(Tensor.FromArray(values, rows, network.Outputs).To(network.DType));
        }
        return loss + network.ScaleGradients(options.Alpha, rows);
    }

    /// <summary>Activates the raw outputs, returns the batch's loss (without the penalty), and leaves the output errors p − y in <paramref name="values"/>.</summary>
    private double LossAndErrors(Span<double> values, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights)
    {
        int outputs = Network!.Outputs;
        MlpLoss.Activate(Output, values, outputs);
        double loss = MlpLoss.Value(Output, values, targets, outputs, weights);
        // The summed loss's gradient at the raw outputs is p − y; the division by n comes with the penalty, as in scikit-learn.
        MlpLoss.Delta(values, targets, outputs, weights);
        return loss;
    }

    private (MlpData Train, MlpData Validation) Split(MlpData all, int[]? classes, Generator generator)
    {
        // As scikit-learn: stratified only for a classifier with one output column, i.e. two classes.
        ulong seed = generator.NextUInt64();
        var split = classes is not null && all.Outputs == 1
            ? TrainTestSplit.Stratified(classes, testSize: options.ValidationFraction, randomState: seed)
            : TrainTestSplit.Create(all.Rows, testSize: options.ValidationFraction, randomState: seed);
        return (all.Select(split.Train), all.Select(split.Test));
    }

    private static double Accuracy(double[] predicted, double[] targets, int outputs)
    {
        int rows = targets.Length / outputs, correct = 0;
        for (int i = 0; i < rows; i++)
        {
            var p = predicted.AsSpan(i * outputs, outputs);
            var y = targets.AsSpan(i * outputs, outputs);
            bool right = outputs == 1 ? (p[0] > 0.5) == (y[0] > 0.5) : TensorPrimitives.IndexOfMax<double>(p) == y.IndexOf(1.0);
            if (right) correct++;
        }
        return (double)correct / rows;
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

    private static void Permute(int[] order, Generator generator)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = generator.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
