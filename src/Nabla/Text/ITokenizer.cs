namespace Nabla.Text;

/// <summary>Splits a text into tokens (words, punctuation, subwords): the first step of every text model.</summary>
/// <remarks>Implementations are deterministic and culture-independent: the same text gives the same tokens on every machine.</remarks>
public interface ITokenizer
{
    /// <summary>The tokens of <paramref name="text"/> in reading order; none for empty or whitespace-only text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    IReadOnlyList<string> Tokenize(string text);
}
