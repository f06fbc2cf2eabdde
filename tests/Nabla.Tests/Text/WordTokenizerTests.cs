using System.Globalization;
using Nabla.Text;

namespace Nabla.Tests.Text;

public class WordTokenizerTests
{
    private static string[] Tokens(string text, TokenizerOptions? options = null) => [.. new WordTokenizer(options).Tokenize(text)];

    [Fact]
    public void AccentedWordsStayWholeAndHyphensSeparate() =>
        Assert.Equal(["café", "déjà", "vu"], Tokens("Café déjà-vu"));

    [Fact]
    public void CombiningMarksStayInsideTheWordTheyFollow()
    {
        // "e" + U+0301 COMBINING ACUTE ACCENT; a mark that follows no letter starts nothing.
        Assert.Equal(["cafe\u0301", "abc"], Tokens("Cafe\u0301 \u0301abc"));
    }

    [Fact]
    public void DigitsAndOtherNumbersArePartOfWords() =>
        Assert.Equal(["version", "2", "0", "for", "x86", "64", "½", "m²", "٣٤"], Tokens("Version 2.0 for x86_64: ½ m² ٣٤"));

    [Fact]
    public void ScriptsWithoutSpacesGiveOneTokenPerRun() =>
        Assert.Equal(["東京タワー", "2024年", "한국어"], Tokens("東京タワー、2024年。한국어"));

    [Fact]
    public void CharactersBeyondTheBasicPlaneAreNeverSplit()
    {
        // Deseret capitals (U+10400, U+10401) lower-case to U+10428, U+10429; CJK Extension B is a letter without case.
        Assert.Equal(["\U00010428\U00010429", "\U00020000\U00020001"], Tokens("\U00010400\U00010401 \U00020000\U00020001"));
    }

    [Fact]
    public void EmojiAreSymbols()
    {
        Assert.Equal(["i", "pizza"], Tokens("I ❤️ 😀 pizza"));
        // U+FE0F (a variation selector, a mark) follows the heart, not a letter, so it is no token.
        Assert.Equal(["i", "❤", "😀", "pizza"], Tokens("I ❤️ 😀 pizza", new TokenizerOptions(KeepPunctuation: true)));
    }

    [Fact]
    public void ALoneSurrogateReadsAsAReplacementSymbol()
    {
        Assert.Equal(["ab", "cd"], Tokens("ab\uD800cd"));
        Assert.Equal(["ab", "\uFFFD", "cd"], Tokens("ab\uD800cd", new TokenizerOptions(KeepPunctuation: true)));
    }

    [Fact]
    public void PunctuationIsDroppedByDefaultOrKeptOneCharacterATime()
    {
        Assert.Equal(["hello", "world", "c"], Tokens("Hello, world! (C++)"));
        Assert.Equal(["hello", ",", "world", "!", "(", "c", "+", "+", ")"], Tokens("Hello, world! (C++)", new TokenizerOptions(KeepPunctuation: true)));
    }

    [Fact]
    public void ApostrophesBetweenLettersStayInTheWord()
    {
        const string text = "Don't stop O’Reilly's 'quoted' rock'n'roll dogs' toys";
        Assert.Equal(["don't", "stop", "o'reilly's", "quoted", "rock'n'roll", "dogs", "toys"], Tokens(text));
        Assert.Equal(["don", "t", "stop", "o", "reilly", "s", "quoted", "rock", "n", "roll", "dogs", "toys"],
            Tokens(text, new TokenizerOptions(KeepApostrophes: false)));
        Assert.Equal(["'", "it's", "'", "’"], Tokens("'it’s' ’", new TokenizerOptions(KeepPunctuation: true)));
    }

    [Fact]
    public void LowerCasingCanBeTurnedOff() =>
        Assert.Equal(["Hello", "WORLD", "Ünïcode"], Tokens("Hello WORLD Ünïcode", new TokenizerOptions(Lowercase: false)));

    [Fact]
    public void LowerCasingIgnoresTheCurrentCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // Turkish lower-cases I to dotless ı; the invariant culture gives i.
            CultureInfo.CurrentCulture = new CultureInfo("tr-TR");
            Assert.Equal("tıtle", "TITLE".ToLower(CultureInfo.CurrentCulture)); // the culture would change the result
            Assert.Equal(["title", "istanbul"], Tokens("TITLE Istanbul"));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void ShortWordsAreDroppedButPunctuationIsKept()
    {
        Assert.Equal(["bc", "ef"], Tokens("a bc d ef", new TokenizerOptions(MinTokenLength: 2)));
        Assert.Equal([",", "bc"], Tokens("a, bc", new TokenizerOptions(KeepPunctuation: true, MinTokenLength: 2)));
        // Length counts scalar values: one character beyond the Basic Plane is one, not two.
        Assert.Equal([], Tokens("\U00020000", new TokenizerOptions(MinTokenLength: 2)));
    }

    [Fact]
    public void FormatCharactersAreSkippedInsideWords() =>
        Assert.Equal(["hyphenation", "ab"], Tokens("hy\u00ADphen\u00ADation a\u200Db"));

    [Theory]
    [InlineData("")]
    [InlineData("   \t\r\n ")]
    [InlineData("\u00A0\u2003")]
    public void EmptyOrBlankTextHasNoTokens(string text) => Assert.Empty(Tokens(text));

    [Fact]
    public void NullTextIsRefused() => Assert.Throws<ArgumentNullException>(() => new WordTokenizer().Tokenize(null!));

    [Fact]
    public void AMinimumLengthBelowOneIsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new WordTokenizer(new TokenizerOptions(MinTokenLength: 0)));
        Assert.Equal("MinTokenLength", error.ParamName);
        Assert.Contains("0", error.Message);
    }
}
