using System.Text.Json;

namespace Nabla.IO;

/// <summary>
/// Parses JSON that comes from a file Nabla did not write itself. The reader checks the structure
/// but decodes strings only when they are read, so an escape such as <c>\ud800</c> (valid JSON, but
/// an unpaired UTF-16 surrogate and so not text) would surface later as an
/// <see cref="InvalidOperationException"/> far from the file it came from. Here every property name
/// and string is decoded once up front, and a bad one is a <see cref="JsonException"/> like any
/// other malformed JSON, which callers already turn into a message naming the file.
/// </summary>
internal static class UntrustedJson
{
    /// <summary>The document in <paramref name="text"/>, nested at most <paramref name="maxDepth"/> levels.</summary>
    public static JsonDocument Parse(string text, int maxDepth = 64) =>
        Checked(JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = maxDepth }));

    /// <summary>The document in the UTF-8 bytes <paramref name="utf8"/>, nested at most <paramref name="maxDepth"/> levels.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, int maxDepth = 64) =>
        Checked(JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth }));

    private static JsonDocument Checked(JsonDocument document)
    {
        try
        {
            DecodeStrings(document.RootElement);
            return document;
        }
        catch (InvalidOperationException)
        {
            document.Dispose();
            throw new JsonException("a string is not valid Unicode text (it holds an unpaired UTF-16 surrogate escape such as \\ud800)");
        }
    }

    // Recursion is bounded by the reader's maximum depth.
    private static void DecodeStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    DecodeStrings(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) DecodeStrings(item);
                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }
}
