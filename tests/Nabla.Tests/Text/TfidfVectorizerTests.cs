using Nabla.Text;

namespace Nabla.Tests.Text;

/// <summary>
/// TF-IDF on two small documents, with values worked out by hand (Python's math module for the
/// digits): d1 = a b a, d2 = b c; smoothed idf of a and c is ln(3/2) + 1 = 1.4054651081081644, of b 1.
/// The fixture comparison with scikit-learn is in <see cref="TfidfVectorizerSklearnTests"/>.
/// </summary>
public class TfidfVectorizerTests
{
    private const double Tolerance = 1e-15;
    private static readonly string[][] s_documents = [["a", "b", "a"], ["b", "c"]];

    private static void AssertRow(SparseRows rows, int row, int[] columns, double[] values)
    {
        Assert.Equal(columns, rows.ColumnsOf(row).ToArray());
        Assert.Equal(values.Length, rows.ValuesOf(row).Length);
        for (int k = 0; k < values.Length; k++) Assert.Equal(values[k], rows.ValuesOf(row)[k], Tolerance);
    }

    [Fact]
    public void DefaultsAreSmoothIdfAndUnitRows()
    {
        var vectorizer = new TfidfVectorizer();
        var rows = vectorizer.FitTransform(s_documents);
        Assert.Equal(["a", "b", "c"], vectorizer.Terms);
        Assert.Equal([1.4054651081081644, 1, 1.4054651081081644], vectorizer.Idf!);
        Assert.Equal((2, 3), (rows.RowCount, rows.ColumnCount));
        AssertRow(rows, 0, [0, 1], [0.9421556246632359, 0.33517574332792605]);
        AssertRow(rows, 1, [1, 2], [0.5797386715376657, 0.8148024746671689]);
    }

    [Fact]
    public void RawIdfSublinearTfAndNoNorm()
    {
        var rows = new TfidfVectorizer(new TfidfOptions { SmoothIdf = false, SublinearTf = true, Norm = TfidfNorm.None }).FitTransform(s_documents);
        // idf a = ln(2/1) + 1; tf a in d1 = 1 + ln 2.
        AssertRow(rows, 0, [0, 1], [1.6931471805599454 * 1.6931471805599454, 1]);
        AssertRow(rows, 1, [1, 2], [1, 1.6931471805599454]);
    }

    [Fact]
    public void CountsWithoutIdf()
    {
        var vectorizer = new TfidfVectorizer(new TfidfOptions { UseIdf = false, Norm = TfidfNorm.None });
        var rows = vectorizer.FitTransform(s_documents);
        Assert.Null(vectorizer.Idf);
        AssertRow(rows, 0, [0, 1], [2, 1]);
    }

    [Fact]
    public void NGramsAreTokensJoinedBySpacesInCodePointOrder()
    {
        var vectorizer = new TfidfVectorizer(new TfidfOptions { MaxN = 2, UseIdf = false, Norm = TfidfNorm.None }).Fit(s_documents);
        Assert.Equal(["a", "a b", "b", "b a", "b c", "c"], vectorizer.Terms);
        var bigramsOnly = new TfidfVectorizer(new TfidfOptions { MinN = 2, MaxN = 3 }).Fit([["x", "y", "z"], ["y"]]);
        Assert.Equal(["x y", "x y z", "y z"], bigramsOnly.Terms);
    }

    [Fact]
    public void DocumentFrequencyBoundsAsCountsOrFractions()
    {
        string[][] documents = [["a", "b"], ["a", "c"], ["a", "c"], ["d"]];
        Assert.Equal(["a", "c"], new TfidfVectorizer(new TfidfOptions { MinDf = 2 }).Fit(documents).Terms);
        // 0.5 of 4 documents: at most 2, so a (3 documents) goes.
        Assert.Equal(["b", "c", "d"], new TfidfVectorizer(new TfidfOptions { MaxDf = 0.5 }).Fit(documents).Terms);
        Assert.Equal(["a", "c"], new TfidfVectorizer(new TfidfOptions { MinDf = 0.5 }).Fit(documents).Terms);
        Assert.Equal(["b", "c", "d"], new TfidfVectorizer(new TfidfOptions { MaxDf = 2 }).Fit(documents).Terms);
    }

    [Fact]
    public void MaxFeaturesKeepsTheMostFrequentAndBreaksTiesByCodePoint()
    {
        // totals: c 3, b 2 (one document), a 1, d 1, e 1: the cut at 3 falls among a, d, e.
        string[][] documents = [["e", "c", "c", "b", "b"], ["d", "a", "c"]];
        Assert.Equal(["a", "b", "c"], new TfidfVectorizer(new TfidfOptions { MaxFeatures = 3 }).Fit(documents).Terms);
        Assert.Equal(["b", "c"], new TfidfVectorizer(new TfidfOptions { MaxFeatures = 2 }).Fit(documents).Terms);
    }

    [Fact]
    public void TransformIgnoresUnseenTermsAndGivesEmptyRows()
    {
        var vectorizer = new TfidfVectorizer().Fit(s_documents);
        var rows = vectorizer.Transform([["z", "c", "z"], ["z"], []]);
        Assert.Equal(3, rows.RowCount);
        AssertRow(rows, 0, [2], [1]);
        Assert.True(rows.ColumnsOf(1).IsEmpty);
        Assert.True(rows.ColumnsOf(2).IsEmpty);
    }

