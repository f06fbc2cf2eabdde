using System.Diagnostics;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Training;

/// <summary>
/// The training loop: for each epoch and each batch, forward, loss, backward, optional gradient
/// clipping (by value, then by norm) and an optimizer step; then validation, metrics in a <see cref="History"/>, and
/// callbacks at every stage, as Keras' <c>fit</c> does for a PyTorch-style model.
/// </summary>
/// <remarks>
/// The model is in training mode (<see cref="Module.Train"/>) for the training batches and in
/// evaluation mode, without recording gradients, for validation; after <see cref="Fit(DataLoader, int, DataLoader?)"/>
/// it is back in the mode it had before. A batch whose loss is NaN or infinite stops training with a
/// <see cref="TrainingDivergedException"/> before its backward pass.
/// <para>
/// With <see cref="Lbfgs"/>, each batch is one <see cref="Lbfgs.Step(Func{Tensor})"/> whose closure
/// zeroes the gradients, runs the forward pass, the loss and the backward pass, as PyTorch users
/// write it; the epoch's loss and accuracy count the batch once, as it was before the step.
/// </para>
/// <para>
/// <see cref="CreateCheckpoint"/> captures a run between epochs and <see cref="Resume"/> continues
/// it: the model, optimizer, counters, history, the generators and sample orders that shuffle the
/// data, the generators that draw dropout masks, and the state of every <see cref="IStatefulCallback"/>
/// (schedulers, early stopping). The epoch's running loss starts afresh each epoch, so nothing else
/// carries over.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 1e-3))
/// {
///     Callbacks = { new EarlyStopping(patience: 5, restoreBestWeights: true) },
/// };
/// History history = trainer.Fit(new DataLoader(x, y, 64, shuffle: true), epochs: 50, validationSplit: 0.2);
/// </code>
/// </example>
public sealed partial class Trainer
{
    private readonly List<ITrainingCallback> _callbacks = [];
    private double? _clipGradNorm, _clipGradValue;
    private double _epochLossSum;
    private int _epochSamples, _epochCorrect;
    private bool _epochHasAccuracy;
    private DataLoader? _train, _validation;

