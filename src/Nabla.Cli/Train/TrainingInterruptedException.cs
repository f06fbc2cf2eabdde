using System.Runtime.InteropServices;

namespace Nabla.Cli;

/// <summary>Training was stopped by a signal (<see cref="TrainingInterruption"/>); the process exits with 128 plus the signal's number, as shells expect.</summary>
/// <remarks>
/// With a checkpoint folder, the message says how to continue from the last finished epoch, or, when
/// the run was stopped before its first checkpoint, that there is nothing to resume yet: pointing the
/// user at --resume then would only lead to a second error.
/// </remarks>
/// <param name="signal">The signal that stopped the run.</param>
/// <param name="epoch">The epoch that was running.</param>
/// <param name="epochs">The epochs the run was to train.</param>
/// <param name="checkpointDirectory">The run's checkpoint folder, or null without checkpoints.</param>
/// <param name="checkpointSaved">Whether that folder holds a checkpoint of this run to continue from.</param>
internal sealed class TrainingInterruptedException(PosixSignal signal, int epoch, int epochs, string? checkpointDirectory, bool checkpointSaved)
    : Exception($"interrupted by {(signal == PosixSignal.SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM")} in epoch {epoch} of {epochs}; no model file was written"
        + (checkpointDirectory is null ? "."
            : checkpointSaved ? $"; the checkpoint in '{checkpointDirectory}' continues the run: give the same command with --resume."
            : $" and no checkpoint yet (the first is saved in '{checkpointDirectory}' at the end of epoch 1): give the same command to start again."))
{
    /// <summary>The exit code: 130 for SIGINT, 143 for SIGTERM.</summary>
    public int ExitCode { get; } = signal == PosixSignal.SIGINT ? 128 + 2 : 128 + 15;
}
