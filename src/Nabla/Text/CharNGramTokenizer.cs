namespace Nabla.Text;

/// <summary>
/// Subword tokens, as fastText: each word of a <see cref="WordTokenizer"/> is wrapped in boundary
/// markers and cut into its character n-grams, so a word never seen in training still shares
/// pieces with known ones. For n = 3, "where" gives <c>&lt;wh</c>, <c>whe</c>, <c>her</c>,
/// <c>ere</c>, <c>re&gt;</c>. Each word contributes, in order: the word itself (when
/// <see cref="IncludeWords"/>), then its n-grams for n from <see cref="MinN"/> to <see cref="MaxN"/>,
/// each length left to right.
/// </summary>
/// <remarks>
/// Lengths count Unicode scalar values, so a character outside the Basic Multilingual Plane is one
/// character, never half of one. A word whose marked form is shorter than <see cref="MinN"/> gives
/// no n-grams; with n up to its whole marked length, the n-grams include the marked word itself
/// (<c>&lt;a&gt;</c>), as fastText's. An inner n-gram spelled as a word ("her" inside "where")
/// is the same token as that word.
/// </remarks>
/// <example>
/// <code>
/// var tokens = new CharNGramTokenizer(minN: 3, maxN: 3).Tokenize("Where");
/// // ["where", "&lt;wh", "whe", "her", "ere", "re&gt;"]
/// </code>
/// </example>
public sealed class CharNGramTokenizer : ITokenizer
{
    /// <summary>The marker put before each word's first character.</summary>
    public const char StartMarker = '<';

    /// <summary>The marker put after each word's last character.</summary>
    public const char EndMarker = '>';

    private readonly WordTokenizer _words;

    /// <summary>Creates a tokenizer of the n-grams of lengths <paramref name="minN"/> to <paramref name="maxN"/> of each word.</summary>
    /// <param name="minN">The shortest n-gram, at least 1.</param>
    /// <param name="maxN">The longest n-gram, at least <paramref name="minN"/>.</param>
    /// <param name="includeWords">Also emit each whole word before its n-grams.</param>
    /// <param name="options">How words are found, or <see cref="TokenizerOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minN"/> is below 1, <paramref name="maxN"/> below <paramref name="minN"/>, or a setting of <paramref name="options"/> is out of range.</exception>
    public CharNGramTokenizer(int minN = 3, int maxN = 5, bool includeWords = true, TokenizerOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minN, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxN, minN);
        MinN = minN;
        MaxN = maxN;
        IncludeWords = includeWords;
        _words = new WordTokenizer(options);
    }

    /// <summary>The shortest n-gram, in characters (boundary markers included).</summary>
    public int MinN { get; }

    /// <summary>The longest n-gram, in characters (boundary markers included).</summary>
    public int MaxN { get; }

    /// <summary>Whether each whole word is emitted before its n-grams.</summary>
    public bool IncludeWords { get; }

    /// <summary>The settings of the word tokenizer that finds the words.</summary>
    public TokenizerOptions Options => _words.Options;

    /// <inheritdoc/>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        foreach (string word in _words.Tokenize(text))
        {
            if (IncludeWords) tokens.Add(word);
            AddNGrams(word, tokens);
        }
        return tokens;
    }

    /// <summary>The character n-grams of one word, as <see cref="Tokenize"/> gives them after the word.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is null.</exception>
    public IReadOnlyList<string> NGramsOf(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var ngrams = new List<string>();
        AddNGrams(word, ngrams);
        return ngrams;
    }

    private void AddNGrams(string word, List<string> ngrams)
    {
        string marked = StartMarker + word + EndMarker;
        // Where each scalar value starts in UTF-16 units, plus the end: a surrogate pair is one character.
        var starts = new List<int>(marked.Length + 1);
        for (int i = 0; i < marked.Length; i += char.IsSurrogatePair(marked, i) ? 2 : 1) starts.Add(i);
        starts.Add(marked.Length);
        int characters = starts.Count - 1;
        for (int n = MinN; n <= Math.Min(MaxN, characters); n++)
            for (int first = 0; first + n <= characters; first++)
                ngrams.Add(marked[starts[first]..starts[first + n]]);
    }
}
