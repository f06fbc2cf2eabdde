namespace Nabla.Text;

/// <summary>
/// Turns token lists into a padded batch of ids: each document's first <see cref="MaxLength"/>
/// tokens as ids of <see cref="Vocabulary"/> (unknown tokens as <see cref="Vocabulary.UnknownId"/>),
/// then <see cref="Vocabulary.PaddingId"/> up to <see cref="MaxLength"/>, and the number of valid steps.
/// </summary>
/// <remarks>
/// A document without tokens becomes one <see cref="Vocabulary.UnknownToken"/> step of length 1:
/// recurrent layers need at least one step, and "nothing known" is what such a document tells a model.
/// Longer documents are truncated, keeping their first tokens.
/// </remarks>
/// <example>
/// <code>
/// var encoder = new SequenceEncoder(vocabulary, maxLength: 50);
/// var batch = encoder.Encode(texts.Select(tokenizer.Tokenize).ToList());
/// // batch.Ids: (texts, 50) Int32; batch.Lengths: each text's steps, 1..50
/// </code>
/// </example>
public sealed class SequenceEncoder
{
    /// <summary>Creates an encoder that pads or truncates to <paramref name="maxLength"/> steps.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="vocabulary"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 1.</exception>
    public SequenceEncoder(Vocabulary vocabulary, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        Vocabulary = vocabulary;
        MaxLength = maxLength;
    }

    /// <summary>The vocabulary that gives the ids.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The number of steps of every encoded row.</summary>
    public int MaxLength { get; }

    /// <summary>Encodes each document (a list of tokens) as a row of ids.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> is null.</exception>
    /// <exception cref="ArgumentException">A document or a token is null, or a token is empty (named), or the rows would not fit in one tensor.</exception>
    public EncodedSequences Encode(IReadOnlyList<IReadOnlyList<string>> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        long cells = (long)documents.Count * MaxLength;
        if (cells > Array.MaxLength)
            throw new ArgumentException($"SequenceEncoder: {documents.Count} documents × {MaxLength} steps is {cells} ids, more than one tensor holds ({Array.MaxLength}); encode fewer documents at a time or lower maxLength.", nameof(documents));
        var ids = new int[cells]; // zeros: every step starts as PaddingId
        var lengths = new int[documents.Count];
        for (int row = 0; row < documents.Count; row++)
        {
            var tokens = TokenDocuments.Checked(documents[row], row, nameof(documents));
            var destination = ids.AsSpan(row * MaxLength, MaxLength);
            if (tokens.Count == 0)
            {
                destination[0] = Vocabulary.UnknownId;
                lengths[row] = 1;
                continue;
            }
            lengths[row] = Math.Min(tokens.Count, MaxLength);
            for (int step = 0; step < lengths[row]; step++) destination[step] = Vocabulary.IdOf(tokens[step]);
        }
        return new EncodedSequences(new Tensor(ids, [documents.Count, MaxLength], DType.Int32), lengths);
    }
}
