using System.Globalization;
using System.Text;

namespace Nabla.Cli;

/// <summary>
/// Text from files and options made safe to show on a terminal. Class labels, column names, cells and
/// paths come from whoever wrote the file; written raw, an escape sequence among them (ESC ] 0; … BEL
/// sets the window title, ESC [ 31 m colours what follows, others move the cursor or rewrite lines)
/// would act on the user's terminal, and bidirectional overrides would make the text read other than
/// it is. Such characters are shown as escapes instead (<c>\x1b</c>, <c>\u202e</c>); everything else
/// is left as it is. Data outputs (CSV, JSON) keep them, quoted or escaped as their formats require.
/// </summary>
internal static class TerminalText
{
    /// <summary><paramref name="text"/> with every control and direction-override character shown as an escape.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(NeedsEscape)) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text) Append(escaped, c);
        return escaped.ToString();
    }

    /// <summary>Appends <paramref name="c"/>, or its escape if it is one to show as such.</summary>
    public static void Append(StringBuilder text, char c)
    {
        if (!NeedsEscape(c)) text.Append(c);
        else if (c == '\t') text.Append(@"\t");
        else if (c == '\r') text.Append(@"\r");
        else if (c == '\n') text.Append(@"\n");
        else if (c <= 0xFF) text.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
        else text.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// C0 and C1 controls (ESC, BEL, CSI…), DEL, and the characters that reorder text (the bidirectional
    /// embeddings, overrides and isolates, and the marks).
    /// </summary>
    public static bool NeedsEscape(char c) =>
        c < 0x20 || c is >= '\x7f' and <= '\x9f' || c is '\u200e' or '\u200f' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
}