    [Fact]
    public void FromFittedRestoresTheSameRows()
    {
        var options = new TfidfOptions { MaxN = 2, SublinearTf = true };
        var tokenizer = new WordTokenizer();
        var documents = DebianExcerpt.Descriptions.Select(tokenizer.Tokenize).ToList();
        var fitted = new TfidfVectorizer(options).Fit(documents.Take(400));
        var restored = TfidfVectorizer.FromFitted(options, fitted.Terms, fitted.Idf);
        var expected = fitted.Transform(documents.Skip(400));
        var actual = restored.Transform(documents.Skip(400));
        Assert.Equal(expected.RowPointers.ToArray(), actual.RowPointers.ToArray());
        Assert.Equal(expected.ColumnIndices.ToArray(), actual.ColumnIndices.ToArray());
        Assert.Equal(expected.Values.ToArray(), actual.Values.ToArray());
    }

    [Theory]
    [InlineData(new[] { "b", "a" }, true, "term 1 'a' does not come after term 0 'b'")]
    [InlineData(new[] { "a", "a" }, true, "term 1 'a' does not come after term 0 'a'")]
    [InlineData(new[] { "a", "" }, true, "term 1 is null or empty")]
    [InlineData(new string[0], true, "there are no terms")]
    [InlineData(new[] { "a", "b" }, false, "UseIdf is True, but idf values are missing")]
    public void ACorruptStateIsRefused(string[] terms, bool withIdf, string message)
    {
        double[]? idf = withIdf ? [.. terms.Select(_ => 1.0)] : null;
        var error = Assert.Throws<InvalidDataException>(() => TfidfVectorizer.FromFitted(new TfidfOptions(), terms, idf));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void CorruptIdfValuesAreRefused()
    {
        string[] terms = ["a", "b"];
        Assert.Contains("2 terms but 1 idf values", Assert.Throws<InvalidDataException>(() => TfidfVectorizer.FromFitted(new TfidfOptions(), terms, [1.0])).Message);
        Assert.Contains("the idf of term 1 'b' is 0.5", Assert.Throws<InvalidDataException>(() => TfidfVectorizer.FromFitted(new TfidfOptions(), terms, [1.0, 0.5])).Message);
        Assert.Contains("the idf of term 0 'a' is NaN", Assert.Throws<InvalidDataException>(() => TfidfVectorizer.FromFitted(new TfidfOptions(), terms, [double.NaN, 1.0])).Message);
        Assert.Contains("UseIdf is False, but idf values are given",
            Assert.Throws<InvalidDataException>(() => TfidfVectorizer.FromFitted(new TfidfOptions { UseIdf = false }, terms, [1.0, 1.0])).Message);
    }

    [Fact]
    public void FittingErrorsNameTheProblem()
    {
        Assert.Contains("empty vocabulary", Assert.Throws<ArgumentException>(() => new TfidfVectorizer().Fit([[], []])).Message);
        Assert.Contains("no term is left", Assert.Throws<ArgumentException>(() => new TfidfVectorizer(new TfidfOptions { MinDf = 0, MaxDf = 0.4 }).Fit(s_documents)).Message);
        Assert.Contains("allows fewer documents than MinDf", Assert.Throws<ArgumentException>(() => new TfidfVectorizer(new TfidfOptions { MinDf = 2, MaxDf = 0.1 }).Fit(s_documents)).Message);
        Assert.Contains("Document 1 is null", Assert.Throws<ArgumentException>(() => new TfidfVectorizer().Fit([["a"], null!])).Message);
        Assert.Throws<InvalidOperationException>(() => new TfidfVectorizer().Transform(s_documents));
        Assert.Throws<InvalidOperationException>(() => new TfidfVectorizer().Terms);
    }

    [Fact]
    public void OptionsOutOfRangeAreRefusedByName()
    {
        Assert.Equal("MinN", Assert.Throws<ArgumentOutOfRangeException>(() => new TfidfVectorizer(new TfidfOptions { MinN = 0 })).ParamName);
        Assert.Equal("MaxN", Assert.Throws<ArgumentOutOfRangeException>(() => new TfidfVectorizer(new TfidfOptions { MinN = 2, MaxN = 1 })).ParamName);
        Assert.Equal("MaxFeatures", Assert.Throws<ArgumentOutOfRangeException>(() => new TfidfVectorizer(new TfidfOptions { MaxFeatures = 0 })).ParamName);
        Assert.Equal("Norm", Assert.Throws<ArgumentOutOfRangeException>(() => new TfidfVectorizer(new TfidfOptions { Norm = (TfidfNorm)7 })).ParamName);
    }

    [Fact]
    public void DocumentFrequencyReadsIntegersAsCountsAndRealsAsFractions()
    {
        DocumentFrequency count = 2, fraction = 0.25;
        Assert.Equal((2.0, false), (count.Value, count.IsFraction));
        Assert.Equal((0.25, true), (fraction.Value, fraction.IsFraction));
        Assert.Equal("2 documents", count.ToString());
        Assert.Equal("0.25 of the documents", fraction.ToString());
        Assert.Equal("share", Assert.Throws<ArgumentOutOfRangeException>(() => DocumentFrequency.Fraction(1.5)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => DocumentFrequency.Fraction(double.NaN));
        Assert.Equal("documents", Assert.Throws<ArgumentOutOfRangeException>(() => DocumentFrequency.Count(-1)).ParamName);
    }
}
