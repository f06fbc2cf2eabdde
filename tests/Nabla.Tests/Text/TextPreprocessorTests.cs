using System.Text;
using Nabla.Data;
using Nabla.Text;

namespace Nabla.Tests.Text;

public sealed class TextPreprocessorTests
{
    private static readonly int[] EveryRow = [.. Enumerable.Range(0, 600)];

    [Fact]
    public void Fit_LearnsTheVocabularyFromTrainingRowsOnly_AndPadsEachRowToMaxLength()
    {
        int[] firstHalf = [.. Enumerable.Range(0, 300)];
        var prep = TextPreprocessor.Fit(DebianExcerpt.Table, "section", ["description"], firstHalf, new TextOptions { MaxLength = 12 });

        var expected = Vocabulary.Build(firstHalf.Select(row => new WordTokenizer().Tokenize(DebianExcerpt.Descriptions[row])));
        Assert.Equal(expected.ToList(), prep.Vocabulary.ToList());
        var ids = prep.TransformFeatures(DebianExcerpt.Table);
        Assert.Equal([600, 12], ids.ShapeArray);
        Assert.Equal(DType.Int32, ids.DType);
        // "0ad: Real-time strategy game of ancient warfare" → real time strategy game of ancient warfare, then padding.
        int[] first = ids.ToArray<int>()[..12];
        Assert.Equal(["real", "time", "strategy", "game", "of", "ancient", "warfare"], first[..7].Select(prep.Vocabulary.TokenOf));
        Assert.All(first[7..], id => Assert.Equal(Vocabulary.PaddingId, id));
        Assert.Equal(15, prep.ClassLabels.Count);
        Assert.Equal("games", prep.ClassLabels[prep.TransformTargets(DebianExcerpt.Table).ToArray<int>()[0]]);
    }

    [Fact]
    public void Terms_AreWordsThenWordPairsThenCharacterNGrams()
    {
        var prep = TextPreprocessor.Fit(DebianExcerpt.Table, "section", ["description"], EveryRow,
            new TextOptions { MaxWordNGram = 2, CharNGrams = (3, 3) });

        Assert.Equal(["web", "app", "web app", "<we", "web", "eb>", "<ap", "app", "pp>"], prep.Terms("Web app"));
    }

    [Fact]
    public void ToJson_RoundTrips_AndTheCopyEncodesAsTheOriginal()
    {
        var options = new TextOptions { MaxWordNGram = 2, CharNGrams = (2, 4), MinFrequency = 2, MaxVocabulary = 500, MaxLength = 40, Tokenizer = new TokenizerOptions(KeepPunctuation: true) };
        var prep = TextPreprocessor.Fit(DebianExcerpt.Table, "section", ["description", "package"], EveryRow, options);

        var copy = TextPreprocessor.ReadJson(prep.ToJson());

        Assert.Equal(prep.ToJson(), copy.ToJson());
        Assert.Equal(options, copy.Options);
        Assert.Equal(["description", "package"], copy.TextColumns);
        Assert.Equal(prep.TransformFeatures(DebianExcerpt.Table).ToArray<int>(), copy.TransformFeatures(DebianExcerpt.Table).ToArray<int>());
        Assert.Equal(500, copy.Vocabulary.Count);
    }

    [Fact]
    public void UnseenWordsMapToUnknown_AndATextWithNoWordIsOneUnknownStep()
    {
        var prep = TextPreprocessor.Fit(DebianExcerpt.Table, "section", ["description"], EveryRow, new TextOptions { MaxLength = 4 });

        var ids = prep.TransformTexts(["zzyzx game", "!!!"]).ToArray<int>();

        Assert.Equal([Vocabulary.UnknownId, prep.Vocabulary.IdOf("game"), 0, 0, Vocabulary.UnknownId, 0, 0, 0], ids);
    }

    [Theory]
    [InlineData("a,b,label\nx,,yes\ny,words here,no\n", "line 2, column 'b': the text is empty")]
    [InlineData("a,b,label\n1,2.5,yes\n2,3,no\n", "line 2, column 'b': the column holds numbers (2.5), not text")]
    [InlineData("a,b,label\nx,Caf\uFFFD menu,yes\ny,words here,no\n", "line 2, column 'b': the text is not valid UTF-8")]
    [InlineData("a,b,label\nx,one text,yes\ny,words here,yes\n", "every training row has the class 'yes'")]
    public void BadTextCells_AreRefused_NamingLineAndColumn(string csv, string message)
    {
        var table = Csv.Read(new StringReader(csv), "t.csv");

        var error = Assert.Throws<InvalidDataException>(() => TextPreprocessor.Fit(table, "label", ["b"], [0, 1]));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void ALabelNotSeenInTraining_IsNamedWithItsLine()
    {
        var prep = TextPreprocessor.Fit(DebianExcerpt.Table, "section", ["description"], EveryRow);
        var table = Csv.Read(new StringReader("description,section\nsome game,games\nother,kitchen\n"), "new.csv");

        var error = Assert.Throws<InvalidDataException>(() => prep.TransformTargets(table));

        Assert.Contains("new.csv, line 3, column 'section': the label 'kitchen' was not seen in training", error.Message);
    }

    [Theory]
    [InlineData("\"max_length\":", "\"max_length\":0,\"x\":", "max_length")]
    [InlineData("\"vocabulary\":[", "\"vocabulary\":[\"game\",", "vocabulary")]
    [InlineData("\"char_ngrams\":null", "\"char_ngrams\":[4,2]", "char_ngrams")]
    public void ReadJson_RefusesBrokenState(string find, string replace, string named)
    {
        string json = TextPreprocessor.Fit(DebianExcerpt.Table, "section", ["description"], EveryRow).ToJson();
        Assert.Contains(find, json);

        var error = Assert.ThrowsAny<Exception>(() => TextPreprocessor.ReadJson(json.Replace(find, replace, StringComparison.Ordinal)));

        Assert.True(error is InvalidDataException, error.ToString());
        Assert.Contains(named.Split('_')[0], error.Message);
    }

    [Fact]
    public void FreeTextColumn_TellsDescriptionsFromCategories()
    {
        Assert.True(FreeTextColumn.Holds(DebianExcerpt.Table["description"]));
        Assert.False(FreeTextColumn.Holds(DebianExcerpt.Table["section"]));
        Assert.False(FreeTextColumn.Holds(DebianExcerpt.Table["package"]));
        var cities = Csv.Read(new StringReader("city\n" + string.Join('\n', Enumerable.Range(0, 30).Select(i => $"Port {(char)('a' + i % 12)}")) + "\n"), "c.csv");
        Assert.False(FreeTextColumn.Holds(cities["city"]));
    }
}