    /// <summary>Creates the loop for a model, the loss it minimises and the optimizer that updates it.</summary>
    /// <param name="model">The model; its output for a batch's inputs goes to the loss with the batch's targets.</param>
    /// <param name="loss">The loss; it must reduce to a scalar (Mean or Sum).</param>
    /// <param name="optimizer">The optimizer, usually over <c>model.Parameters()</c>.</param>
    /// <exception cref="ArgumentException">The loss does not reduce (<see cref="Reduction.None"/>).</exception>
    public Trainer(Module model, Loss loss, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (loss.Reduction == Reduction.None)
            throw new ArgumentException($"Trainer: the loss {loss.GetType().Name} has Reduction.None, which gives one loss per sample; training needs a scalar, so use Reduction.Mean (the default) or Reduction.Sum.", nameof(loss));
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
    }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }

    /// <summary>The loss being minimised.</summary>
    public Loss Loss { get; }

    /// <summary>The optimizer that updates the model.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The callbacks, called in order at each stage of the loop.</summary>
    public IList<ITrainingCallback> Callbacks => _callbacks;

    /// <summary>
    /// When set, the gradients are scaled after each backward pass so that their joint 2-norm is at most
    /// this value (<see cref="GradientClipping.ClipGradNorm"/>); null (the default) leaves them alone.
    /// With <see cref="ClipGradValue"/> too, the norm is taken of the gradients already clamped.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double? ClipGradNorm
    {
        get => _clipGradNorm;
        set => _clipGradNorm = CheckClip(value, nameof(ClipGradNorm), "norm");
    }

    /// <summary>
    /// When set, each gradient element is clamped to [−value, value] after each backward pass
    /// (<see cref="GradientClipping.ClipGradValue"/>, PyTorch's <c>clip_grad_value_</c>); null (the
    /// default) leaves them alone. It runs before <see cref="ClipGradNorm"/>: value clipping, then norm clipping.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double? ClipGradValue
    {
        get => _clipGradValue;
        set => _clipGradValue = CheckClip(value, nameof(ClipGradValue), "value");
    }

    /// <summary>
    /// How each step clears the gradients (<see cref="Optimizer.ZeroGrad"/>): true (the default, as
    /// PyTorch 2) sets them to null, so the backward pass allocates them afresh; false zeroes the
    /// existing ones in place (lazily: the backward pass overwrites them whole), so a step reuses them
    /// and allocates nothing the size of the parameters. With false a parameter that gets no gradient in a step still takes the
    /// optimizer's step, with a zero gradient (moments and momentum move it on).
    /// </summary>
    public bool SetGradientsToNone { get; set; } = true;

    /// <summary>
    /// When set, this trainer is one rank of a data-parallel run: each step's loss is scaled by the
    /// rank's share of the global batch, the gradients are summed over the ranks before clipping (so
    /// clipping acts on the gradient of the global batch), and the epoch's metrics and
    /// <see cref="Evaluate"/> are reduced over the ranks, so <see cref="History"/> is the same on all.
    /// Null (the default) trains in this process alone. It cannot be used with <see cref="Lbfgs"/>.
    /// </summary>
    public ITrainingSynchronizer? Synchronizer { get; set; }

    /// <summary>The current epoch, from 1 (0 before the first).</summary>
    public int Epoch { get; private set; }

    /// <summary>The number of epochs the current <see cref="Fit(DataLoader, int, DataLoader?)"/> runs at most.</summary>
    public int Epochs { get; private set; }

    /// <summary>The optimizer steps taken in the current fit, counted across epochs.</summary>
    public long Step { get; private set; }

    /// <summary>The number of batches in each epoch of the current fit.</summary>
    public int BatchCount { get; private set; }

    /// <summary>The loss of the last training batch.</summary>
    public double BatchLoss { get; private set; }

    /// <summary>The mean training loss over the batches of the current epoch so far.</summary>
    public double RunningLoss => _epochSamples == 0 ? double.NaN : _epochLossSum / _epochSamples;

    /// <summary>
    /// The share of the current epoch's training samples so far whose largest output is their class label;
    /// null before the first batch, or when the targets are not class labels (regression).
    /// </summary>
    public double? RunningAccuracy => _epochSamples == 0 || !_epochHasAccuracy ? null : (double)_epochCorrect / _epochSamples;

    /// <summary>The epochs finished in the current (or last) fit.</summary>
    public History History { get; private set; } = new();

    /// <summary>Whether a callback asked training to stop; it stops once the current epoch ends.</summary>
    public bool StopTraining { get; private set; }

    /// <summary>Asks training to stop once the current epoch ends; <paramref name="reason"/> goes to <see cref="History.StopReason"/>.</summary>
    public void Stop(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        StopTraining = true;
        History.StopReason ??= reason;
    }

    /// <summary>Trains for up to <paramref name="epochs"/> epochs, validating on a random share of the training data.</summary>
    /// <param name="train">The training data.</param>
    /// <param name="epochs">The number of epochs (≥ 1).</param>
    /// <param name="validationSplit">The share of <paramref name="train"/>'s samples held out for validation, in (0, 1); see <see cref="DataLoader.Split"/>.</param>
    /// <param name="splitSeed">Seeds which samples are held out.</param>
    /// <returns>The per-epoch record.</returns>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public History Fit(DataLoader train, int epochs, double validationSplit, ulong splitSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(train);
        var (training, validation) = train.Split(validationSplit, splitSeed);
        return Fit(training, epochs, validation);
    }

    /// <summary>Trains for up to <paramref name="epochs"/> epochs, or until a callback stops it.</summary>
    /// <param name="train">The training data.</param>
    /// <param name="epochs">The number of epochs (≥ 1).</param>
    /// <param name="validation">Data evaluated after each epoch, or null for none.</param>
    /// <returns>The per-epoch record (also in <see cref="History"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public History Fit(DataLoader train, int epochs, DataLoader? validation = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckEpochs(epochs, nameof(Fit));
        CheckClipping();
        (_train, _validation) = (train, validation);
        History = new History();
        (Epoch, Epochs, Step, BatchCount, StopTraining) = (0, epochs, 0, train.BatchCount, false);
        return Run(train, validation, restoreCallbacks: null);
    }

    /// <summary>Runs the epochs after <see cref="Epoch"/>, with the callbacks' begin and end around them.</summary>
    private History Run(DataLoader train, DataLoader? validation, Action? restoreCallbacks)
    {
        bool wasTraining = Model.IsTraining;
        try
        {
            Synchronizer?.OnTrainBegin(this, train, validation);
            foreach (var callback in _callbacks) callback.OnTrainBegin(this);
            restoreCallbacks?.Invoke();
            for (int epoch = Epoch + 1; epoch <= Epochs && !StopTraining; epoch++)
                RunEpoch(epoch, train, validation);
            foreach (var callback in _callbacks) callback.OnTrainEnd(this);
        }
        finally
        {
            if (wasTraining) Model.Train();
            else Model.Eval();
        }
        return History;
    }

    private static void CheckEpochs(int epochs, string method)
    {
        if (epochs <= 0)
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"Trainer.{method}: the number of epochs must be positive, got {epochs}.");
    }

    private static double? CheckClip(double? value, string property, string what) =>
        value is { } v && !(v > 0 && double.IsFinite(v))
            ? throw new ArgumentOutOfRangeException(property, v, $"Trainer: the gradient clipping {what} must be positive and finite, got {v}.")
            : value;

    private void CheckClipping()
    {
        if (Optimizer is not Lbfgs) return;
        if (Synchronizer is not null)
            throw new InvalidOperationException("Trainer: Lbfgs cannot be used with a Synchronizer (data-parallel training), whose ranks would each run their own line search; use a first-order optimizer such as Adam or SGD.");
        if (_clipGradValue is not null)
            throw new InvalidOperationException("Trainer: ClipGradValue cannot be used with Lbfgs, whose line search needs the true gradients of the loss; set ClipGradValue to null.");
        if (_clipGradNorm is not null)
            throw new InvalidOperationException("Trainer: ClipGradNorm cannot be used with Lbfgs, whose line search needs the true gradients of the loss; set ClipGradNorm to null.");
    }

    /// <summary>
    /// The mean loss (and accuracy, for class labels) of the model on <paramref name="data"/>, in evaluation mode without gradients.
    /// With a <see cref="Synchronizer"/> the sums are reduced over the ranks, so every rank must call it.
    /// </summary>
    public Evaluation Evaluate(DataLoader data)
    {
        ArgumentNullException.ThrowIfNull(data);
        bool wasTraining = Model.IsTraining;
        Model.Eval();
        try
        {
            using var _ = Autograd.NoGrad();
            double lossSum = 0;
            int samples = 0, correct = 0;
            bool hasAccuracy = true;
            foreach (var batch in data)
            {
                var output = Model.Forward(batch.Inputs);
                lossSum += Loss.Forward(output, batch.Targets).Item() * batch.Count;
                samples += batch.Count;
                hasAccuracy &= ClassificationAccuracy.Applies(output, batch.Targets);
                if (hasAccuracy) correct += ClassificationAccuracy.CountCorrect(output, batch.Targets);
            }
            (lossSum, samples, correct, hasAccuracy) = ReduceAcrossRanks(lossSum, samples, correct, hasAccuracy);
            return new Evaluation(lossSum / samples, hasAccuracy ? (double)correct / samples : null);
        }
        finally
        {
            if (wasTraining) Model.Train();
        }
    }

    /// <summary>
    /// A loss sum, sample and correct counts and whether accuracy applies, summed over the ranks when
    /// there is a <see cref="Synchronizer"/> (accuracy applies when it does on every rank); as they are otherwise.
    /// </summary>
    private (double LossSum, int Samples, int Correct, bool HasAccuracy) ReduceAcrossRanks(double lossSum, int samples, int correct, bool hasAccuracy)
    {
        if (Synchronizer is null) return (lossSum, samples, correct, hasAccuracy);
        Span<double> sums = [lossSum, samples, correct, hasAccuracy ? 0 : 1];
        Synchronizer.ReduceSums(sums);
        return (sums[0], (int)sums[1], (int)sums[2], sums[3] == 0);
    }

    private void RunEpoch(int epoch, DataLoader train, DataLoader? validation)
    {
        long start = Stopwatch.GetTimestamp();
        Epoch = epoch;
        double learningRate = Optimizer.LearningRate;
        (_epochLossSum, _epochSamples, _epochCorrect, _epochHasAccuracy) = (0, 0, 0, true);
        Model.Train();
        foreach (var callback in _callbacks) callback.OnEpochBegin(this);
        foreach (var batch in train)
        {
            Step++;
            BatchLoss = TrainBatch(batch, inFit: true);
            foreach (var callback in _callbacks) callback.OnBatchEnd(this, batch);
        }
        (_epochLossSum, _epochSamples, _epochCorrect, _epochHasAccuracy) = ReduceAcrossRanks(_epochLossSum, _epochSamples, _epochCorrect, _epochHasAccuracy);
        Evaluation? validated = validation is null ? null : Evaluate(validation);
        var result = new EpochResult(epoch, RunningLoss, _epochHasAccuracy ? (double)_epochCorrect / _epochSamples : null,
            validated?.Loss, validated?.Accuracy, learningRate, Stopwatch.GetElapsedTime(start));
        History.Add(result);
        foreach (var callback in _callbacks) callback.OnEpochEnd(this, result);
    }

    /// <summary>
    /// One optimizer step on <paramref name="batch"/>: forward, loss, backward, clipping, step; adds
    /// the batch to the epoch's running loss and accuracy, and returns the loss. Inside
    /// <see cref="Fit(DataLoader, int, DataLoader?)"/> (<paramref name="inFit"/>) the callbacks see the
    /// gradients and a non-finite loss throws <see cref="TrainingDivergedException"/>; outside (the
    /// learning-rate finder's probe steps) callbacks are skipped and a non-finite loss is returned
    /// without an update.
    /// </summary>
    internal double TrainBatch(Batch batch, bool inFit)
    {
        if (Optimizer is Lbfgs lbfgs) return TrainBatch(lbfgs, batch);
        Optimizer.ZeroGrad(SetGradientsToNone);
        var output = Model.Forward(batch.Inputs);
        var loss = Loss.Forward(output, batch.Targets);
        double value = loss.Item();
        if (!double.IsFinite(value))
        {
            if (inFit) throw new TrainingDivergedException(Epoch, Step, batch.Index + 1, Optimizer.LearningRate, value);
            return value;
        }
        if (inFit && Synchronizer is not null)
        {
            double scale = Synchronizer.LossScale(batch);
            (scale == 1 ? loss : loss * scale).Backward();
            Synchronizer.ReduceGradients(this);
        }
        else
        {
            loss.Backward();
        }
        if (inFit)
            foreach (var callback in _callbacks) callback.OnGradients(this);
        if (_clipGradValue is { } maxValue) GradientClipping.ClipGradValue(Optimizer.Parameters, maxValue);
        if (_clipGradNorm is { } maxNorm) GradientClipping.ClipGradNorm(Optimizer.Parameters, maxNorm);
        Optimizer.Step();
        CountBatch(batch, output, value);
        return value;
    }

    /// <summary>
    /// One L-BFGS step on <paramref name="batch"/>: the closure re-evaluates the loss and gradients as
    /// often as the line search needs; the first evaluation, before the parameters move, is the one the
    /// callbacks see and the epoch counts.
    /// </summary>
    private double TrainBatch(Lbfgs lbfgs, Batch batch)
    {
        bool first = true;
        double value = lbfgs.Step(() =>
        {
            Optimizer.ZeroGrad(SetGradientsToNone);
            var output = Model.Forward(batch.Inputs);
            var loss = Loss.Forward(output, batch.Targets);
            if (!first)
            {
                loss.Backward();
                return loss;
            }
            first = false;
            double initial = loss.Item();
            if (!double.IsFinite(initial)) throw new TrainingDivergedException(Epoch, Step, batch.Index + 1, Optimizer.LearningRate, initial);
            loss.Backward();
            foreach (var callback in _callbacks) callback.OnGradients(this);
            CountBatch(batch, output, initial);
            return loss;
        });
        return value;
    }

    /// <summary>Adds a trained batch, with the loss and output it had before its step, to the epoch's running loss and accuracy.</summary>
    private void CountBatch(Batch batch, Tensor output, double loss)
    {
        _epochLossSum += loss * batch.Count;
        _epochSamples += batch.Count;
        _epochHasAccuracy &= ClassificationAccuracy.Applies(output, batch.Targets);
        if (_epochHasAccuracy) _epochCorrect += ClassificationAccuracy.CountCorrect(output, batch.Targets);
    }
}
