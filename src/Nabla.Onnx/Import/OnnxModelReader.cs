using Google.Protobuf;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// Reads the bytes of an .onnx file into its model and graph, refusing what is not an ONNX model (not protobuf,
/// cut short, no graph) and operator sets the import does not know, each with a message naming the file.
/// </summary>
internal static class OnnxModelReader
{
    /// <summary>The oldest default operator set read: opset 7 fixed the operators' broadcasting as NumPy's.</summary>
    public const long OldestOpset = 7;

    /// <summary>The newest default operator set read (ONNX 1.16).</summary>
    public const long NewestOpset = 21;

    /// <summary>The most bytes read: protobuf's own limit on one message.</summary>
    public const long MostBytes = int.MaxValue;

    /// <summary>The model in <paramref name="bytes"/>, read from <paramref name="source"/> (named in errors), and its checked graph, cut down to <paramref name="output"/> (see <see cref="GraphOutput"/>).</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, its operator set is not one the import reads, or the output cannot be chosen.</exception>
    public static (ModelProto Model, OnnxGraph Graph) Read(byte[] bytes, string source, string? output = null)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source}: not an ONNX model: it is not a valid protobuf message, or it is cut short ({e.Message})", e);
        }
        if (!model.HasIrVersion || model.IrVersion <= 0 || model.Graph is null)
            throw new InvalidDataException($"{source}: not an ONNX model: it has no {(model.Graph is null ? "graph" : "IR version")}.");
        var defaults = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").ToList();
        if (defaults.Count != 1)
            throw new InvalidDataException(defaults.Count == 0
                ? $"{source}: it names no version of the default ONNX operator set (opset_import)."
                : $"{source}: it names the version of the default ONNX operator set {defaults.Count} times.");
        long opset = defaults[0].Version;
        if (opset < OldestOpset || opset > NewestOpset)
            throw new InvalidDataException($"{source}: it uses ONNX operator set {opset}; Nabla imports operator sets {OldestOpset} to {NewestOpset}.");
        return (model, new OnnxGraph(GraphOutput.Choose(model, output, source), source, opset));
    }

    /// <summary>Reads a stream to its end, refusing more than <see cref="MostBytes"/>.</summary>
    /// <exception cref="InvalidDataException">The stream holds more than <see cref="MostBytes"/> bytes.</exception>
    public static byte[] ReadAll(Stream stream, string source)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        for (int read; (read = stream.Read(chunk)) > 0;)
        {
            if (buffer.Length + read > MostBytes)
                throw new InvalidDataException($"{source}: more than {MostBytes} bytes, the most an ONNX model holds (weights over 2 GB go to external files, which Nabla does not read).");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
