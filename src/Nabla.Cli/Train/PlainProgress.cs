using Nabla.Training;

namespace Nabla.Cli;

/// <summary>Progress for a pipe or a log file: one line per finished epoch, nothing that redraws.</summary>
internal sealed class PlainProgress(TextWriter writer) : ITrainingCallback
{
    /// <inheritdoc/>
    public void OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        writer.WriteLine(EpochLine.Format(epoch, trainer.Epochs));
        writer.Flush();
    }
}
