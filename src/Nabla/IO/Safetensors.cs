using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Nabla.IO;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of
/// UTF-8 JSON mapping each tensor's name to its <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>
/// (relative to the end of the header) plus an optional <c>__metadata__</c> object of strings, then
/// the raw little-endian data. Any safetensors reader can open what this writes; reading never runs
/// code, only copies numbers.
/// </summary>
/// <remarks>
/// The reader trusts nothing, as the reference implementation: the header length must fit in the
/// file and under <see cref="MaxHeaderBytes"/>; the JSON must be an object with no repeated names;
/// every dtype must be known (F32, F64 and I32 load; others are named in the error); every shape must
/// be non-negative and agree with its byte range; the ranges must tile the data exactly, in order,
/// with no gap or overlap, and end at the end of the file. Anything else is an
/// <see cref="InvalidDataException"/> naming the file and the problem, never a partial result.
/// Writes are atomic: the file is written beside the target under a temporary name, flushed to disk
/// and then renamed over it, so a crash leaves either the old file or the new one, never half of one.
/// </remarks>
public static class Safetensors
{
    /// <summary>The largest header accepted, as the reference implementation (100,000,000 bytes).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">The tensors by name (names must be non-empty and not "__metadata__"); written in this order.</param>
    /// <param name="metadata">String metadata for the header, or null.</param>
    /// <exception cref="ArgumentException">A name is empty or reserved.</exception>
    /// <exception cref="IOException">The file could not be written; the old file, if any, is unchanged.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = tensors.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in entries)
        {
            ArgumentNullException.ThrowIfNull(tensor, $"tensors[\"{name}\"]");
            if (string.IsNullOrEmpty(name) || name == MetadataKey)
                throw new ArgumentException($"Safetensors.Write: a tensor name must be non-empty and not \"{MetadataKey}\", got \"{name}\".", nameof(tensors));
            if (!seen.Add(name)) throw new ArgumentException($"Safetensors.Write: the name \"{name}\" is used twice.", nameof(tensors));
        }
        byte[] header = Header(entries, metadata);

