using Nabla.NN;
using Nabla.Text;

namespace Nabla.Tests.Text;

public sealed class TfidfLinearTests
{
    [Fact]
    public void Weigh_GivesTheVectorizersRows_ForTheSameTerms()
    {
        // The vectorizer fixes the terms; the ids of the same texts through a vocabulary of those terms must weigh the same.
        var tokenizer = new WordTokenizer();
        var documents = DebianExcerpt.Descriptions.Take(200).Select(tokenizer.Tokenize).ToList();
        var vectorizer = new TfidfVectorizer(new TfidfOptions { MinN = 1, MaxN = 1, SublinearTf = true }).Fit(documents);
        var vocabulary = Vocabulary.FromTokens([Vocabulary.PaddingToken, Vocabulary.UnknownToken, .. vectorizer.Terms]);
        var ids = new SequenceEncoder(vocabulary, 40).Encode(documents).Ids;
        var model = new TfidfLinear(vocabulary.Count, 3, sublinearTf: true, dtype: DType.Float64);

        model.FitIdf(ids);
        var rows = model.Weigh(ids);
        var expected = vectorizer.Transform(documents);

        AssertClose(vectorizer.Idf!, model.Idf.ToDoubleArray()[2..], 1e-15);
        for (int row = 0; row < documents.Count; row++)
        {
            Assert.Equal(expected.ColumnsOf(row).ToArray().Select(c => c + 2), rows.ColumnsOf(row).ToArray());
            AssertClose(expected.ValuesOf(row).ToArray(), rows.ValuesOf(row).ToArray(), 1e-15);
        }
    }

    [Fact]
    public void Forward_IsTheSparseProduct_AndIgnoresPaddingAndUnknownIds()
    {
        var model = new TfidfLinear(6, 2, dtype: DType.Float64);
        model.FitIdf(Tensor.FromArray([2, 3, 0, 2, 4, 5], 2, 3));
        Init.Uniform(model.Linear.Weight, -1, 1, new Generator(1));
        var withNoise = model.Forward(Tensor.FromArray([2, 2, 3, 1, 0, 0], 1, 6)).ToDoubleArray();
        var clean = model.Forward(Tensor.FromArray([3, 2, 2], 1, 3)).ToDoubleArray();

        Assert.Equal(clean, withNoise);
        var dense = model.Weigh(Tensor.FromArray([3, 2, 2], 1, 3)).ToDense().MatMul(model.Linear.Weight).ToDoubleArray();
        AssertClose(dense, clean, 1e-14);
    }

    [Fact]
    public void SetWeights_FromLinearSvc_ScoresAsTheSvmDoes_ForTwoAndForManyClasses()
    {
        var tokenizer = new WordTokenizer();
        var documents = DebianExcerpt.Descriptions.Select(tokenizer.Tokenize).ToList();
        var vocabulary = Vocabulary.Build(documents);
        var ids = new SequenceEncoder(vocabulary, 40).Encode(documents).Ids;
        foreach (int classes in new[] { 2, 15 })
        {
            string[] sections = [.. DebianExcerpt.Sections.Distinct().Order(StringComparer.Ordinal)];
            int[] labels = [.. DebianExcerpt.Sections.Select(section => classes == 2 ? (section == "games" ? 1 : 0) : Array.IndexOf(sections, section))];
            var model = new TfidfLinear(vocabulary.Count, classes, sublinearTf: true, dtype: DType.Float64);
            model.FitIdf(ids);
            var rows = model.Weigh(ids);
            var svm = new Nabla.Estimators.LinearSvc().Fit(rows, labels);

            model.SetWeights(svm.Coef, svm.Intercept);

            var dense = rows.ToDense();
            var expected = svm.PredictClassIndices(dense);
            Assert.Equal(expected, model.Forward(ids).ArgMax(axis: 1).ToArray<int>());
        }
        Assert.Throws<ShapeMismatchException>(() => new TfidfLinear(5, 3).SetWeights(Tensor.Zeros([1, 5], DType.Float64), Tensor.Zeros([1], DType.Float64)));
    }

    [Fact]
    public void BadIds_AreRefused()
    {
        var model = new TfidfLinear(6, 2);

        Assert.Contains("id 9 at row 1, step 0", Assert.Throws<ArgumentException>(() => model.Forward(Tensor.FromArray([2, 3, 9, 2], 2, 2))).Message);
        Assert.Contains("(N, L) Int32", Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros(2, 2))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TfidfLinear(2, 2));
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i], tolerance);
    }
}
