using System.Text;

namespace Nabla.Text;

/// <summary>The word n-grams of a token list, as scikit-learn's <c>_word_ngrams</c>: n consecutive tokens joined by one space.</summary>
internal static class WordNGrams
{
    /// <summary>Every n-gram of <paramref name="tokens"/> for n from <paramref name="minN"/> to <paramref name="maxN"/>, shortest first.</summary>
    public static IEnumerable<string> Of(IReadOnlyList<string> tokens, int minN, int maxN)
    {
        var joined = new StringBuilder();
        for (int n = minN; n <= Math.Min(maxN, tokens.Count); n++)
            for (int first = 0; first + n <= tokens.Count; first++)
            {
                if (n == 1)
                {
                    yield return tokens[first];
                    continue;
                }
                joined.Clear().Append(tokens[first]);
                for (int k = first + 1; k < first + n; k++) joined.Append(' ').Append(tokens[k]);
                yield return joined.ToString();
            }
    }
}
