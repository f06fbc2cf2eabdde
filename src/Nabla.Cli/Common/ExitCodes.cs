namespace Nabla.Cli;

/// <summary>The process exit codes of the <c>nabla</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Bad input (an option's value, a data file) or a failure while running; one line on standard error says which.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself could not be parsed (an unknown command or option, a missing or malformed value), or its options ask for a network larger than <c>--memory-limit</c>.</summary>
    public const int Usage = 2;
}
