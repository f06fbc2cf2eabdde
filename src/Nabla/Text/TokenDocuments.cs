namespace Nabla.Text;

/// <summary>Checks the token lists that vocabularies and vectorizers learn from and encode.</summary>
internal static class TokenDocuments
{
    /// <summary>
    /// <paramref name="document"/> itself, after checking that it and each token in it are non-null
    /// and each token non-empty (an empty token could not be saved and restored).
    /// </summary>
    /// <exception cref="ArgumentException">The document or a token is null, or a token is empty; the document's index and the token's position are named.</exception>
    public static IReadOnlyList<string> Checked(IReadOnlyList<string>? document, int index, string parameter)
    {
        if (document is null) throw new ArgumentException($"Document {index} is null; give an empty list for a document without tokens.", parameter);
        for (int position = 0; position < document.Count; position++)
            if (string.IsNullOrEmpty(document[position]))
                throw new ArgumentException($"Document {index}: the token at position {position} is {(document[position] is null ? "null" : "empty")}; tokens are non-empty strings.", parameter);
        return document;
    }
}
