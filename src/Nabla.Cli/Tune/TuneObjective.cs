using Nabla.Data;
using Nabla.Selection;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// Scores one trial of a <see cref="TuneFamily"/>: the settings of <c>nabla train</c> with the trial's values, trained on each
/// fold's training rows and scored by the metric on its held-out rows, through the same pipeline as <c>nabla evaluate</c>;
/// the score is the mean over the folds, with their standard deviation. The test rows are never touched.
/// </summary>
/// <remarks>
/// A network's budget is its epochs: its learning curve on the first fold (the validation rows <c>nabla train</c> carves from
/// the training rows) is reported after each epoch, so the pruner can stop a hopeless trial. A linear model's budget is a share
/// of each fold's training rows, in percent. Several trials may run at once, each on its own thread.
/// </remarks>
internal sealed class TuneObjective
{
    /// <summary>A linear model's full budget: all of each fold's training rows, in percent.</summary>
    public const int FullRowShare = 100;

    private readonly TuneSettings _settings;
    private readonly TuneFamily _family;
    private readonly TrainingData _data;
    private readonly IReadOnlyList<Fold> _folds;
    private readonly TuneMetric _metric;
    private readonly CancellationToken _stop;
    private readonly TrialActivity _activity;

    /// <param name="settings">The tune job.</param>
    /// <param name="family">The model and space of this search.</param>
    /// <param name="data">The training rows (folded here) and the preprocessing; the test rows are not used.</param>
    /// <param name="folds">The folds of the training rows.</param>
    /// <param name="metric">The score to compare trials by.</param>
    /// <param name="stop">Cancelled when the running trials must end now: the time budget is spent, or Ctrl-C was pressed twice.</param>
    /// <param name="activity">Where the trials' time is measured.</param>
    public TuneObjective(TuneSettings settings, TuneFamily family, TrainingData data, IReadOnlyList<Fold> folds, TuneMetric metric, CancellationToken stop, TrialActivity activity)
    {
        (_settings, _family, _data, _metric, _stop, _activity) = (settings, family, data, metric, stop, activity);
        // A linear model's smaller budgets take the first rows of each fold's training rows, which come in the file's
        // order (often sorted by class): shuffled once here, so that every budget takes a random share, and a larger
        // budget the rows of the smaller ones and more.
        var generator = new Generator(settings.Base.Seed);
        _folds = [.. folds.Select(fold =>
        {
            int[] train = [.. fold.Train];
            generator.Shuffle<int>(train);
            return fold with { Train = train };
        })];
    }

    /// <summary>The settings of <c>nabla train</c> that a trial's values and budget stand for.</summary>
    public static TrainSettings SettingsFor(TuneSettings settings, TuneFamily family, TrialParameters parameters, int budget)
    {
        var trial = settings.Base with { Model = family.Model };
        trial = family.IsNetwork
            ? trial with { Epochs = budget }
            : trial with { Epochs = family.Model == ModelKind.Svm ? TrainOptions.DefaultSvmIterations : TrainOptions.DefaultLogisticIterations, Optimizer = null, LearningRate = null, BatchSize = null };
        foreach (string name in parameters.Names) trial = TuneParameter.Named(name)!.Apply(trial, parameters);
        return trial;
    }

    /// <summary>Trains and scores the trial on every fold.</summary>
    public TrialScore Run(Trial trial) => _activity.Run(() =>
    {
        var settings = SettingsFor(_settings, _family, trial.Parameters, trial.Budget);
        var scores = new double[_folds.Count];
        for (int i = 0; i < _folds.Count; i++)
        {
            _stop.ThrowIfCancellationRequested();
            // The first fold's learning curve is the one the pruner compares; the others only score.
            var training = new TrialTraining(_stop, i == 0 && _family.IsNetwork ? epoch => trial.Report(epoch.Epoch, CurveValue(epoch)) : null);
            scores[i] = TrainJob.Score(settings, FoldData(_folds[i], _family.IsNetwork ? FullRowShare : trial.Budget), training)[_metric.Key];
        }
        double mean = scores.Average();
        return new TrialScore(mean, Math.Sqrt(scores.Sum(score => (score - mean) * (score - mean)) / scores.Length));
    });

    /// <summary>
    /// The value of the learning curve in the metric's direction: the validation accuracy when greater is better for classes;
    /// otherwise the validation loss, negated when greater is better (R²) — only its order among trials matters to the pruner.
    /// </summary>
    /// <summary>What <see cref="CurveValue"/> is, in words, for the run log's settings.</summary>
    public static string CurveName(TrainingData data, TuneMetric metric) =>
        data.Task == ModelTask.Classification && metric.IsGreaterBetter ? "validation accuracy"
        : metric.IsGreaterBetter ? "validation loss, negated"
        : "validation loss";

    private double CurveValue(EpochResult epoch)
    {
        if (_data.Task == ModelTask.Classification && _metric.IsGreaterBetter && epoch.ValidationAccuracy is { } accuracy) return accuracy;
        double loss = epoch.ValidationLoss ?? epoch.Loss;
        return _metric.IsGreaterBetter ? -loss : loss;
    }

    /// <summary>The data of a fold: its training rows (the first <paramref name="share"/> percent of them, shuffled) as training rows, its held-out rows as test rows.</summary>
    private TrainingData FoldData(Fold fold, int share)
    {
        int count = Math.Max(1, (int)Math.Ceiling(fold.Train.Length * (share / (double)FullRowShare)));
        var train = Tensor.FromArray(fold.Train[..count]);
        var test = Tensor.FromArray(fold.Test);
        return _data with
        {
            XTrain = _data.XTrain.IndexSelect(0, train),
            YTrain = _data.YTrain.IndexSelect(0, train),
            XTest = _data.XTrain.IndexSelect(0, test),
            YTest = _data.YTrain.IndexSelect(0, test),
        };
    }
}
