namespace Nabla.Text;

/// <summary>
/// The tokens a model knows, each with an id: 0 is <see cref="PaddingToken"/>, 1 is
/// <see cref="UnknownToken"/>, then the training tokens by descending frequency, ties in code-point
/// order. Built from training documents only; a token not in it maps to <see cref="UnknownId"/>.
/// </summary>
/// <remarks>
/// The two reserved names are never learned: a training token spelled "&lt;pad&gt;" or "&lt;unk&gt;"
/// (a character n-gram of "pad" can be) is not counted, and <see cref="IdOf"/> maps it to
/// <see cref="UnknownId"/>, so id 0 only ever means padding. <see cref="ToList"/> and
/// <see cref="FromTokens"/> save and restore a vocabulary exactly.
/// </remarks>
/// <example>
/// <code>
/// var vocabulary = Vocabulary.Build([["a", "b", "a"], ["c", "a"]]);
/// // ids: &lt;pad&gt; 0, &lt;unk&gt; 1, a 2, b 3, c 4; vocabulary.IdOf("zebra") == 1
/// </code>
/// </example>
public sealed class Vocabulary
{
    /// <summary>The name of id 0, which fills the steps after a sequence's end.</summary>
    public const string PaddingToken = "<pad>";

    /// <summary>The name of id 1, which stands for every token the vocabulary does not hold.</summary>
    public const string UnknownToken = "<unk>";

    /// <summary>The id of <see cref="PaddingToken"/>.</summary>
    public const int PaddingId = 0;

    /// <summary>The id of <see cref="UnknownToken"/>.</summary>
    public const int UnknownId = 1;

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

    private Vocabulary(string[] tokens)
    {
        _tokens = tokens;
        _ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int id = UnknownId + 1; id < tokens.Length; id++) _ids.Add(tokens[id], id);
    }

    /// <summary>The number of ids, the two reserved ones included.</summary>
    public int Count => _tokens.Length;

    /// <summary>Builds a vocabulary from training documents, each a list of tokens.</summary>
    /// <param name="documents">The training documents (for example <see cref="ITokenizer.Tokenize"/> of each text).</param>
    /// <param name="minFrequency">Keep only tokens seen at least this many times in all the documents together.</param>
    /// <param name="maxSize">Keep at most this many ids, the two reserved ones included (at least 2); the most frequent tokens stay.</param>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> is null.</exception>
    /// <exception cref="ArgumentException">A document or a token is null, or a token is empty (its document and position named).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minFrequency"/> is below 1 or <paramref name="maxSize"/> below 2.</exception>
    public static Vocabulary Build(IEnumerable<IReadOnlyList<string>> documents, int minFrequency = 1, int? maxSize = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfLessThan(minFrequency, 1);
        if (maxSize is { } size) ArgumentOutOfRangeException.ThrowIfLessThan(size, 2, nameof(maxSize));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int index = 0;
        foreach (var document in documents)
        {
            foreach (string token in TokenDocuments.Checked(document, index++, nameof(documents)))
                if (token is not (PaddingToken or UnknownToken))
                    counts[token] = counts.GetValueOrDefault(token) + 1;
        }
        var learned = counts.Where(entry => entry.Value >= minFrequency).ToList();
        learned.Sort((a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : CodePointOrder.Instance.Compare(a.Key, b.Key));
        int kept = Math.Min(learned.Count, (maxSize ?? int.MaxValue) - 2);
        return new Vocabulary([PaddingToken, UnknownToken, .. learned.Take(kept).Select(entry => entry.Key)]);
    }

    /// <summary>Restores a vocabulary saved with <see cref="ToList"/>: the tokens in id order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="tokens"/> is null.</exception>
    /// <exception cref="InvalidDataException">The reserved tokens are not first, or a token is null, empty or repeated (named with its id).</exception>
    public static Vocabulary FromTokens(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count < 2 || tokens[PaddingId] != PaddingToken || tokens[UnknownId] != UnknownToken)
            throw new InvalidDataException($"Vocabulary: a saved vocabulary starts with '{PaddingToken}' and '{UnknownToken}', this one with {Describe(tokens.Take(2))}.");
        var seen = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int id = 0; id < tokens.Count; id++)
        {
            string? token = tokens[id];
            if (string.IsNullOrEmpty(token))
                throw new InvalidDataException($"Vocabulary: the token of id {id} is {(token is null ? "null" : "empty")}; every token is a non-empty string.");
            if (!seen.TryAdd(token, id))
                throw new InvalidDataException($"Vocabulary: the token '{token}' has ids {seen[token]} and {id}; each token appears once.");
        }
        return new Vocabulary([.. tokens]);
    }

    /// <summary>The id of <paramref name="token"/>, or <see cref="UnknownId"/> when the vocabulary does not hold it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is null.</exception>
    public int IdOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _ids.GetValueOrDefault(token, UnknownId);
    }

    /// <summary>Whether <paramref name="token"/> was learned (the reserved names never are).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is null.</exception>
    public bool Contains(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _ids.ContainsKey(token);
    }

    /// <summary>The token of <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not in 0..<see cref="Count"/> − 1.</exception>
    public string TokenOf(int id)
    {
        if ((uint)id >= (uint)_tokens.Length)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Vocabulary: ids run from 0 to {_tokens.Length - 1}.");
        return _tokens[id];
    }

    /// <summary>Every token in id order, the form <see cref="FromTokens"/> restores.</summary>
    public IReadOnlyList<string> ToList() => [.. _tokens];

    private static string Describe(IEnumerable<string?> tokens) =>
        "[" + string.Join(", ", tokens.Select(t => t is null ? "null" : $"'{t}'")) + "]";
}
