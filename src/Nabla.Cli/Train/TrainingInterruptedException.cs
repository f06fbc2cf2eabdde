using System.Runtime.InteropServices;

namespace Nabla.Cli;

/// <summary>Training was stopped by a signal (<see cref="TrainingInterruption"/>); the process exits with 128 plus the signal's number, as shells expect.</summary>
/// <remarks>With a checkpoint folder, the message says how to continue from the last finished epoch.</remarks>
internal sealed class TrainingInterruptedException(PosixSignal signal, int epoch, int epochs, string? checkpointDirectory)
    : Exception($"interrupted by {(signal == PosixSignal.SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM")} in epoch {epoch} of {epochs}; no model file was written"
        + (checkpointDirectory is null ? "." : $"; the checkpoint in '{checkpointDirectory}' continues the run: give the same command with --resume."))
{
    /// <summary>The exit code: 130 for SIGINT, 143 for SIGTERM.</summary>
    public int ExitCode { get; } = signal == PosixSignal.SIGINT ? 128 + 2 : 128 + 15;
}
