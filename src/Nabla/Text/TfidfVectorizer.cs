using System.Runtime.InteropServices;

namespace Nabla.Text;

/// <summary>
/// Turns token lists into TF-IDF rows, with scikit-learn's <c>TfidfVectorizer</c> formula: the terms
/// are the word n-grams of the training documents (kept by document frequency and count, see
/// <see cref="TfidfOptions"/>), in code-point order; a document's row holds, for each term, its count
/// tf (or 1 + ln tf) times idf = ln((1 + n) / (1 + df)) + 1 (or ln(n / df) + 1 without smoothing),
/// then the row is scaled to Euclidean length 1.
/// </summary>
/// <remarks>
/// The rows are sparse (<see cref="SparseRows"/>): a short text holds a handful of the thousands of
/// terms. Terms not seen in fitting are ignored by <see cref="Transform"/>; a document without known
/// terms gives an empty row. The fitted state (<see cref="Terms"/>, <see cref="Idf"/> and the options)
/// restores the same vectorizer with <see cref="FromFitted"/>. Tokenize first, with any
/// <see cref="ITokenizer"/>: scikit-learn's own lower-casing and token pattern are not part of this step.
/// </remarks>
/// <example>
/// <code>
/// var tokenizer = new WordTokenizer();
/// var vectorizer = new TfidfVectorizer(new TfidfOptions { MaxN = 2, SublinearTf = true });
/// SparseRows x = vectorizer.FitTransform(train.Select(tokenizer.Tokenize).ToList());
/// SparseRows xTest = vectorizer.Transform(test.Select(tokenizer.Tokenize).ToList());
/// </code>
/// </example>
public sealed class TfidfVectorizer
{
    private string[]? _terms;
    private double[]? _idf;
    private Dictionary<string, int> _columns = [];

    /// <summary>Creates an unfitted vectorizer with <paramref name="options"/>, or scikit-learn's defaults.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (named).</exception>
    public TfidfVectorizer(TfidfOptions? options = null) => Options = (options ?? new TfidfOptions()).Validated();

    /// <summary>The settings.</summary>
    public TfidfOptions Options { get; }

    /// <summary>Whether <see cref="Fit"/> (or <see cref="FromFitted"/>) has given this vectorizer its terms.</summary>
    public bool IsFitted => _terms is not null;

    /// <summary>The terms, one a column, in code-point order (scikit-learn's <c>get_feature_names_out()</c>).</summary>
    /// <exception cref="InvalidOperationException">The vectorizer is not fitted.</exception>
    public IReadOnlyList<string> Terms => _terms ?? throw NotFitted();

    /// <summary>The idf weight of each term, in the order of <see cref="Terms"/> (scikit-learn's <c>idf_</c>); null when <see cref="TfidfOptions.UseIdf"/> is false.</summary>
    /// <exception cref="InvalidOperationException">The vectorizer is not fitted.</exception>
    public IReadOnlyList<double>? Idf => IsFitted ? _idf : throw NotFitted();

    /// <summary>Learns the terms and their idf from training documents (each a list of tokens), replacing what was learnt before; returns this vectorizer.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A document or a token is null, or a token is empty (named); the documents hold no tokens; <see cref="TfidfOptions.MaxDf"/>
    /// allows fewer documents than <see cref="TfidfOptions.MinDf"/>; or no term is left after those bounds.
    /// </exception>
    public TfidfVectorizer Fit(IEnumerable<IReadOnlyList<string>> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var statistics = new Dictionary<string, TermStatistics>(StringComparer.Ordinal);
        var seenInDocument = new HashSet<string>(StringComparer.Ordinal);
        int documentCount = 0;
        foreach (var document in documents)
        {
            seenInDocument.Clear();
            foreach (string term in WordNGrams.Of(TokenDocuments.Checked(document, documentCount, nameof(documents)), Options.MinN, Options.MaxN))
            {
                ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(statistics, term, out _);
                entry.Count++;
                if (seenInDocument.Add(term)) entry.Documents++;
            }
            documentCount++;
        }
        if (statistics.Count == 0)
            throw new ArgumentException($"TfidfVectorizer: empty vocabulary: the {documentCount} training documents hold no tokens.", nameof(documents));

        var kept = KeptTerms(statistics, documentCount);
        _idf = Options.UseIdf
            ? [.. kept.Select(term => TfidfWeighting.Idf(documentCount, statistics[term].Documents, Options.SmoothIdf))]
            : null;
        SetTerms(kept);
        return this;
    }

    /// <summary>The TF-IDF rows of <paramref name="documents"/> (each a list of tokens), one a document, one column a term.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> is null.</exception>
    /// <exception cref="ArgumentException">A document or a token is null, or a token is empty (named).</exception>
    /// <exception cref="InvalidOperationException">The vectorizer is not fitted.</exception>
    public SparseRows Transform(IEnumerable<IReadOnlyList<string>> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (!IsFitted) throw NotFitted();
        var rowPointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<double>();
        var counts = new SortedDictionary<int, int>();
        foreach (var document in documents)
        {
            counts.Clear();
            foreach (string term in WordNGrams.Of(TokenDocuments.Checked(document, rowPointers.Count - 1, nameof(documents)), Options.MinN, Options.MaxN))
                if (_columns.TryGetValue(term, out int column)) counts[column] = counts.GetValueOrDefault(column) + 1;
            int start = values.Count;
            foreach (var (column, count) in counts)
            {
                columns.Add(column);
                values.Add(TfidfWeighting.Weight(count, _idf?[column] ?? 1, Options.SublinearTf));
            }
            if (Options.Norm == TfidfNorm.L2) TfidfWeighting.ScaleToUnitLength(CollectionsMarshal.AsSpan(values)[start..]);
            rowPointers.Add(values.Count);
        }
        return SparseRows.Own(rowPointers.Count - 1, _terms!.Length, [.. rowPointers], [.. columns], [.. values]);
    }

