namespace Nabla.Text;

/// <summary>The settings of a <see cref="TfidfVectorizer"/>, named and defaulted as scikit-learn's <c>TfidfVectorizer</c>.</summary>
/// <example>
/// <code>
/// var options = new TfidfOptions { MaxN = 2, MinDf = 2, SublinearTf = true };   // ngram_range=(1, 2), min_df=2, sublinear_tf=True
/// </code>
/// </example>
public sealed record TfidfOptions
{
    /// <summary>The shortest word n-gram counted as a term (<c>ngram_range[0]</c>); 1 counts single tokens.</summary>
    public int MinN { get; init; } = 1;

    /// <summary>The longest word n-gram counted as a term (<c>ngram_range[1]</c>); an n-gram is its tokens joined by one space.</summary>
    public int MaxN { get; init; } = 1;

    /// <summary>Drop terms found in fewer documents than this (<c>min_df</c>; default 1 document).</summary>
    public DocumentFrequency MinDf { get; init; } = DocumentFrequency.Count(1);

    /// <summary>Drop terms found in more documents than this (<c>max_df</c>; default all of them).</summary>
    public DocumentFrequency MaxDf { get; init; } = DocumentFrequency.Fraction(1.0);

    /// <summary>Keep at most this many terms, those most frequent in the whole training set (<c>max_features</c>); null keeps all.</summary>
    /// <remarks>Terms equally frequent at the cut are kept in code-point order. scikit-learn leaves that choice to NumPy's unstable quicksort, so the two may keep different terms of the tie.</remarks>
    public int? MaxFeatures { get; init; }

    /// <summary>Weight counts by inverse document frequency (<c>use_idf</c>); when false, rows are (normalized) counts.</summary>
    public bool UseIdf { get; init; } = true;

    /// <summary>idf = ln((1 + n) / (1 + df)) + 1, as if one extra document held every term (<c>smooth_idf</c>); otherwise ln(n / df) + 1.</summary>
    public bool SmoothIdf { get; init; } = true;

    /// <summary>Use 1 + ln(count) instead of the count (<c>sublinear_tf</c>).</summary>
    public bool SublinearTf { get; init; }

    /// <summary>How each row is scaled at the end (<c>norm</c>).</summary>
    public TfidfNorm Norm { get; init; } = TfidfNorm.L2;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The n-gram range is empty or starts below 1, <see cref="MaxFeatures"/> is below 1, or <see cref="Norm"/> is not a defined value (named with the value).</exception>
    internal TfidfOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinN, 1, nameof(MinN));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxN, MinN, nameof(MaxN));
        if (MaxFeatures is { } limit) ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(MaxFeatures));
        if (!Enum.IsDefined(Norm)) throw new ArgumentOutOfRangeException(nameof(Norm), Norm, "TfidfOptions: Norm must be None or L2.");
        return this;
    }
}
