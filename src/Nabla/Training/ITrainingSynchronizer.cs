namespace Nabla.Training;

/// <summary>
/// Lets several copies of a <see cref="Trainer"/>, one a process (rank), train one model together, as
/// data-parallel training does: the <see cref="Trainer"/> calls it at the few points where the ranks
/// must agree, and the implementation (<c>Nabla.Distributed.DistributedDataParallel</c>) exchanges
/// numbers between them. Set it on <see cref="Trainer.Synchronizer"/>.
/// </summary>
/// <remarks>
/// Every call is collective: every rank makes the same calls in the same order, so the trainers must
/// be built alike (model, optimizer, loaders, callbacks) on every rank.
/// </remarks>
public interface ITrainingSynchronizer
{
    /// <summary>
    /// Before a fit or a resumed fit trains its first epoch (after a checkpoint is restored): the
    /// implementation checks that every rank was set up alike, makes the ranks' models equal, and
    /// gives each loader its share of the data.
    /// </summary>
    /// <param name="trainer">The trainer about to train.</param>
    /// <param name="train">The training data, the same global data set on every rank.</param>
    /// <param name="validation">The validation data, or null.</param>
    void OnTrainBegin(Trainer trainer, DataLoader train, DataLoader? validation);

    /// <summary>
    /// The factor this rank's batch loss is multiplied by before its backward pass, so that the
    /// gradients summed over the ranks are those of the loss of the whole global batch.
    /// </summary>
    /// <param name="batch">This rank's share of a global batch.</param>
    double LossScale(Batch batch);

    /// <summary>
    /// After the backward pass and before clipping and the optimizer step: replaces each
    /// parameter's gradient by its sum over the ranks (a missing gradient counts as zero).
    /// </summary>
    /// <param name="trainer">The trainer whose optimizer's parameters hold this rank's gradients.</param>
    void ReduceGradients(Trainer trainer);

    /// <summary>Replaces each of <paramref name="sums"/> by its sum over the ranks (an epoch's loss sums and sample counts).</summary>
    void ReduceSums(Span<double> sums);
}
