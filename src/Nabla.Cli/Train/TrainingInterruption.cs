using System.Runtime.InteropServices;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// Stops training cleanly on Ctrl-C (SIGINT) or SIGTERM. Left to their default, these signals end the process
/// wherever it is, even halfway through writing a checkpoint, which leaves its temporary file behind. Here the
/// first signal only raises a flag, and training stops at the end of the current batch, never during a write:
/// no model file is written, the last checkpoint stays whole. A second signal ends the process at once, for a
/// user who will not wait for the batch.
/// </summary>
internal sealed class TrainingInterruption : ITrainingCallback, IDisposable
{
    private readonly string? _checkpointDirectory;
    private readonly PosixSignalRegistration[] _registrations;
    private PosixSignal? _signal;

    /// <param name="checkpointDirectory">Where the run's checkpoints go, named in the message so the user can resume; null without checkpoints.</param>
    public TrainingInterruption(string? checkpointDirectory)
    {
        _checkpointDirectory = checkpointDirectory;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = _signal is null;
        _signal ??= context.Signal;
    }

    /// <inheritdoc/>
    /// <exception cref="TrainingInterruptedException">A signal arrived since the last batch.</exception>
    public void OnBatchEnd(Trainer trainer, Batch batch)
    {
        if (_signal is { } signal)
        {
            // A resumed run has its checkpoint from the start; a new one only after its first epoch.
            bool saved = _checkpointDirectory is { } directory && File.Exists(Path.Combine(directory, CheckpointCallback.FileName));
            throw new TrainingInterruptedException(signal, trainer.Epoch, trainer.Epochs, _checkpointDirectory, saved);
        }
    }

    /// <summary>Gives the signals back their default effect.</summary>
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
