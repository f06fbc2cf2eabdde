namespace Nabla.Training;

/// <summary>
/// Hooks into <see cref="Trainer.Fit(DataLoader, int, DataLoader?)"/>, as Keras callbacks: each
/// method is called at its point of the loop with the trainer, whose state (<see cref="Trainer.Epoch"/>,
/// <see cref="Trainer.Step"/>, <see cref="Trainer.History"/>, the model and the optimizer) it may read,
/// and which it may stop with <see cref="Trainer.StopTraining"/>. Every method does nothing unless implemented.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Before the first epoch.</summary>
    void OnTrainBegin(Trainer trainer) { }

    /// <summary>Before epoch <see cref="Trainer.Epoch"/> (from 1) starts.</summary>
    void OnEpochBegin(Trainer trainer) { }

    /// <summary>
    /// After a batch's backward pass, before gradient clipping and the optimizer step: the gradients
    /// are in the parameters' <see cref="Tensor.Grad"/>.
    /// </summary>
    void OnGradients(Trainer trainer) { }

    /// <summary>After a batch's optimizer step; <see cref="Trainer.BatchLoss"/> holds its loss.</summary>
    void OnBatchEnd(Trainer trainer, Batch batch) { }

    /// <summary>After an epoch and its validation; <paramref name="epoch"/> is already in <see cref="Trainer.History"/>.</summary>
    void OnEpochEnd(Trainer trainer, EpochResult epoch) { }

    /// <summary>After the last epoch, or after a callback stopped training (not after an exception).</summary>
    void OnTrainEnd(Trainer trainer) { }
}
