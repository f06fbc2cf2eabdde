using System.Text;

namespace Nabla.Cli;

/// <summary>
/// A writer for the text a command shows people (summaries, tables, messages): what passes through it
/// is <see cref="TerminalText.Escape">escaped</see> except its own line breaks, so a value from a file
/// cannot act on the terminal. Data outputs (CSV, JSON) are not written through it.
/// </summary>
internal sealed class TerminalWriter(TextWriter inner) : TextWriter
{
    /// <summary>Standard output, for text shown to people.</summary>
    public static TerminalWriter Out => new(Console.Out);

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (value == '\n' || !TerminalText.NeedsEscape(value)) inner.Write(value);
        else
        {
            var escaped = new StringBuilder(6);
            TerminalText.Append(escaped, value);
            inner.Write(escaped.ToString());
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        // The line break the base class writes after a line, "\r\n" on Windows.
        inner.Write(value == NewLine ? value : EscapeKeepingLines(value));
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value)
    {
        Write(value);
        inner.WriteLine();
    }

    public override void WriteLine() => inner.WriteLine();

    public override void Flush() => inner.Flush();

    private static string EscapeKeepingLines(string value) =>
        value.Contains('\n') ? string.Join('\n', value.Split('\n').Select(TerminalText.Escape)) : TerminalText.Escape(value);
}
