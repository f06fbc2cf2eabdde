using System.Buffers;
using System.Text;
using CsCheck;
using Nabla.Text;

namespace Nabla.Tests.Text;

/// <summary>What must hold for every text, on arbitrary strings (lone surrogates included) and on mixes of the awkward characters.</summary>
public class TokenizerPropertyTests
{
    /// <summary>Letters with and without case, marks, apostrophes, spaces, symbols, format characters, pairs and a lone surrogate.</summary>
    private static readonly Gen<string> s_awkwardText = Gen.OneOf(
            "a", "Z", "É", "ß", "İ", "\u0301", "'", "’", " ", "\t", "-", ",", "😀", "\U00010400", "\U00020000", "東", "\u00AD", "\u200D", "\uD800", "\uDC00", "7", "²", "Σ")
        .Array[0, 24].Select(string.Concat);

    private static readonly Gen<string> s_anyText = Gen.OneOf(Gen.String, s_awkwardText);

    [Fact]
    public void WordTokensAreNonEmptyLowerCaseWellFormedAndStableUnderRetokenizing()
    {
        var tokenizer = new WordTokenizer();
        s_anyText.Sample(text =>
        {
            var tokens = tokenizer.Tokenize(text);
            foreach (string token in tokens)
            {
                Assert.NotEmpty(token);
                Assert.True(IsWellFormed(token), $"'{token}' splits a surrogate pair");
                Assert.True(token.EnumerateRunes().All(r => Rune.ToLowerInvariant(r) == r), $"'{token}' is not lower-case");
                Assert.DoesNotContain(token.EnumerateRunes(), r => Rune.IsWhiteSpace(r));
            }
            Assert.Equal(tokens, tokenizer.Tokenize(string.Join(" ", tokens)));
        });
    }

    [Fact]
    public void KeptPunctuationTokensAreSingleCharacters()
    {
        var tokenizer = new WordTokenizer(new TokenizerOptions(KeepPunctuation: true, KeepApostrophes: false));
        var words = new WordTokenizer(new TokenizerOptions(KeepApostrophes: false));
        s_anyText.Sample(text =>
        {
            var tokens = tokenizer.Tokenize(text);
            // Dropping the one-character symbol tokens leaves the words of the punctuation-dropping tokenizer.
            var letters = tokens.Where(t => t.EnumerateRunes().Any(r => Rune.IsLetter(r) || Rune.IsNumber(r))).ToList();
            Assert.Equal(words.Tokenize(text), letters);
            Assert.All(tokens.Except(letters), t => Assert.Single(t.EnumerateRunes()));
        });
    }

    [Fact]
    public void CharNGramsHaveLengthsInRangeAndNeverSplitACharacter()
    {
        var tokenizer = new CharNGramTokenizer(2, 4, includeWords: false);
        var words = new WordTokenizer();
        s_anyText.Sample(text =>
        {
            var ngrams = tokenizer.Tokenize(text);
            foreach (string ngram in ngrams)
            {
                Assert.True(IsWellFormed(ngram), $"'{ngram}' splits a surrogate pair");
                Assert.InRange(ngram.EnumerateRunes().Count(), 2, 4);
            }
            // A word of k characters, marked k + 2, has (k + 3 - n) n-grams for each n up to k + 2.
            int expected = words.Tokenize(text).Sum(w => Enumerable.Range(2, 3).Sum(n => Math.Max(0, w.EnumerateRunes().Count() + 3 - n)));
            Assert.Equal(expected, ngrams.Count);
        });
    }

    private static bool IsWellFormed(string text)
    {
        for (int i = 0, used; i < text.Length; i += used)
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out _, out used) != OperationStatus.Done) return false;
        return true;
    }
}
