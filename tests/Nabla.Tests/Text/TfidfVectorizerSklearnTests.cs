using Nabla.Text;

namespace Nabla.Tests.Text;

/// <summary>
/// Fixtures/sklearn_tfidf.json (tools/fixtures/sklearn_tfidf.py): scikit-learn 1.2's TfidfVectorizer on
/// 200 descriptions of the Debian excerpt, tokenized by the script's own copy of the word rule;
/// fitted on the first 150, and each case's terms, idf and rows for the 150 and for the other 50.
/// </summary>
public class TfidfVectorizerSklearnTests
{
    /// <summary>The same float64 formula on the same counts: only rounding (a log, a square root) can differ.</summary>
    private const double Tolerance = 1e-12;

    private static readonly Lazy<SklearnTfidfFixture> s_fixture = new(() => FixtureFile.Load<SklearnTfidfFixture>("sklearn_tfidf.json"));

    public static TheoryData<string> CaseNames() => [.. s_fixture.Value.Cases.Select(c => c.Name)];

    [Fact]
    public void TheFixtureTextsAreRowsOfTheExcerpt()
    {
        var fixture = s_fixture.Value;
        var descriptions = DebianExcerpt.Descriptions;
        Assert.Equal(fixture.ExcerptRows.Select(row => descriptions[row]), fixture.Texts);
    }

    [Fact]
    public void WordTokenizerGivesTheFixtureTokens()
    {
        var fixture = s_fixture.Value;
        var tokenizer = new WordTokenizer();
        for (int i = 0; i < fixture.Texts.Count; i++)
            Assert.True(fixture.Tokens[i].SequenceEqual(tokenizer.Tokenize(fixture.Texts[i])),
                $"text {i} '{fixture.Texts[i]}': Nabla [{string.Join(", ", tokenizer.Tokenize(fixture.Texts[i]))}], script [{string.Join(", ", fixture.Tokens[i])}]");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesScikitLearn(string name)
    {
        var fixture = s_fixture.Value;
        var expected = fixture.Cases.Single(c => c.Name == name);
        var vectorizer = new TfidfVectorizer(expected.Options.ToOptions());
        var train = vectorizer.FitTransform(fixture.Tokens.Take(fixture.TrainCount).ToList());
        var test = vectorizer.Transform(fixture.Tokens.Skip(fixture.TrainCount));

        Assert.Equal(expected.Terms, vectorizer.Terms);
        if (expected.Idf is null) Assert.Null(vectorizer.Idf);
        else AssertClose(expected.Idf, [.. vectorizer.Idf!], $"{name} idf");
        AssertSame(expected.Train, train, $"{name} training rows");
        AssertSame(expected.Test, test, $"{name} new rows");
    }

    private static void AssertSame(CsrMatrix expected, SparseRows actual, string what)
    {
        Assert.Equal((expected.Rows, expected.Columns), (actual.RowCount, actual.ColumnCount));
        Assert.Equal(expected.RowPointers, actual.RowPointers.ToArray());
        Assert.Equal(expected.ColumnIndices, actual.ColumnIndices.ToArray());
        AssertClose(expected.Values, actual.Values.ToArray(), what);
    }

    private static void AssertClose(IReadOnlyList<double> expected, double[] actual, string what)
    {
        Assert.Equal(expected.Count, actual.Length);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Tolerance * Math.Abs(expected[i]),
                $"{what}[{i}]: Nabla {actual[i]:R}, scikit-learn {expected[i]:R}");
    }
}

internal sealed record SklearnTfidfFixture(
    string Sklearn, List<int> ExcerptRows, List<string> Texts, List<List<string>> Tokens, int TrainCount, List<SklearnTfidfCase> Cases);

internal sealed record SklearnTfidfCase(string Name, SklearnTfidfOptions Options, List<string> Terms, List<double>? Idf, CsrMatrix Train, CsrMatrix Test);

internal sealed record CsrMatrix(int Rows, int Columns, List<int> RowPointers, List<int> ColumnIndices, List<double> Values);

internal sealed record SklearnDocumentFrequency(int? Count, double? Fraction)
{
    public DocumentFrequency ToBound() => Count is { } count ? DocumentFrequency.Count(count) : DocumentFrequency.Fraction(Fraction!.Value);
}

internal sealed record SklearnTfidfOptions(
    int MinN, int MaxN, SklearnDocumentFrequency MinDf, SklearnDocumentFrequency MaxDf, int? MaxFeatures,
    bool UseIdf, bool SmoothIdf, bool SublinearTf, string Norm)
{
    public TfidfOptions ToOptions() => new()
    {
        MinN = MinN, MaxN = MaxN, MinDf = MinDf.ToBound(), MaxDf = MaxDf.ToBound(), MaxFeatures = MaxFeatures,
        UseIdf = UseIdf, SmoothIdf = SmoothIdf, SublinearTf = SublinearTf, Norm = Enum.Parse<TfidfNorm>(Norm),
    };
}
