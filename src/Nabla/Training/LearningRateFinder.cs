using Nabla.Optim;

namespace Nabla.Training;

/// <summary>
/// Leslie Smith's learning-rate range test, as fastai's <c>lr_find</c>: trains for a short run while
/// the learning rate grows exponentially from <see cref="StartLearningRate"/> to
/// <see cref="EndLearningRate"/>, records the (smoothed) loss against the rate, stops once the loss
/// explodes, and suggests the rate where the loss falls fastest. Afterwards the model, the optimizer
/// (state and learning rate) and the data loader's shuffling are put back as they were, so the real
/// training run starts from the same point.
/// </summary>
/// <example>
/// <code>
/// var found = new LearningRateFinder().Run(trainer, loader);
/// trainer.Optimizer.LearningRate = found.SuggestedLearningRate;
/// </code>
/// </example>
public sealed class LearningRateFinder
{
    /// <summary>The first learning rate tried (&gt; 0).</summary>
    public double StartLearningRate { get; init; } = 1e-7;

    /// <summary>The last learning rate tried (&gt; <see cref="StartLearningRate"/>).</summary>
    public double EndLearningRate { get; init; } = 10;

    /// <summary>The number of steps, one batch each (≥ 5); the loader is reread when it runs out.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>The weight of each new loss in the exponential moving average, in (0, 1]; 1 means no smoothing.</summary>
    public double Smoothing { get; init; } = 0.05;

    /// <summary>The run stops when the smoothed loss exceeds this multiple of the lowest so far (&gt; 1).</summary>
    public double DivergenceFactor { get; init; } = 5;

    /// <summary>Runs the test with <paramref name="trainer"/>'s model, loss, optimizer and clipping over <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException">The trainer's optimizer is <see cref="Lbfgs"/>, which has no learning rate to sweep.</exception>
    public LearningRateFinderResult Run(Trainer trainer, DataLoader data)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(data);
        CheckSettings();
        if (trainer.Optimizer is Lbfgs)
            throw new ArgumentException("LearningRateFinder: Lbfgs chooses its own step lengths (a line search, or its scaled quasi-Newton step), so there is no learning rate to sweep; use a first-order optimizer such as Sgd or Adam.", nameof(trainer));
        var model = trainer.Model;
        var optimizer = trainer.Optimizer;
        var savedModel = ModelSnapshot.Take(model);
        var savedOptimizer = optimizer.StateDict();
        var savedShuffle = data.Generator.GetState();
        // Each shuffle permutes the loader's last order further, so the order is put back with the generator.
        var savedOrder = data.Order;
        bool wasTraining = model.IsTraining;

        var rates = new List<double>(Steps);
        var losses = new List<double>(Steps);
        var smoothed = new List<double>(Steps);
        bool stoppedEarly = false;
        double best = double.PositiveInfinity, ratio = EndLearningRate / StartLearningRate;
        try
        {
            model.Train();
            while (rates.Count < Steps && !stoppedEarly)
            {
                foreach (var batch in data)
                {
                    double rate = StartLearningRate * Math.Pow(ratio, (double)rates.Count / (Steps - 1));
                    optimizer.LearningRate = rate;
                    double loss = trainer.TrainBatch(batch, inFit: false);
                    double average = smoothed.Count == 0 ? loss : Smoothing * loss + (1 - Smoothing) * smoothed[^1];
                    rates.Add(rate);
                    losses.Add(loss);
                    smoothed.Add(average);
                    best = Math.Min(best, average);
                    if (!double.IsFinite(average) || average > DivergenceFactor * best) stoppedEarly = true;
                    if (stoppedEarly || rates.Count == Steps) break;
                }
            }
        }
        finally
        {
            model.LoadStateDict(savedModel);
            optimizer.LoadStateDict(savedOptimizer);
            optimizer.ZeroGrad();
            data.Generator.SetState(savedShuffle);
            data.RestoreOrder(savedOrder, "searched");
            if (wasTraining) model.Train();
            else model.Eval();
        }
        return new LearningRateFinderResult(rates, losses, smoothed, Suggest(rates, smoothed), stoppedEarly);
    }

    /// <summary>
    /// The rate where the smoothed loss has its steepest (most negative) slope against log(rate),
    /// between the first tenth of the run (where the average is still warming up) and the lowest loss.
    /// </summary>
    private static double Suggest(List<double> rates, List<double> smoothed)
    {
        int lowest = 0;
        for (int i = 1; i < smoothed.Count; i++)
            if (smoothed[i] < smoothed[lowest]) lowest = i;
        int from = Math.Max(1, smoothed.Count / 10);
        // Too few points before the minimum to read a slope: an order of magnitude below the minimum is the usual rule.
        if (lowest - from < 2) return rates[lowest] / 10;
        int steepest = from;
        double steepestSlope = double.PositiveInfinity;
        for (int i = from; i < lowest; i++)
        {
            // Central difference; the rates are evenly spaced in log, so the index stands for log(rate).
            double slope = smoothed[i + 1] - smoothed[i - 1];
            if (slope < steepestSlope) (steepest, steepestSlope) = (i, slope);
        }
        return rates[steepest];
    }

    private void CheckSettings()
    {
        if (!(StartLearningRate > 0 && double.IsFinite(StartLearningRate)))
            throw new ArgumentOutOfRangeException(nameof(StartLearningRate), StartLearningRate, $"LearningRateFinder: the start learning rate must be positive and finite, got {StartLearningRate}.");
        if (!(EndLearningRate > StartLearningRate && double.IsFinite(EndLearningRate)))
            throw new ArgumentOutOfRangeException(nameof(EndLearningRate), EndLearningRate, $"LearningRateFinder: the end learning rate must be finite and above the start ({StartLearningRate}), got {EndLearningRate}.");
        if (Steps < 5)
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, $"LearningRateFinder: the run needs at least 5 steps, got {Steps}.");
        if (!(Smoothing > 0 && Smoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(Smoothing), Smoothing, $"LearningRateFinder: the smoothing weight must be in (0, 1], got {Smoothing}.");
        if (!(DivergenceFactor > 1 && double.IsFinite(DivergenceFactor)))
            throw new ArgumentOutOfRangeException(nameof(DivergenceFactor), DivergenceFactor, $"LearningRateFinder: the divergence factor must be finite and above 1, got {DivergenceFactor}.");
    }
}
