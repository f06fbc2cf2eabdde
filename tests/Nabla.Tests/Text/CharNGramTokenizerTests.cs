using Nabla.Text;

namespace Nabla.Tests.Text;

public class CharNGramTokenizerTests
{
    [Fact]
    public void TrigramsOfAWordCarryBoundaryMarkers() =>
        Assert.Equal(["<wh", "whe", "her", "ere", "re>"], new CharNGramTokenizer(3, 3, includeWords: false).Tokenize("where"));

    [Fact]
    public void EachWordComesFirstThenItsNGramsByLength() =>
        Assert.Equal(
            ["where", "<wh", "whe", "her", "ere", "re>", "<whe", "wher", "here", "ere>", "<wher", "where", "here>"],
            new CharNGramTokenizer(3, 5).Tokenize("Where"));

    [Fact]
    public void WordsFollowEachOtherInReadingOrder() =>
        Assert.Equal(["to", "<to", "to>", "be", "<be", "be>"], new CharNGramTokenizer(3, 3).Tokenize("To be"));

    [Fact]
    public void AShortWordGivesItsWholeMarkedFormOrNothing()
    {
        Assert.Equal(["a", "<a>"], new CharNGramTokenizer(3, 5).Tokenize("a"));
        Assert.Equal(["a"], new CharNGramTokenizer(4, 5).Tokenize("a"));
    }

    [Fact]
    public void NGramsCountCharactersNotUtf16Units() =>
        Assert.Equal(["<\U00020000", "\U00020000\U00020001", "\U00020001>"], new CharNGramTokenizer(2, 2, includeWords: false).Tokenize("\U00020000\U00020001"));

    [Fact]
    public void TheWordOptionsApply() =>
        Assert.Equal(["a", "<a>", "!", "<!>"], new CharNGramTokenizer(3, 3, options: new TokenizerOptions(KeepPunctuation: true)).Tokenize("A!"));

    [Fact]
    public void NGramsOfOneWordAreThoseTokenizeGives() =>
        Assert.Equal(["<wh", "whe", "her", "ere", "re>", "<whe", "wher", "here", "ere>"], new CharNGramTokenizer(3, 4).NGramsOf("where"));

    [Fact]
    public void EmptyTextHasNoTokens() => Assert.Empty(new CharNGramTokenizer().Tokenize(" "));

    [Fact]
    public void AnEmptyOrInvertedRangeIsRefused()
    {
        Assert.Equal("minN", Assert.Throws<ArgumentOutOfRangeException>(() => new CharNGramTokenizer(0, 3)).ParamName);
        Assert.Equal("maxN", Assert.Throws<ArgumentOutOfRangeException>(() => new CharNGramTokenizer(4, 3)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new CharNGramTokenizer().Tokenize(null!));
    }
}