    /// <summary>Fits on <paramref name="documents"/> and returns their rows.</summary>
    /// <inheritdoc cref="Fit"/>
    public SparseRows FitTransform(IReadOnlyList<IReadOnlyList<string>> documents) => Fit(documents).Transform(documents);

    /// <summary>Restores a fitted vectorizer from its saved state: the options, <see cref="Terms"/> and <see cref="Idf"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="terms"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="InvalidDataException">
    /// No terms; a term is null or empty, or not after the one before in code-point order; the idf values are missing though
    /// <see cref="TfidfOptions.UseIdf"/> is set (or given though it is not), their count differs from the terms', or one is
    /// not a finite number ≥ 1 (what is wrong is named).
    /// </exception>
    public static TfidfVectorizer FromFitted(TfidfOptions options, IReadOnlyList<string> terms, IReadOnlyList<double>? idf)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(terms);
        var vectorizer = new TfidfVectorizer(options);
        if (terms.Count == 0) throw new InvalidDataException("TfidfVectorizer state: there are no terms; a fitted vectorizer has at least one.");
        for (int i = 0; i < terms.Count; i++)
        {
            if (string.IsNullOrEmpty(terms[i])) throw new InvalidDataException($"TfidfVectorizer state: term {i} is null or empty.");
            if (i > 0 && CodePointOrder.Instance.Compare(terms[i - 1], terms[i]) >= 0)
                throw new InvalidDataException($"TfidfVectorizer state: term {i} '{terms[i]}' does not come after term {i - 1} '{terms[i - 1]}'; terms are distinct and in code-point order.");
        }
        if (options.UseIdf != (idf is not null))
            throw new InvalidDataException($"TfidfVectorizer state: UseIdf is {options.UseIdf}, but idf values are {(idf is null ? "missing" : "given")}.");
        if (idf is not null)
        {
            if (idf.Count != terms.Count) throw new InvalidDataException($"TfidfVectorizer state: {terms.Count} terms but {idf.Count} idf values.");
            for (int i = 0; i < idf.Count; i++)
                if (!double.IsFinite(idf[i]) || idf[i] < 1)
                    throw new InvalidDataException($"TfidfVectorizer state: the idf of term {i} '{terms[i]}' is {idf[i]:R}; an idf is a finite number ≥ 1.");
            vectorizer._idf = [.. idf];
        }
        vectorizer.SetTerms([.. terms]);
        return vectorizer;
    }

    /// <summary>
    /// The terms within the document-frequency bounds, then, beyond <see cref="TfidfOptions.MaxFeatures"/>, the most frequent
    /// (a stable sort of the code-point order, so ties keep the earlier term); returned in code-point order.
    /// </summary>
    private List<string> KeptTerms(Dictionary<string, TermStatistics> statistics, int documentCount)
    {
        double most = Options.MaxDf.DocumentsOf(documentCount), least = Options.MinDf.DocumentsOf(documentCount);
        if (most < least)
            throw new ArgumentException($"TfidfVectorizer: MaxDf ({Options.MaxDf}, {most:R} of {documentCount}) allows fewer documents than MinDf ({Options.MinDf}, {least:R}).", "documents");
        var terms = statistics.Keys.ToArray();
        Array.Sort(terms, CodePointOrder.Instance);
        var kept = terms.Where(term => statistics[term].Documents >= least && statistics[term].Documents <= most).ToList();
        if (Options.MaxFeatures is { } limit && kept.Count > limit)
        {
            var mostFrequent = kept.OrderByDescending(term => statistics[term].Count).Take(limit).ToHashSet(StringComparer.Ordinal);
            kept = [.. kept.Where(mostFrequent.Contains)];
        }
        if (kept.Count == 0)
            throw new ArgumentException($"TfidfVectorizer: no term is left after MinDf ({Options.MinDf}) and MaxDf ({Options.MaxDf}) over {documentCount} documents; try a lower MinDf or a higher MaxDf.", "documents");
        return kept;
    }

    private void SetTerms(IReadOnlyList<string> terms)
    {
        _terms = [.. terms];
        _columns = new Dictionary<string, int>(_terms.Length, StringComparer.Ordinal);
        for (int column = 0; column < _terms.Length; column++) _columns.Add(_terms[column], column);
    }

    private static InvalidOperationException NotFitted() => new("TfidfVectorizer is not fitted; call Fit first.");

    /// <summary>How often a term occurs in all the training documents, and in how many of them.</summary>
    private struct TermStatistics
    {
        public long Count;
        public int Documents;
    }
}
