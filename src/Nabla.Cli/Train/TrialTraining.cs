using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// A network trained as one trial of a search (<see cref="TrainJob.Score"/>): after each epoch its result goes to
/// <paramref name="epochEnded"/> (where <c>nabla tune</c> reports the learning curve, and its pruner may stop the
/// trial by throwing), and after each batch training stops once <paramref name="stop"/> is cancelled.
/// </summary>
/// <param name="stop">Cancelled when the trial must end now: its time budget is spent, or the user pressed Ctrl-C twice.</param>
/// <param name="epochEnded">Called with each epoch's result, or null.</param>
internal sealed class TrialTraining(CancellationToken stop, Action<EpochResult>? epochEnded) : ITrainingCallback
{
    /// <summary>Cancelled when the trial must end now.</summary>
    public CancellationToken Stop => stop;

    /// <inheritdoc/>
    public void OnBatchEnd(Trainer trainer, Batch batch) => stop.ThrowIfCancellationRequested();

    /// <inheritdoc/>
    public void OnEpochEnd(Trainer trainer, EpochResult epoch) => epochEnded?.Invoke(epoch);
}
