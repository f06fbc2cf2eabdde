using Nabla.Onnx.Protobuf;
using static Nabla.Onnx.Export.OnnxGraphBuilder;

namespace Nabla.Onnx.Export;

/// <summary>
/// The texts Nabla's CSV reader takes for a missing cell — empty, or NA, N/A, NaN or null in any case — found in a String input
/// by an ai.onnx.ml LabelEncoder: ONNX compares strings only from opset 19, and StringNormalizer depends on the server's locales.
/// </summary>
internal static class MissingCells
{
    /// <summary>Every marker, in every case.</summary>
    private static readonly string[] Markers = ["", .. new[] { "na", "n/a", "nan", "null" }.SelectMany(EveryCase)];

    private static IEnumerable<string> EveryCase(string text) => text.Length == 0 ? [""]
        : EveryCase(text[1..]).SelectMany(rest => new[] { char.ToLowerInvariant(text[0]) + rest, char.ToUpperInvariant(text[0]) + rest }.Distinct());

    /// <summary>Bool, shaped as <paramref name="cells"/>: true where a cell is missing.</summary>
    public static string Of(OnnxGraphBuilder graph, string cells, string hint)
    {
        var isMarker = graph.Node("LabelEncoder", [cells], $"{hint}:is_marker",
            [Strings("keys_strings", Markers), Ints("values_int64s", [.. Markers.Select(_ => 1L)]), Int("default_int64", 0)], OnnxDomains.MachineLearning);
        return graph.Node("Cast", [isMarker], $"{hint}:missing", [Int("to", (long)TensorProto.Types.DataType.Bool)]);
    }
}
