namespace Nabla.Text;

/// <summary>The settings of a <see cref="WordTokenizer"/>.</summary>
/// <param name="Lowercase">Lower-case every token with the invariant culture's simple case mapping (on by default).</param>
/// <param name="KeepPunctuation">
/// Emit each punctuation mark and symbol (Unicode categories P* and S*, emoji included) as a token of
/// its own; by default they only separate words and are dropped.
/// </param>
/// <param name="KeepApostrophes">
/// Keep an apostrophe (' or ’, written as ') between two letters or digits inside the word, so
/// "don't" is one token; when false it separates words ("don", "t").
/// </param>
/// <param name="MinTokenLength">Drop words shorter than this many Unicode scalar values (punctuation tokens are always kept when asked for).</param>
public sealed record TokenizerOptions(bool Lowercase = true, bool KeepPunctuation = false, bool KeepApostrophes = true, int MinTokenLength = 1)
{
    /// <summary>The defaults: lower-cased words, punctuation dropped, apostrophes kept inside words, no minimum length.</summary>
    public static TokenizerOptions Default { get; } = new();

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MinTokenLength"/> is below 1.</exception>
    internal TokenizerOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinTokenLength, 1, nameof(MinTokenLength));
        return this;
    }
}
