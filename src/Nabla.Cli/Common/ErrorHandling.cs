namespace Nabla.Cli;

/// <summary>
/// Turns a failure inside a command into one line on standard error and exit code 1 (or the code the
/// exception carries: 2 for options asking for more memory than the limit, 130 or 143 for a signal); the stack
/// trace is shown only with <c>--verbose</c>, since users need the message, not our internals.
/// </summary>
internal static class ErrorHandling
{
    public static int Run(bool verbose, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            return Report(e, verbose, "");
        }
    }

    /// <summary>Writes the one line for <paramref name="e"/> (after <paramref name="where"/>, such as "rank 2 of 4: ") and returns its exit code.</summary>
    public static int Report(Exception e, bool verbose, string where)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"error: {where}{TerminalText.Escape(OneLine(MessageOf(e)))}");
        if (verbose && e is not (CommandInputException or TrainingInterruptedException)) Console.Error.WriteLine(e);
        return e switch
        {
            TrainingInterruptedException interrupted => interrupted.ExitCode,
            CommandInputException input => input.ExitCode,
            _ => ExitCodes.Failure,
        };
    }

    /// <summary>
    /// The message without the "(Parameter 'name')" that <see cref="ArgumentException"/> appends: it
    /// names a variable of our code, which means nothing to the user the message speaks to.
    /// </summary>
    public static string MessageOf(Exception e) =>
        e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;

    /// <summary>Library messages are single sentences, but a nested message could carry line breaks.</summary>
    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
