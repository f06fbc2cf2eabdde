using System.Text;

namespace Nabla.Cli;

/// <summary>
/// The words an option accepts for an enum's values: each name in snake_case (<c>LeakyRelu</c> is
/// <c>leaky_relu</c>), so the command line and its error messages use one spelling.
/// </summary>
internal static class OptionWords
{
    /// <summary>The word for <paramref name="value"/>.</summary>
    public static string Of<T>(T value) where T : struct, Enum
    {
        string name = value.ToString();
        var word = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) word.Append('_');
            word.Append(char.ToLowerInvariant(name[i]));
        }
        return word.ToString();
    }

    /// <summary>Every accepted word, separated by '|', as the help shows them.</summary>
    public static string All<T>() where T : struct, Enum => string.Join('|', Enum.GetValues<T>().Select(Of));

    /// <summary>The value whose word is <paramref name="text"/> (case-insensitive).</summary>
    /// <exception cref="CommandInputException">No value has that word; the message names the option, the word and the choices.</exception>
    public static T Parse<T>(string option, string text) where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
            if (string.Equals(Of(value), text.Trim(), StringComparison.OrdinalIgnoreCase))
                return value;
        throw new CommandInputException($"{option} must be one of {string.Join(", ", Enum.GetValues<T>().Select(Of))}; got '{text}'.");
    }
}
