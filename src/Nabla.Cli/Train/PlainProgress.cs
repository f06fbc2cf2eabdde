using Nabla.Training;

namespace Nabla.Cli;

/// <summary>Progress for a pipe or a log file: one line per finished epoch, nothing that redraws.</summary>
internal sealed class PlainProgress(TextWriter writer, EpochLine line) : ITrainingCallback
{
    /// <inheritdoc/>
    public void OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        writer.WriteLine(line.Format(epoch));
        writer.Flush();
    }
}
