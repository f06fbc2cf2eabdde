namespace Nabla.Training;

/// <summary>
/// Reports training progress to an <see cref="IProgress{T}"/> (a progress bar, a log): after every
/// <see cref="Interval"/>-th batch and at the end of each epoch, with the epoch's record.
/// </summary>
/// <remarks>
/// <see cref="IProgress{T}.Report"/> is called on the training thread; a <see cref="Progress{T}"/>
/// created on a UI thread posts the reports to it.
/// </remarks>
public sealed class ProgressReporter : ITrainingCallback
{
    private readonly IProgress<TrainingProgress> _progress;

    /// <summary>Creates the reporter.</summary>
    /// <param name="progress">Where the reports go.</param>
    /// <param name="interval">Report after every this many batches (≥ 1); the end of each epoch is always reported.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public ProgressReporter(IProgress<TrainingProgress> progress, int interval = 1)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (interval < 1)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, $"ProgressReporter: the reporting interval must be at least 1 batch, got {interval}.");
        _progress = progress;
        Interval = interval;
    }

    /// <summary>How many batches pass between per-batch reports.</summary>
    public int Interval { get; }

    void ITrainingCallback.OnBatchEnd(Trainer trainer, Batch batch)
    {
        int done = batch.Index + 1;
        if (done % Interval == 0 && done < trainer.BatchCount)
            _progress.Report(new TrainingProgress(trainer.Epoch, trainer.Epochs, done, trainer.BatchCount, trainer.RunningLoss, null));
    }

    void ITrainingCallback.OnEpochEnd(Trainer trainer, EpochResult epoch) =>
        _progress.Report(new TrainingProgress(epoch.Epoch, trainer.Epochs, trainer.BatchCount, trainer.BatchCount, epoch.Loss, epoch));
}
