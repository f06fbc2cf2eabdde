namespace Nabla.Cli;

/// <summary>
/// A value the user gave is well-formed but not acceptable (a learning rate of zero, say). The
/// message is shown as it is, on one line, so it names the option and the value.
/// </summary>
internal sealed class CommandInputException(string message) : Exception(message);
