using Nabla.Text;

namespace Nabla.Tests.Text;

public class SequenceEncoderTests
{
    // ids: <pad> 0, <unk> 1, a 2, b 3
    private static readonly Vocabulary s_vocabulary = Vocabulary.Build([["a", "b", "a"]]);

    [Fact]
    public void RowsArePaddedTruncatedAndUnknownTokensMapToUnk()
    {
        var batch = new SequenceEncoder(s_vocabulary, maxLength: 4).Encode([["a", "b", "c"], ["b", "a", "b", "a", "b", "a"], ["b"]]);
        Assert.Equal(DType.Int32, batch.Ids.DType);
        Assert.Equal([3, 4], batch.Ids.Shape);
        Assert.Equal([2, 3, 1, 0, 3, 2, 3, 2, 3, 0, 0, 0], batch.Ids.ToArray<int>());
        Assert.Equal([3, 4, 1], batch.Lengths);
    }

    [Fact]
    public void ADocumentWithoutTokensIsOneUnknownStep()
    {
        var batch = new SequenceEncoder(s_vocabulary, maxLength: 3).Encode([[], ["a"]]);
        Assert.Equal([1, 0, 0, 2, 0, 0], batch.Ids.ToArray<int>());
        Assert.Equal([1, 1], batch.Lengths);
    }

    [Fact]
    public void NoDocumentsGiveAnEmptyBatch()
    {
        var batch = new SequenceEncoder(s_vocabulary, maxLength: 5).Encode([]);
        Assert.Equal([0, 5], batch.Ids.Shape);
        Assert.Empty(batch.Lengths);
    }

    [Fact]
    public void TheExcerptEncodesToItsTokenCountsCappedAtMaxLength()
    {
        var tokenizer = new WordTokenizer();
        var documents = DebianExcerpt.Descriptions.Select(tokenizer.Tokenize).ToList();
        var encoder = new SequenceEncoder(Vocabulary.Build(documents), maxLength: 6);
        var batch = encoder.Encode(documents);
        int[] ids = batch.Ids.ToArray<int>();
        for (int row = 0; row < documents.Count; row++)
        {
            Assert.Equal(Math.Clamp(documents[row].Count, 1, 6), batch.Lengths[row]);
            for (int step = 0; step < 6; step++)
            {
                int id = ids[row * 6 + step];
                if (step < batch.Lengths[row]) Assert.Equal(documents[row][step], encoder.Vocabulary.TokenOf(id));
                else Assert.Equal(Vocabulary.PaddingId, id);
            }
        }
    }

    [Fact]
    public void BadArgumentsAreRefusedByName()
    {
        Assert.Throws<ArgumentNullException>(() => new SequenceEncoder(null!, 3));
        Assert.Equal("maxLength", Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceEncoder(s_vocabulary, 0)).ParamName);
        var encoder = new SequenceEncoder(s_vocabulary, 3);
        Assert.Throws<ArgumentNullException>(() => encoder.Encode(null!));
        var error = Assert.Throws<ArgumentException>(() => encoder.Encode([["a"], ["b", null!]]));
        Assert.Equal("documents", error.ParamName);
        Assert.Contains("Document 1: the token at position 1 is null", error.Message);
        // A length no tensor can hold is refused up front, before any memory is asked for.
        var huge = Assert.Throws<ArgumentException>(() => new SequenceEncoder(s_vocabulary, int.MaxValue).Encode([["a"], ["b"]]));
        Assert.StartsWith("SequenceEncoder: 2 documents × 2147483647 steps is 4294967294 ids, more than one tensor holds", huge.Message);
    }
}
