namespace Nabla.Cli;

/// <summary>
/// A value the user gave is well-formed but not acceptable (a learning rate of zero, say). The
/// message is shown as it is, on one line, so it names the option and the value.
/// </summary>
/// <param name="message">The message, naming the option and the value.</param>
/// <param name="exitCode">The process's exit code: <see cref="ExitCodes.Failure"/>, or <see cref="ExitCodes.Usage"/> for options that ask for more memory than the limit.</param>
internal sealed class CommandInputException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
