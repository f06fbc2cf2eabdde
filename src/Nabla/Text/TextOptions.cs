namespace Nabla.Text;

/// <summary>How a <see cref="TextPreprocessor"/> turns texts into rows of vocabulary ids.</summary>
/// <remarks>
/// A text's terms are its words (<see cref="WordTokenizer"/>), then its word n-grams of 2 to
/// <see cref="MaxWordNGram"/> words ("a b"), then, when <see cref="CharNGrams"/> is set, the character
/// n-grams of each word with its boundaries marked (<see cref="CharNGramTokenizer"/>), so that an unseen
/// word still maps to something. Words alone, in order, suit the recurrent models; n-grams suit the bag
/// and TF-IDF models, where order is lost.
/// </remarks>
public sealed record TextOptions
{
    /// <summary>How words are found.</summary>
    public TokenizerOptions Tokenizer { get; init; } = TokenizerOptions.Default;

    /// <summary>The longest word n-gram, at least 1 (words only).</summary>
    public int MaxWordNGram { get; init; } = 1;

    /// <summary>The shortest and longest character n-gram of each word (markers included), or null for none.</summary>
    public (int Min, int Max)? CharNGrams { get; init; }

    /// <summary>A term enters the vocabulary when it occurs at least this many times in the training texts; at least 1.</summary>
    public int MinFrequency { get; init; } = 1;

    /// <summary>The most ids, the two reserved ones included (the most frequent terms stay), or null for no bound; at least 3.</summary>
    public int? MaxVocabulary { get; init; }

    /// <summary>The most terms of a text kept (the first ones); shorter texts are padded. From 1 to <see cref="MaxMaxLength"/>.</summary>
    public int MaxLength { get; init; } = 64;

    /// <summary>The largest <see cref="MaxLength"/> allowed: longer rows would only hold padding for one-line texts and cost memory for every row.</summary>
    public const int MaxMaxLength = 100_000;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    internal TextOptions Validated()
    {
        ArgumentNullException.ThrowIfNull(Tokenizer, nameof(Tokenizer));
        Tokenizer.Validated();
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWordNGram, 1, nameof(MaxWordNGram));
        if (CharNGrams is var (min, max) && (min < 1 || max < min))
            throw new ArgumentOutOfRangeException(nameof(CharNGrams), CharNGrams, $"TextOptions: character n-grams need 1 ≤ min ≤ max, got {min}..{max}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(MinFrequency, 1, nameof(MinFrequency));
        if (MaxVocabulary is { } size) ArgumentOutOfRangeException.ThrowIfLessThan(size, 3, nameof(MaxVocabulary));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLength, 1, nameof(MaxLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxLength, MaxMaxLength, nameof(MaxLength));
        return this;
    }
}
