using System.Globalization;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// The attributes of one node, read by name and type. Every attribute the node has must be one the reader
/// knows: an attribute left unread could change what the node computes, so an unknown one is refused by name.
/// </summary>
internal sealed class NodeAttributes
{
    private readonly OnnxGraph _graph;
    private readonly NodeProto _node;
    private readonly Dictionary<string, AttributeProto> _attributes = new(StringComparer.Ordinal);

    /// <summary>The attributes of <paramref name="node"/>, which may be only those named in <paramref name="known"/>.</summary>
    /// <exception cref="InvalidDataException">The node has an attribute not in <paramref name="known"/>, or one twice.</exception>
    public NodeAttributes(OnnxGraph graph, NodeProto node, params string[] known)
    {
        _graph = graph;
        _node = node;
        foreach (var attribute in node.Attribute)
        {
            if (!known.Contains(attribute.Name, StringComparer.Ordinal))
                throw graph.Error(node, $"the attribute \"{attribute.Name}\" is not supported{(known.Length == 0 ? "" : $" (Nabla reads {string.Join(", ", known)})")}");
            if (!_attributes.TryAdd(attribute.Name, attribute)) throw graph.Error(node, $"the attribute \"{attribute.Name}\" is given twice");
        }
    }

    /// <summary>Whether the node has the attribute.</summary>
    public bool Has(string name) => _attributes.ContainsKey(name);

    /// <summary>A whole-number attribute, or <paramref name="fallback"/> when absent.</summary>
    public long Int(string name, long fallback) => Get(name, AttributeProto.Types.AttributeType.Int) is { } a ? a.I : fallback;

    /// <summary>A list of whole numbers, or null when absent.</summary>
    public long[]? Ints(string name) => Get(name, AttributeProto.Types.AttributeType.Ints) is { } a ? [.. a.Ints] : null;

    /// <summary>A real-number attribute as the decimal it was written from (0.01f reads as 0.01, not 0.0099999998), or <paramref name="fallback"/> when absent.</summary>
    public double Float(string name, double fallback) => Get(name, AttributeProto.Types.AttributeType.Float) is { } a ? Decimal(a.F) : fallback;

    /// <summary>A text attribute, or <paramref name="fallback"/> when absent.</summary>
    public string String(string name, string fallback) => Get(name, AttributeProto.Types.AttributeType.String) is { } a ? a.S.ToStringUtf8() : fallback;

    /// <summary>A list of texts, or null when absent.</summary>
    public string[]? Strings(string name) => Get(name, AttributeProto.Types.AttributeType.Strings) is { } a ? [.. a.Strings.Select(s => s.ToStringUtf8())] : null;

    /// <summary>
    /// The shortest decimal that reads back as <paramref name="value"/>: ONNX stores attributes in Float32, and the
    /// exporter wrote them from decimals (1e-5, 0.01), which Nabla's layers and model files hold as such.
    /// </summary>
    public static double Decimal(float value) => double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private AttributeProto? Get(string name, AttributeProto.Types.AttributeType type)
    {
        if (!_attributes.TryGetValue(name, out var attribute)) return null;
        // Old files may leave the type unset; the field that holds the value tells it then.
        if (attribute.Type != type && attribute.Type != AttributeProto.Types.AttributeType.Undefined)
            throw _graph.Error(_node, $"the attribute \"{name}\" is {attribute.Type}, expected {type}");
        return attribute;
    }
}
