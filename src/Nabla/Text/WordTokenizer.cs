using System.Globalization;
using System.Text;

namespace Nabla.Text;

/// <summary>
/// Splits text into words: maximal runs of letters and digits (Unicode categories L* and N*), with
/// the combining marks (M*) that follow a letter or digit kept inside the word, so "Café déjà-vu"
/// gives "café", "déjà", "vu". Punctuation and symbols (P*, S*) are dropped or kept as one-character
/// tokens (<see cref="TokenizerOptions.KeepPunctuation"/>); everything else (spaces, control
/// characters, a mark that follows no letter) separates words. Format characters (Cf: soft hyphen,
/// zero-width joiner) are skipped without ending a word.
/// </summary>
/// <remarks>
/// A single left-to-right scan over Unicode scalar values (<see cref="Rune"/>), so characters outside
/// the Basic Multilingual Plane (𠀀, 𝒳, emoji) are never split into halves; a lone surrogate reads as
/// U+FFFD, a symbol. Lower-casing maps each scalar value on its own with the invariant culture.
/// Scripts written without spaces (Chinese, Japanese) come out as one token per run of letters:
/// there is no dictionary segmentation; <see cref="CharNGramTokenizer"/> gives such runs subwords.
/// </remarks>
/// <example>
/// <code>
/// var tokens = new WordTokenizer().Tokenize("Don't panic: 42 Café déjà-vu!");
/// // ["don't", "panic", "42", "café", "déjà", "vu"]
/// </code>
/// </example>
public sealed class WordTokenizer : ITokenizer
{
    /// <summary>Creates a tokenizer with <paramref name="options"/>, or <see cref="TokenizerOptions.Default"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (named).</exception>
    public WordTokenizer(TokenizerOptions? options = null) => Options = (options ?? TokenizerOptions.Default).Validated();

    /// <summary>The settings this tokenizer applies.</summary>
    public TokenizerOptions Options { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var word = new StringBuilder();
        int wordLength = 0;
        for (int i = 0; i < text.Length;)
        {
            Rune rune = RuneAt(text, i, out int width);
            i += width;
            var category = Rune.GetUnicodeCategory(rune);
            if (IsWordPart(category) || (IsMark(category) && wordLength > 0))
            {
                Append(word, rune);
                wordLength++;
            }
            else if (category == UnicodeCategory.Format)
            {
                // Invisible (soft hyphen, zero-width joiner): neither part of a token nor a break.
            }
            else if (wordLength > 0 && Options.KeepApostrophes && IsApostrophe(rune) && i < text.Length && IsWordPart(Rune.GetUnicodeCategory(RuneAt(text, i, out _))))
            {
                word.Append('\'');
                wordLength++;
            }
            else
            {
                EndWord(tokens, word, ref wordLength);
                if (Options.KeepPunctuation && IsPunctuation(category))
                    tokens.Add(Append(new StringBuilder(2), rune).ToString());
            }
        }
        EndWord(tokens, word, ref wordLength);
        return tokens;
    }

    private void EndWord(List<string> tokens, StringBuilder word, ref int wordLength)
    {
        if (wordLength >= Options.MinTokenLength) tokens.Add(word.ToString());
        word.Clear();
        wordLength = 0;
    }

    private StringBuilder Append(StringBuilder builder, Rune rune)
    {
        Span<char> units = stackalloc char[2];
        int count = (Options.Lowercase ? Rune.ToLowerInvariant(rune) : rune).EncodeToUtf16(units);
        return builder.Append(units[..count]);
    }

    /// <summary>The scalar value at <paramref name="index"/> and how many UTF-16 units it takes; U+FFFD for a lone surrogate.</summary>
    private static Rune RuneAt(string text, int index, out int width)
    {
        Rune.DecodeFromUtf16(text.AsSpan(index), out Rune rune, out width);
        return rune;
    }

    private static bool IsApostrophe(Rune rune) => rune.Value is '\'' or '\u2019';

    private static bool IsWordPart(UnicodeCategory category) => category is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or
        UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    private static bool IsMark(UnicodeCategory category) => category is
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static bool IsPunctuation(UnicodeCategory category) => category is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or
        UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or
        UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or
        UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol;
}
