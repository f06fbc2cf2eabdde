using System.Text;

namespace Nabla.Cli;

/// <summary>
/// The words an option accepts and the library value each stands for, so that the command parses
/// straight into the library's own types and shows and writes back one spelling.
/// </summary>
/// <typeparam name="T">The library type the option chooses (an enum, or a nullable one where a word means "decide for me").</typeparam>
internal sealed class OptionChoices<T>
{
    private readonly (string Word, T Value)[] _choices;

    /// <summary>The choices, in the order help and error messages list them.</summary>
    public OptionChoices(params (string Word, T Value)[] choices) => _choices = choices;

    /// <summary>Every word, separated by '|', as the help shows them.</summary>
    public string Help => string.Join('|', _choices.Select(choice => choice.Word));

    /// <summary>The word for <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No choice stands for the value.</exception>
    public string WordOf(T value)
    {
        foreach (var (word, choice) in _choices)
            if (EqualityComparer<T>.Default.Equals(choice, value)) return word;
        throw new ArgumentOutOfRangeException(nameof(value), value, "no option word stands for this value.");
    }

    /// <summary>The value whose word is <paramref name="text"/> (case-insensitive, spaces around ignored).</summary>
    /// <exception cref="CommandInputException">No choice has that word; the message names the option, the word and the choices.</exception>
    public T Parse(string option, string text)
    {
        foreach (var (word, value) in _choices)
            if (string.Equals(word, text.Trim(), StringComparison.OrdinalIgnoreCase)) return value;
        throw new CommandInputException($"{option} must be one of {string.Join(", ", _choices.Select(choice => choice.Word))}; got '{text}'.");
    }
}

/// <summary>Builds <see cref="OptionChoices{T}"/>.</summary>
internal static class OptionChoices
{
    /// <summary>Every value of <typeparamref name="T"/>, each by its name in snake_case (<c>LeakyRelu</c> is <c>leaky_relu</c>).</summary>
    public static OptionChoices<T> ForEnum<T>() where T : struct, Enum =>
        new([.. Enum.GetValues<T>().Select(value => (SnakeCase(value.ToString()), value))]);

    private static string SnakeCase(string name)
    {
        var word = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) word.Append('_');
            word.Append(char.ToLowerInvariant(name[i]));
        }
        return word.ToString();
    }
}
