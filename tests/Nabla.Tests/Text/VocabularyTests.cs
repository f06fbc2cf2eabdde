using Nabla.Text;

namespace Nabla.Tests.Text;

public class VocabularyTests
{
    private static string[] Tokens(Vocabulary vocabulary) => [.. vocabulary.ToList()];

    [Fact]
    public void ReservedIdsComeFirstThenTokensByDescendingFrequency()
    {
        var vocabulary = Vocabulary.Build([["b", "a", "b"], ["c", "a", "b"]]);
        Assert.Equal(["<pad>", "<unk>", "b", "a", "c"], Tokens(vocabulary));
        Assert.Equal(5, vocabulary.Count);
        Assert.Equal(2, vocabulary.IdOf("b"));
        Assert.Equal("c", vocabulary.TokenOf(4));
    }

    [Fact]
    public void TiesAreBrokenByCodePoint()
    {
        // U+FF21 (fullwidth A) sorts before U+20000 by code point, although its UTF-16 unit is above the surrogate.
        var vocabulary = Vocabulary.Build([["z", "é", "\U00020000", "y", "\uFF21", "e"], ["q", "q"]]);
        Assert.Equal(["<pad>", "<unk>", "q", "e", "y", "z", "é", "\uFF21", "\U00020000"], Tokens(vocabulary));
    }

    [Fact]
    public void MinFrequencyDropsRareTokens() =>
        Assert.Equal(["<pad>", "<unk>", "a", "b"], Tokens(Vocabulary.Build([["a", "b", "c"], ["a", "b", "a", "d"]], minFrequency: 2)));

    [Fact]
    public void MaxSizeCountsTheReservedIdsAndKeepsTheMostFrequent()
    {
        string[][] documents = [["a", "b", "c"], ["a", "b", "a", "d"]];
        Assert.Equal(["<pad>", "<unk>", "a", "b"], Tokens(Vocabulary.Build(documents, maxSize: 4)));
        Assert.Equal(["<pad>", "<unk>"], Tokens(Vocabulary.Build(documents, maxSize: 2)));
        Assert.Equal(6, Vocabulary.Build(documents, maxSize: 100).Count);
    }

    [Fact]
    public void UnknownTokensMapToUnk()
    {
        var vocabulary = Vocabulary.Build([["known"]]);
        Assert.Equal(Vocabulary.UnknownId, vocabulary.IdOf("unseen"));
        Assert.False(vocabulary.Contains("unseen"));
        Assert.True(vocabulary.Contains("known"));
    }

    [Fact]
    public void TheReservedNamesAreNeverLearnedAndNeverGivePadding()
    {
        // "<pad>" is the 5-gram of the word "pad": it must not become padding, nor a second entry.
        var vocabulary = Vocabulary.Build([["<pad>", "<unk>", "<pad>", "x"]]);
        Assert.Equal(["<pad>", "<unk>", "x"], Tokens(vocabulary));
        Assert.Equal(Vocabulary.UnknownId, vocabulary.IdOf("<pad>"));
        Assert.Equal(Vocabulary.UnknownId, vocabulary.IdOf("<unk>"));
        Assert.False(vocabulary.Contains("<pad>"));
    }

    [Fact]
    public void ToListAndFromTokensRoundTripExactly()
    {
        var tokenizer = new WordTokenizer();
        var documents = DebianExcerpt.Descriptions.Select(tokenizer.Tokenize).ToList();
        var vocabulary = Vocabulary.Build(documents, minFrequency: 2);
        var restored = Vocabulary.FromTokens(vocabulary.ToList());
        Assert.Equal(Tokens(vocabulary), Tokens(restored));
        foreach (string token in documents.SelectMany(d => d).Append("never-seen"))
            Assert.Equal(vocabulary.IdOf(token), restored.IdOf(token));
    }

    [Fact]
    public void OnTheExcerptIdsFollowCountsThenCodePoints()
    {
        var tokenizer = new WordTokenizer();
        var documents = DebianExcerpt.Descriptions.Select(tokenizer.Tokenize).ToList();
        var counts = documents.SelectMany(d => d).GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var vocabulary = Vocabulary.Build(documents);
        Assert.Equal(counts.Count + 2, vocabulary.Count);
        Assert.Equal("for", vocabulary.TokenOf(2)); // the most frequent word of the excerpt
        for (int id = 3; id < vocabulary.Count; id++)
        {
            string previous = vocabulary.TokenOf(id - 1), token = vocabulary.TokenOf(id);
            Assert.True(counts[previous] > counts[token] || (counts[previous] == counts[token] && string.CompareOrdinal(previous, token) < 0),
                $"id {id - 1} '{previous}' ({counts[previous]}) before id {id} '{token}' ({counts[token]})");
        }
    }

    [Theory]
    [InlineData(new[] { "<unk>", "<pad>", "a" }, "starts with '<pad>' and '<unk>', this one with ['<unk>', '<pad>']")]
    [InlineData(new[] { "<pad>" }, "this one with ['<pad>']")]
    [InlineData(new[] { "<pad>", "<unk>", "a", "b", "a" }, "the token 'a' has ids 2 and 4")]
    [InlineData(new[] { "<pad>", "<unk>", "<pad>" }, "the token '<pad>' has ids 0 and 2")]
    [InlineData(new[] { "<pad>", "<unk>", "" }, "the token of id 2 is empty")]
    [InlineData(new[] { "<pad>", "<unk>", null }, "the token of id 2 is null")]
    public void ACorruptSavedVocabularyIsRefused(string[] tokens, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => Vocabulary.FromTokens(tokens));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void BadArgumentsAreRefusedByName()
    {
        Assert.Throws<ArgumentNullException>(() => Vocabulary.Build(null!));
        Assert.Equal("minFrequency", Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.Build([["a"]], minFrequency: 0)).ParamName);
        Assert.Equal("maxSize", Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.Build([["a"]], maxSize: 1)).ParamName);
        Assert.Contains("Document 1 is null", Assert.Throws<ArgumentException>(() => Vocabulary.Build([["a"], null!])).Message);
        Assert.Contains("Document 0: the token at position 1 is empty", Assert.Throws<ArgumentException>(() => Vocabulary.Build([["a", ""]])).Message);
        var vocabulary = Vocabulary.Build([["a"]]);
        Assert.Equal("id", Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.TokenOf(3)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.TokenOf(-1));
        Assert.Throws<ArgumentNullException>(() => vocabulary.IdOf(null!));
    }
}