        AtomicFile.Write(path, file =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            file.Write(length);
            file.Write(header);
            foreach (var (_, tensor) in entries) file.Write(LittleEndianBytes(tensor));
        });
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes so the data stays aligned.</summary>
    private static byte[] Header(List<KeyValuePair<string, Tensor>> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in entries)
            {
                long bytes = (long)tensor.Length * SafetensorsDType.SizeOf(tensor.DType);
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsDType.NameOf(tensor.DType));
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static ReadOnlySpan<byte> LittleEndianBytes(Tensor tensor)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Safetensors: big-endian machines are not supported.");
        return tensor.DType switch
        {
            DType.Float32 => MemoryMarshal.AsBytes(tensor.Float32Data.AsSpan()),
            DType.Float64 => MemoryMarshal.AsBytes(tensor.Float64Data.AsSpan()),
            _ => MemoryMarshal.AsBytes(tensor.Int32Data.AsSpan()),
        };
    }

    /// <summary>Reads a safetensors file, checking every length, name, dtype, shape and offset first.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message names the problem.</exception>
    public static SafetensorsContent Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Safetensors file not found: {path}", path);
        using var file = File.OpenRead(path);
        long fileLength = file.Length;
        if (fileLength < 8) throw Invalid(path, $"it is {fileLength} bytes long, too short for the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        file.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes) throw Invalid(path, $"the header length is {headerLength} bytes, above the limit of {MaxHeaderBytes}");
        if ((long)headerLength > fileLength - 8) throw Invalid(path, $"the header length is {headerLength} bytes but only {fileLength - 8} follow: the file is truncated");
        var header = new byte[headerLength];
        file.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;

        var layout = ParseHeader(path, header, dataLength);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in layout.Entries)
        {
            var tensor = Tensor.Zeros(entry.Shape, entry.DType);
            file.ReadExactly(entry.DType switch
            {
                DType.Float32 => MemoryMarshal.AsBytes(tensor.Float32Data.AsSpan()),
                DType.Float64 => MemoryMarshal.AsBytes(tensor.Float64Data.AsSpan()),
                _ => MemoryMarshal.AsBytes(tensor.Int32Data.AsSpan()),
            });
            tensors[entry.Name] = tensor;
        }
        return new SafetensorsContent(tensors, layout.Metadata);
    }

    private sealed record Entry(string Name, DType DType, int[] Shape, long Begin, long End);

    private sealed record Layout(List<Entry> Entries, Dictionary<string, string> Metadata);

    /// <summary>Parses and checks the header: the entries sorted by offset, tiling the data exactly.</summary>
    private static Layout ParseHeader(string path, byte[] header, long dataLength)
    {
        // The JSON reader checks the structure but leaves string contents to be decoded later, where
        // a bad byte in a name would surface as an InvalidOperationException instead of this error.
        if (!Utf8.IsValid(header)) throw Invalid(path, "the header is not valid UTF-8 text");
        JsonDocument document;
        try
        {
            document = UntrustedJson.Parse(header, maxDepth: 8);
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"the header is not valid JSON ({e.Message})");
        }
        using (document) return ReadLayout(path, document.RootElement, dataLength);
    }

    private static Layout ReadLayout(string path, JsonElement root, long dataLength)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Invalid(path, $"the header is a JSON {root.ValueKind}, not an object");
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!names.Add(property.Name)) throw Invalid(path, $"the header names \"{property.Name}\" twice");
            if (property.Name == MetadataKey) ReadMetadata(path, property.Value, metadata);
            else entries.Add(ReadEntry(path, property.Name, property.Value));
        }
        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long expected = 0;
        foreach (var entry in entries)
        {
            if (entry.Begin != expected)
                throw Invalid(path, entry.Begin < expected
                    ? $"the data of \"{entry.Name}\" (bytes {entry.Begin} to {entry.End}) overlaps the tensor before it"
                    : $"there is a gap in the data before \"{entry.Name}\" (bytes {expected} to {entry.Begin})");
            expected = entry.End;
        }
        if (expected != dataLength)
            throw Invalid(path, expected > dataLength
                ? $"the tensors need {expected} bytes of data but the file has {dataLength}: it is truncated"
                : $"the file has {dataLength - expected} bytes of data after the last tensor");
        return new Layout(entries, metadata);
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Invalid(path, $"\"{MetadataKey}\" is a JSON {value.ValueKind}, not an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Invalid(path, $"metadata \"{item.Name}\" is a JSON {item.Value.ValueKind}; metadata values must be strings");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!)) throw Invalid(path, $"metadata names \"{item.Name}\" twice");
        }
    }

    private static Entry ReadEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Invalid(path, $"tensor \"{name}\" is a JSON {value.ValueKind}, not an object");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Invalid(path, $"tensor \"{name}\" has no string \"dtype\"");
        string dtypeName = dtypeElement.GetString()!;
        var dtype = SafetensorsDType.FromName(dtypeName)
            ?? throw Invalid(path, $"tensor \"{name}\" has dtype {dtypeName}, which Nabla cannot load (F32, F64 and I32 can)");
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Invalid(path, $"tensor \"{name}\" has no \"shape\" array");
        var shape = new int[shapeElement.GetArrayLength()];
        long count = 1;
        int d = 0;
        foreach (var size in shapeElement.EnumerateArray())
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt32(out int n) || n < 0)
                throw Invalid(path, $"tensor \"{name}\" has shape {shapeElement.GetRawText()}: dimension {d} is not a non-negative integer");
            shape[d++] = n;
            count *= n;
            if (count > Array.MaxLength) throw Invalid(path, $"tensor \"{name}\" has shape {shapeElement.GetRawText()}: too many elements for one array");
        }
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || offsets[0].ValueKind != JsonValueKind.Number || offsets[1].ValueKind != JsonValueKind.Number
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw Invalid(path, $"tensor \"{name}\" needs \"data_offsets\" [begin, end] with 0 <= begin <= end");
        long bytes = count * SafetensorsDType.SizeOf(dtype);
        if (end - begin != bytes)
            throw Invalid(path, $"tensor \"{name}\" of dtype {dtypeName} and shape {shapeElement.GetRawText()} needs {bytes} bytes, but its data_offsets [{begin}, {end}] hold {end - begin}");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static InvalidDataException Invalid(string path, string why) => new($"{path}: not a valid safetensors file: {why}.");
}
