namespace Nabla.Text;

/// <summary>
/// scikit-learn's TF-IDF arithmetic, shared by <see cref="TfidfVectorizer"/> (terms as strings) and
/// <see cref="TfidfLinear"/> (terms as vocabulary ids), so both weigh a document the same way.
/// </summary>
internal static class TfidfWeighting
{
    /// <summary>
    /// A term's inverse document frequency, ln((n + s) / (df + s)) + 1, with s = 1 when smoothed (as if one
    /// extra document held every term once, so no division by zero) and 0 otherwise.
    /// </summary>
    public static double Idf(int documents, int documentFrequency, bool smooth)
    {
        double smoothing = smooth ? 1 : 0;
        return Math.Log((documents + smoothing) / (documentFrequency + smoothing)) + 1;
    }

    /// <summary>A term's weight in a document where it occurs <paramref name="count"/> times: tf (or 1 + ln tf when sublinear) times its idf.</summary>
    public static double Weight(int count, double idf, bool sublinearTf) => (sublinearTf ? Math.Log(count) + 1 : count) * idf;

    /// <summary>Divides the values by their Euclidean length, as scikit-learn's <c>normalize</c> (a row of zeros stays).</summary>
    public static void ScaleToUnitLength(Span<double> values)
    {
        double squares = 0;
        foreach (double value in values) squares += value * value;
        if (squares == 0) return;
        double length = Math.Sqrt(squares);
        for (int i = 0; i < values.Length; i++) values[i] /= length;
    }
}
